package org.normlab.experiment;

import java.io.Serializable;
import static org.normlab.optim.Adam.DEFAULT_BETA1;
import static org.normlab.optim.Adam.DEFAULT_BETA2;
import static org.normlab.optim.Adam.DEFAULT_EPS;

/**
 * The optimizer of a run. {@code weightDecay} is L2 for both; {@code decayNormParams} says whether it also applies
 * to the γ/β of normalization layers (PyTorch applies it to every parameter; many recipes exempt γ/β).
 */
public sealed interface OptimizerSpec extends Serializable {
    double lr();

    double weightDecay();

    boolean decayNormParams();

    OptimizerSpec withLr(double lr);

    OptimizerSpec withWeightDecay(double weightDecay);

    OptimizerSpec withDecayNormParams(boolean decay);

    /** SGD with (optionally Nesterov) momentum. */
    record Sgd(double lr, double momentum, boolean nesterov, double weightDecay, boolean decayNormParams) implements OptimizerSpec {
        /** Plain SGD: no momentum, no weight decay. */
        public static final Sgd DEFAULT = new Sgd(0.1, 0, false, 0, true);

        public Sgd {
            if (!(lr > 0)) throw new IllegalArgumentException("Sgd: lr must be positive, got " + lr);
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must be in [0,1), got " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Sgd: weightDecay must be ≥ 0, got " + weightDecay);
        }

        @Override public Sgd withLr(double l) { return new Sgd(l, momentum, nesterov, weightDecay, decayNormParams); }
        public Sgd withMomentum(double m) { return new Sgd(lr, m, nesterov, weightDecay, decayNormParams); }
        public Sgd withNesterov(boolean n) { return new Sgd(lr, momentum, n, weightDecay, decayNormParams); }
        @Override public Sgd withWeightDecay(double w) { return new Sgd(lr, momentum, nesterov, w, decayNormParams); }
        @Override public Sgd withDecayNormParams(boolean d) { return new Sgd(lr, momentum, nesterov, weightDecay, d); }
    }

    /** Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8 unless given. */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decayNormParams) implements OptimizerSpec {
        public Adam {
            if (!(lr > 0)) throw new IllegalArgumentException("Adam: lr must be positive, got " + lr);
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Adam: beta1 must be in [0,1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam: beta2 must be in [0,1), got " + beta2);
            if (!(eps > 0)) throw new IllegalArgumentException("Adam: eps must be positive, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Adam: weightDecay must be ≥ 0, got " + weightDecay);
        }

        /** Adam at {@code lr} with PyTorch's defaults otherwise, no weight decay. */
        public Adam(double lr) {
            this(lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0, true);
        }

        @Override public Adam withLr(double l) { return new Adam(l, beta1, beta2, eps, weightDecay, decayNormParams); }
        public Adam withBeta1(double b) { return new Adam(lr, b, beta2, eps, weightDecay, decayNormParams); }
        @Override public Adam withWeightDecay(double w) { return new Adam(lr, beta1, beta2, eps, w, decayNormParams); }
        @Override public Adam withDecayNormParams(boolean d) { return new Adam(lr, beta1, beta2, eps, weightDecay, d); }
    }
}
