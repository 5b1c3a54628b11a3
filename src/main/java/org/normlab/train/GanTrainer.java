package org.normlab.train;

import org.normlab.data.GaussianRing;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.BceWithLogits;
import org.normlab.norm.RunningStatistics;
import org.normlab.optim.Adam;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Trains a GAN on a {@link GaussianRing} the DCGAN way (Radford et al. 2015): alternating one discriminator step and
 * one generator step, Adam for both, binary cross-entropy on logits, the non-saturating generator loss.
 * <pre>
 * D step:  L_D = BCE(D(x_real), 1) + BCE(D(G(z)), 0)     real and fake batches pass through D separately (as in DCGAN,
 *                                                          so a BN in D sees one kind of batch at a time)
 * G step:  L_G = BCE(D(G(z')), 1)                         fresh noise z'; only G's parameters are updated
 * </pre>
 * Logged every {@code logEvery} steps: {@link #D_LOSS}, {@link #G_LOSS} (averages since the last log), and the coverage
 * of {@code evalSamples} generated points ({@link #MODES_COVERED}, {@link #HIGH_QUALITY}). Samples are drawn the way
 * training draws them — TRAIN mode, in batches of the training batch size, running statistics restored afterwards — so
 * BN's train/eval difference (notebook 04) does not enter the comparison. Every {@code snapshotEvery} steps the first
 * {@code snapshotPoints} samples are logged in order as {@link #SAMPLE_X} / {@link #SAMPLE_Y} (for scatter plots).
 * A non-finite loss stops the run as diverged.
 */
public final class GanTrainer {
    public static final String D_LOSS = "d_loss", G_LOSS = "g_loss", MODES_COVERED = "modes_covered", HIGH_QUALITY = "high_quality_share",
            SAMPLE_X = "sample_x", SAMPLE_Y = "sample_y";

    private GanTrainer() {}

    /**
     * @param noiseSize      length of the generator's noise vector z ~ N(0, I)
     * @param beta1          Adam's β₁ (DCGAN: 0.5)
     * @param evalSamples    generated points per coverage measurement (PacGAN: 2 500)
     * @param snapshotEvery  steps between logged sample snapshots (0: none)
     */
    public record Options(int steps, int batchSize, double lr, double beta1, int noiseSize, int logEvery, int evalSamples,
                          int snapshotEvery, int snapshotPoints) {
        public Options {
            if (steps < 1 || batchSize < 2 || logEvery < 1 || evalSamples < 1 || noiseSize < 1 || snapshotEvery < 0 || snapshotPoints < 0) {
                throw new IllegalArgumentException("GanTrainer: steps, logEvery, evalSamples, noiseSize ≥ 1, batchSize ≥ 2, snapshots ≥ 0; got "
                        + this);
            }
        }
    }

    public static RunLog train(Sequential generator, Sequential discriminator, GaussianRing ring, Options o, Rng rng) {
        RunLog log = new RunLog();
        long start = System.nanoTime();
        Adam dOpt = new Adam(discriminator.params(), o.lr(), o.beta1(), Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS, 0, false);
        Adam gOpt = new Adam(generator.params(), o.lr(), o.beta1(), Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS, 0, false);
        Rng dataRng = rng.split(), noiseRng = rng.split(), evalRng = rng.split();
        Tensor ones = Tensor.full(1f, o.batchSize(), 1), zeros = Tensor.zeros(o.batchSize(), 1);
        double dSum = 0, gSum = 0;
        int since = 0;
        evaluate(generator, ring, o, evalRng, log, 0);
        for (int step = 1; step <= o.steps(); step++) {
            Trainer.checkCancelled(step - 1);
            // Discriminator: real batch, then fake batch; gradients accumulate, one Adam step.
            dOpt.zeroGrad();
            var real = BceWithLogits.evaluate(discriminator.forward(ring.sample(o.batchSize(), dataRng), Mode.TRAIN), ones);
            discriminator.backward(real.gradLogits());
            Tensor fake = generator.forward(noise(o, noiseRng), Mode.TRAIN);
            var fakeLoss = BceWithLogits.evaluate(discriminator.forward(fake, Mode.TRAIN), zeros);
            discriminator.backward(fakeLoss.gradLogits());
            dOpt.step();
            // Generator: non-saturating loss through D; D's gradients from this pass are discarded.
            gOpt.zeroGrad();
            Tensor generated = generator.forward(noise(o, noiseRng), Mode.TRAIN);
            var gLoss = BceWithLogits.evaluate(discriminator.forward(generated, Mode.TRAIN), ones);
            generator.backward(discriminator.backward(gLoss.gradLogits()));
            gOpt.step();
            dOpt.zeroGrad();

            double d = real.loss() + fakeLoss.loss(), g = gLoss.loss();
            if (!Double.isFinite(d) || !Double.isFinite(g) || !generated.isFinite()) {
                log.markDiverged(step, "GAN loss not finite at step " + step + " (D " + d + ", G " + g + ")");
                break;
            }
            dSum += d; gSum += g; since++;
            if (step % o.logEvery() == 0 || step == o.steps()) {
                double epoch = (double) step / o.steps();
                log.add(step, epoch, D_LOSS, dSum / since);
                log.add(step, epoch, G_LOSS, gSum / since);
                dSum = gSum = 0; since = 0;
                evaluate(generator, ring, o, evalRng, log, step);
            }
        }
        log.setWallSeconds((System.nanoTime() - start) / 1e9);
        return log;
    }

    private static Tensor noise(Options o, Rng rng) { return Tensor.randn(rng, 1f, o.batchSize(), o.noiseSize()); }

    /** {@code n} generated points, drawn in TRAIN mode in batches of the training batch size; running statistics restored. */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static Tensor generate(Sequential generator, Options o, int n, Rng rng) {
        try (RunningStatistics frozen = RunningStatistics.frozen(generator)) {
            Tensor out = Tensor.zeros(n, 2);
            for (int done = 0; done < n; done += o.batchSize()) {
                float[] y = generator.forward(noise(o, rng), Mode.TRAIN).data();
                System.arraycopy(y, 0, out.data(), 2 * done, Math.min(y.length, 2 * (n - done)));
            }
            return out;
        }
    }

    private static void evaluate(Sequential generator, GaussianRing ring, Options o, Rng rng, RunLog log, int step) {
        Tensor samples = generate(generator, o, o.evalSamples(), rng);
        var c = ring.coverage(samples, GaussianRing.MIN_SHARE);
        double epoch = (double) step / o.steps();
        log.add(step, epoch, MODES_COVERED, c.modesCovered());
        log.add(step, epoch, HIGH_QUALITY, c.highQualityShare());
        if (o.snapshotEvery() > 0 && step % o.snapshotEvery() == 0) {
            for (int i = 0; i < Math.min(o.snapshotPoints(), o.evalSamples()); i++) {
                log.add(step, epoch, SAMPLE_X, samples.data()[2 * i]);
                log.add(step, epoch, SAMPLE_Y, samples.data()[2 * i + 1]);
            }
        }
    }
}
