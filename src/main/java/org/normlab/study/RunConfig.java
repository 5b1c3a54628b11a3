package org.normlab.study;

import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.norm.Placement;

/**
 * Everything that determines one training run of an MLP classifier on Fashion-MNIST. Two equal configs give
 * identical results: the seed fixes initialization and data order.
 *
 * @param hidden    hidden-layer widths (input 784 and output 10 are implied)
 * @param trainSize how many training images to use (the first ones; 60 000 = all)
 * @param maxSteps  stop after this many steps (0: run all epochs)
 * @param logEvery  log metrics every this many steps
 */
public record RunConfig(Norm norm, Placement placement, Activation.Kind activation, List<Integer> hidden,
                        double lr, double momentum, int batchSize, int epochs, int maxSteps,
                        int trainSize, int logEvery, long seed) {
    public RunConfig {
        hidden = List.copyOf(hidden);
    }

    public RunConfig withNorm(Norm n) {
        return new RunConfig(n, placement, activation, hidden, lr, momentum, batchSize, epochs, maxSteps, trainSize, logEvery, seed);
    }

    public RunConfig withSeed(long s) {
        return new RunConfig(norm, placement, activation, hidden, lr, momentum, batchSize, epochs, maxSteps, trainSize, logEvery, s);
    }

    /** Layer widths of the network: 784, hidden…, 10. */
    public int[] widths() {
        int[] w = new int[hidden.size() + 2];
        w[0] = 28 * 28;
        for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
        w[w.length - 1] = 10;
        return w;
    }
}
