package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import org.normlab.testing.LayerProperties;
import java.util.Arrays;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;

class RecurrentTest {
    private static final int N = 4, T = 3, F = 3, H = 4;
    private static final double EPS = 1e-5;

    private static final List<RecurrentNorm> NORMS = List.of(RecurrentNorm.NONE, RecurrentNorm.LN, RecurrentNorm.layer(0.1),
            RecurrentNorm.BN, RecurrentNorm.batchPerStep(0.1));

    /** A cell under Xavier init, with every gain and β moved off its starting value so the checks see them. */
    private static Recurrent recurrent(boolean lstm, RecurrentNorm norm, long seed) {
        return perturbed(lstm ? new LstmCell(F, H, norm, true) : new RnnCell(F, H, norm), seed);
    }

    private static Recurrent gru(RecurrentNorm norm, long seed) { return perturbed(new GruCell(F, H, norm), seed); }

    private static Recurrent perturbed(RecurrentCell cell, long seed) {
        Recurrent layer = new Recurrent(cell);
        Rng rng = new Rng(seed);
        Init.xavier().apply(layer, rng);
        for (Param p : layer.params()) {
            float[] v = p.value().data();
            if (p.name().startsWith("gamma")) for (int i = 0; i < v.length; i++) v[i] *= (float) (0.5 + rng.nextDouble());
            if (p.name().startsWith("beta") || p.name().startsWith("bias")) for (int i = 0; i < v.length; i++) v[i] += (float) (0.3 * rng.nextGaussian());
        }
        return layer;
    }

    // ---- A reference written straight from the equations, in double, one matrix at a time. ----

    /** Running statistics to use at a step in EVAL: mean and variance per feature. */
    private record Stats(float[] mean, float[] var) {}

    private static double[][] product(double[][] a, Tensor weight) {   // a·Wᵀ
        int rows = a.length, out = weight.dim(0), in = weight.dim(1);
        double[][] y = new double[rows][out];
        for (int n = 0; n < rows; n++) for (int o = 0; o < out; o++) {
            double s = 0;
            for (int i = 0; i < in; i++) s += a[n][i] * weight.get(o, i);
            y[n][o] = s;
        }
        return y;
    }

    /** γ·â + β with â from the LN definition, the batch statistics (stats == null) or the given running statistics. */
    private static double[][] normalize(double[][] a, RecurrentNorm.Kind kind, Param gamma, Param beta, Stats stats) {
        int rows = a.length, d = a[0].length;
        double[][] y = new double[rows][d];
        for (int n = 0; n < rows; n++) for (int j = 0; j < d; j++) {
            double mu, var;
            if (kind == RecurrentNorm.Kind.LAYER) {
                mu = 0;
                for (int k = 0; k < d; k++) mu += a[n][k] / d;
                var = 0;
                for (int k = 0; k < d; k++) var += (a[n][k] - mu) * (a[n][k] - mu) / d;
            } else if (stats == null) {
                mu = 0;
                for (int m = 0; m < rows; m++) mu += a[m][j] / rows;
                var = 0;
                for (int m = 0; m < rows; m++) var += (a[m][j] - mu) * (a[m][j] - mu) / rows;
            } else {
                mu = stats.mean()[j];
                var = stats.var()[j];
            }
            y[n][j] = gamma.value().get(j) * (a[n][j] - mu) / Math.sqrt(var + EPS) + (beta == null ? 0 : beta.value().get(j));
        }
        return y;
    }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /**
     * h_{T−1} by the cell equations. {@code statsStep[t]} names the step whose running statistics EVAL uses at step t
     * (null: batch statistics, as in TRAIN).
     */
    private static double[][] referenceLastHidden(Recurrent layer, Tensor x, int[] statsStep) {
        RecurrentCell cell = layer.cell();
        boolean lstm = cell instanceof LstmCell;
        RecurrentNorm.Kind kind = cell.norm().kind();
        Param wIh = lstm ? ((LstmCell) cell).weightIh() : ((RnnCell) cell).weightIh();
        Param wHh = lstm ? ((LstmCell) cell).weightHh() : ((RnnCell) cell).weightHh();
        Param bias = lstm ? ((LstmCell) cell).bias() : ((RnnCell) cell).bias();
        StepNorm nIh = lstm ? ((LstmCell) cell).inputNorm() : ((RnnCell) cell).inputNorm();
        StepNorm nHh = lstm ? ((LstmCell) cell).hiddenNorm() : ((RnnCell) cell).hiddenNorm();
        StepNorm nC = lstm ? ((LstmCell) cell).cellNorm() : null;
        int n = x.dim(0), steps = x.dim(1), hs = cell.hiddenSize();
        double[][] h = new double[n][hs], c = new double[n][hs];
        for (int t = 0; t < steps; t++) {
            double[][] xt = new double[n][x.dim(2)];
            for (int s = 0; s < n; s++) for (int f = 0; f < x.dim(2); f++) xt[s][f] = x.get(s, t, f);
            double[][] aIh = product(xt, wIh.value()), aHh = product(h, wHh.value());
            if (kind != RecurrentNorm.Kind.NONE) {
                int s = statsStep == null ? -1 : statsStep[t];
                aIh = normalize(aIh, kind, nIh.gamma(), null, s < 0 ? null : new Stats(nIh.runningMean(s).data(), nIh.runningVar(s).data()));
                aHh = normalize(aHh, kind, nHh.gamma(), null, s < 0 ? null : new Stats(nHh.runningMean(s).data(), nHh.runningVar(s).data()));
            }
            double[][] z = new double[n][aIh[0].length];
            for (int r = 0; r < n; r++) for (int j = 0; j < z[0].length; j++) z[r][j] = aIh[r][j] + aHh[r][j] + bias.value().get(j);
            if (!lstm) {
                for (int r = 0; r < n; r++) for (int k = 0; k < hs; k++) h[r][k] = Math.tanh(z[r][k]);
                continue;
            }
            double[][] o = new double[n][hs];
            for (int r = 0; r < n; r++) for (int k = 0; k < hs; k++) {   // PyTorch order: i, f, g, o
                double i = sigmoid(z[r][k]), f = sigmoid(z[r][hs + k]), g = Math.tanh(z[r][2 * hs + k]);
                o[r][k] = sigmoid(z[r][3 * hs + k]);
                c[r][k] = f * c[r][k] + i * g;
            }
            double[][] nc = c;
            if (kind != RecurrentNorm.Kind.NONE) {
                int s = statsStep == null ? -1 : statsStep[t];
                nc = normalize(c, kind, nC.gamma(), nC.beta(), s < 0 ? null : new Stats(nC.runningMean(s).data(), nC.runningVar(s).data()));
            }
            for (int r = 0; r < n; r++) for (int k = 0; k < hs; k++) h[r][k] = o[r][k] * Math.tanh(nc[r][k]);
        }
        return h;
    }

    /** h_{T−1} of a GRU by PyTorch's equations (r, z, n), with batch statistics when normalized. */
    private static double[][] referenceGruLastHidden(GruCell cell, Tensor x) {
        RecurrentNorm.Kind kind = cell.norm().kind();
        int n = x.dim(0), steps = x.dim(1), hs = cell.hiddenSize();
        double[][] h = new double[n][hs];
        for (int t = 0; t < steps; t++) {
            double[][] xt = new double[n][x.dim(2)];
            for (int s = 0; s < n; s++) for (int f = 0; f < x.dim(2); f++) xt[s][f] = x.get(s, t, f);
            double[][] aIh = product(xt, cell.weightIh().value()), aHh = product(h, cell.weightHh().value());
            if (kind != RecurrentNorm.Kind.NONE) {
                aIh = normalize(aIh, kind, cell.inputNorm().gamma(), null, null);
                aHh = normalize(aHh, kind, cell.hiddenNorm().gamma(), null, null);
            }
            double[][] next = new double[n][hs];
            for (int s = 0; s < n; s++) for (int k = 0; k < hs; k++) {
                Tensor b = cell.bias().value();
                double r = sigmoid(aIh[s][k] + b.get(k) + aHh[s][k]);
                double z = sigmoid(aIh[s][hs + k] + b.get(hs + k) + aHh[s][hs + k]);
                double c = Math.tanh(aIh[s][2 * hs + k] + b.get(2 * hs + k) + r * (aHh[s][2 * hs + k] + cell.biasHn().value().get(k)));
                next[s][k] = (1 - z) * c + z * h[s][k];
            }
            h = next;
        }
        return h;
    }

    private static void assertMatches(double[][] expected, Tensor actual, String what) {
        assertArrayEquals(new int[] {expected.length, expected[0].length}, actual.shape(), what + " shape");
        for (int r = 0; r < expected.length; r++) for (int k = 0; k < expected[0].length; k++) {
            assertEquals(expected[r][k], actual.get(r, k), 2e-5, what + " h[" + r + "," + k + "]");
        }
    }

    private static Tensor input(long seed, int n, int steps) { return Tensor.randn(new Rng(seed), 1f, n, steps, F); }

    // ---- Forward against the definition ----

    @Test
    void oneStepByHand() {
        // F = H = 1, x = 1, W_ih = [1, 2, 3, 4]ᵀ, W_hh = 0, b = 0: the four gates see 1, 2, 3, 4 in the order i, f, g, o.
        LstmCell lstm = new LstmCell(1, 1);
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, lstm.weightIh().value().data(), 0, 4);
        Tensor y = new Recurrent(lstm).forward(Tensor.of(new float[] {1}, 1, 1, 1), Mode.TRAIN);
        double c1 = sigmoid(1) * Math.tanh(3);   // f·c₀ = 0
        assertEquals(sigmoid(4) * Math.tanh(c1), y.get(0, 0), 1e-6);

        // Elman: h₁ = tanh(0.5·2 + 0 + 0.25), h₂ = tanh(0.5·(−1) + (−2)·h₁ + 0.25)
        RnnCell rnn = new RnnCell(1, 1);
        rnn.weightIh().value().data()[0] = 0.5f;
        rnn.weightHh().value().data()[0] = -2f;
        rnn.bias().value().data()[0] = 0.25f;
        Tensor h = new Recurrent(rnn).forward(Tensor.of(new float[] {2, -1}, 1, 2, 1), Mode.TRAIN);
        double h1 = Math.tanh(0.5 * 2 + 0.25);
        assertEquals(Math.tanh(0.5 * -1 - 2 * h1 + 0.25), h.get(0, 0), 1e-6);
    }

    @Test
    void trainForwardMatchesTheCellEquations() {
        for (boolean lstm : new boolean[] {false, true}) {
            for (RecurrentNorm norm : NORMS) {
                Recurrent layer = recurrent(lstm, norm, 1);
                Tensor x = input(2, 5, 4);
                assertMatches(referenceLastHidden(layer, x, null), layer.forward(x, Mode.TRAIN), layer.describe() + " TRAIN");
            }
        }
    }

    @Test
    void gruTrainForwardMatchesTheCellEquations() {
        for (RecurrentNorm norm : NORMS) {
            Recurrent layer = gru(norm, 40);
            Tensor x = input(41, 5, 4);
            assertMatches(referenceGruLastHidden((GruCell) layer.cell(), x), layer.forward(x, Mode.TRAIN), layer.describe() + " TRAIN");
        }
    }

    @Test
    void gruOneStepByHand() {
        // F = H = 1, x = 1, W_ih = [1, 2, 3]ᵀ (r, z, n), W_hh = [0.5, −1, 2]ᵀ, b = 0, b_hn = 0.25, two steps of x = 1.
        GruCell cell = new GruCell(1, 1);
        System.arraycopy(new float[] {1, 2, 3}, 0, cell.weightIh().value().data(), 0, 3);
        System.arraycopy(new float[] {0.5f, -1, 2}, 0, cell.weightHh().value().data(), 0, 3);
        cell.biasHn().value().data()[0] = 0.25f;
        Tensor y = new Recurrent(cell).forward(Tensor.of(new float[] {1, 1}, 1, 2, 1), Mode.TRAIN);
        double h1 = (1 - sigmoid(2)) * Math.tanh(3 + sigmoid(1) * 0.25);   // h₀ = 0
        double r = sigmoid(1 + 0.5 * h1), z = sigmoid(2 - h1), n = Math.tanh(3 + r * (2 * h1 + 0.25));
        assertEquals((1 - z) * n + z * h1, y.get(0, 0), 1e-6);
    }

    // ---- Gradients (backpropagation through time) ----

    /*
     * The step is 3e-4, not GradCheck's default 1e-2: a layer norm over the H = 4 features of a row whose values lie
     * close together has a small σ and so a large curvature, and a wide step measures a secant, not the slope. Seen
     * for the LN LSTM below: at input 11 the difference quotient went −3.19, 0.92, 1.30 for steps 1e-2, 3e-3, 1e-3
     * and agreed with the analytic 1.347 from 3e-4 down to 3e-5; float32 rounding stays far below the tolerance there.
     */
    private static final double STEP = 3e-4, TOLERANCE = 2e-2;

    @Test
    void elmanGradientsForEveryNormalization() {
        for (RecurrentNorm norm : NORMS) GradCheck.check(recurrent(false, norm, 3), input(4, N, T), Mode.TRAIN, 5, STEP, TOLERANCE);
    }

    @Test
    void lstmGradientsForEveryNormalization() {
        for (RecurrentNorm norm : NORMS) GradCheck.check(recurrent(true, norm, 6), input(7, N, T), Mode.TRAIN, 8, STEP, TOLERANCE);
    }

    @Test
    void gruGradientsForEveryNormalization() {
        for (RecurrentNorm norm : NORMS) GradCheck.check(gru(norm, 42), input(43, N, T), Mode.TRAIN, 44, STEP, TOLERANCE);
    }

    /** An EVAL forward keeps nothing for backward: after TRAIN steps and an EVAL forward, backward is refused. */
    @Test
    void backwardAfterEvalIsRefused() {
        for (Recurrent layer : List.of(gru(RecurrentNorm.batchPerStep(0.5), 45), recurrent(false, RecurrentNorm.batchPerStep(0.5), 9),
                recurrent(true, RecurrentNorm.batchPerStep(0.5), 9))) {
            for (int i = 0; i < 3; i++) layer.forward(input(10 + i, 6, 2), Mode.TRAIN);
            Tensor h = layer.forward(input(13, N, T), Mode.EVAL);
            LayerProperties.assertBackwardRefusedAfterEval(layer, Tensor.randn(new Rng(14), 1f, h.shape()));
        }
    }

    @Test
    void backwardAddsToExistingGradients() {
        Recurrent layer = recurrent(true, RecurrentNorm.LN, 15);
        Tensor x = input(16, N, T), dy = Tensor.randn(new Rng(17), 1f, N, H);
        layer.forward(x, Mode.TRAIN);
        Tensor dxOnce = layer.backward(dy);
        List<float[]> once = layer.params().stream().map(p -> p.grad().data().clone()).toList();
        layer.forward(x, Mode.TRAIN);
        assertArrayEquals(dxOnce.data(), layer.backward(dy).data(), 0f, "dx does not accumulate");
        for (int k = 0; k < once.size(); k++) {
            float[] twice = layer.params().get(k).grad().data();
            for (int i = 0; i < twice.length; i++) assertEquals(2 * once.get(k)[i], twice[i], 1e-5 * (1 + Math.abs(once.get(k)[i])));
        }
    }

    // ---- Per-time-step batch normalization ----

    /** Column means and unbiased variances of x_t·W_ihᵀ, the quantity the input norm sees at step t. */
    private static double[][] inputTermStatistics(Param weightIh, Tensor x, int t) {
        int n = x.dim(0), g = weightIh.value().dim(0);
        double[][] xt = new double[n][F];
        for (int s = 0; s < n; s++) for (int f = 0; f < F; f++) xt[s][f] = x.get(s, t, f);
        double[][] a = product(xt, weightIh.value());
        double[] mean = new double[g], unbiasedVar = new double[g];
        for (int j = 0; j < g; j++) {
            for (int s = 0; s < n; s++) mean[j] += a[s][j] / n;
            for (int s = 0; s < n; s++) unbiasedVar[j] += (a[s][j] - mean[j]) * (a[s][j] - mean[j]) / (n - 1);
        }
        return new double[][] {mean, unbiasedVar};
    }

    @Test
    void runningStatisticsAreKeptPerTimeStep() {
        LstmCell cell = (LstmCell) recurrent(true, RecurrentNorm.BN, 18).cell();
        Recurrent layer = new Recurrent(cell);
        Tensor x3 = input(19, 6, 3), x5 = input(20, 6, 5);
        layer.forward(x3, Mode.TRAIN);
        assertEquals(3, cell.inputNorm().stepsTracked());
        assertEquals(3, cell.hiddenNorm().stepsTracked());
        assertEquals(3, cell.cellNorm().stepsTracked());
        for (int t = 0; t < 3; t++) {
            double[][] stats = inputTermStatistics(cell.weightIh(), x3, t);
            for (int j = 0; j < 4 * H; j++) {   // fresh statistics are mean 0, variance 1; momentum 0.1
                assertEquals(0.1 * stats[0][j], cell.inputNorm().runningMean(t).get(j), 1e-5, "step " + t + " mean " + j);
                assertEquals(0.9 + 0.1 * stats[1][j], cell.inputNorm().runningVar(t).get(j), 1e-5, "step " + t + " var " + j);
            }
        }
        for (int j = 0; j < 4 * H; j++) {   // h₀ = 0: the hidden term at step 0 is 0 in every row
            assertEquals(0, cell.hiddenNorm().runningMean(0).get(j), 0);
            assertEquals(0.9, cell.hiddenNorm().runningVar(0).get(j), 1e-7);
        }

        // A longer sequence adds steps 3 and 4 and updates steps 0–2 a second time.
        layer.forward(x5, Mode.TRAIN);
        assertEquals(5, cell.inputNorm().stepsTracked());
        for (int t = 0; t < 5; t++) {
            double[][] now = inputTermStatistics(cell.weightIh(), x5, t);
            double[][] before = t < 3 ? inputTermStatistics(cell.weightIh(), x3, t) : null;
            for (int j = 0; j < 4 * H; j++) {
                double mean = t < 3 ? 0.9 * 0.1 * before[0][j] + 0.1 * now[0][j] : 0.1 * now[0][j];
                double var = t < 3 ? 0.9 * (0.9 + 0.1 * before[1][j]) + 0.1 * now[1][j] : 0.9 + 0.1 * now[1][j];
                assertEquals(mean, cell.inputNorm().runningMean(t).get(j), 1e-5, "step " + t + " mean " + j);
                assertEquals(var, cell.inputNorm().runningVar(t).get(j), 1e-5, "step " + t + " var " + j);
            }
        }
        assertEquals("StepNorm(BN per step, Ih, D=16): no running statistics for step 5 (5 steps tracked)",
                assertThrows(IndexOutOfBoundsException.class, () -> cell.inputNorm().runningMean(5)).getMessage());
    }

    @Test
    void evalUsesEachStepsRunningStatisticsAndTheLastStepsBeyondTheTrainedLength() {
        for (boolean lstm : new boolean[] {false, true}) {
            Recurrent layer = recurrent(lstm, RecurrentNorm.batchPerStep(0.1), 21);
            for (int i = 0; i < 4; i++) layer.forward(input(22 + i, 8, 2), Mode.TRAIN);   // trained on T = 2
            float[] meanStep1 = (lstm ? ((LstmCell) layer.cell()).inputNorm() : ((RnnCell) layer.cell()).inputNorm()).runningMean(1).data().clone();

            Tensor x = input(26, 3, 4);
            Tensor y = layer.forward(x, Mode.EVAL);
            assertMatches(referenceLastHidden(layer, x, new int[] {0, 1, 1, 1}), y, layer.describe() + " EVAL, T = 4 after T = 2");

            // Inference is per sequence: one sequence alone gives its row of the batch result.
            Tensor single = Tensor.of(Arrays.copyOfRange(x.data(), 4 * F, 8 * F), 1, 4, F);
            Tensor alone = layer.forward(single, Mode.EVAL);
            for (int k = 0; k < H; k++) assertEquals(y.get(1, k), alone.get(0, k), 1e-6);

            StepNorm inputNorm = lstm ? ((LstmCell) layer.cell()).inputNorm() : ((RnnCell) layer.cell()).inputNorm();
            assertEquals(2, inputNorm.stepsTracked(), "EVAL adds no steps");
            assertArrayEquals(meanStep1, inputNorm.runningMean(1).data(), "EVAL leaves the running statistics alone");
        }
    }

    @Test
    void evalBeforeAnyTrainingUsesFreshStatistics() {
        Recurrent layer = recurrent(false, RecurrentNorm.BN, 27);
        Tensor x = input(28, 2, 3);
        Tensor y = layer.forward(x, Mode.EVAL);
        // Mean 0 and variance 1 everywhere: n(a) = γ·a/√(1 + ε).
        RnnCell cell = (RnnCell) layer.cell();
        double[][] h = new double[2][H];
        for (int t = 0; t < 3; t++) {
            double[][] xt = new double[2][F];
            for (int s = 0; s < 2; s++) for (int f = 0; f < F; f++) xt[s][f] = x.get(s, t, f);
            double[][] aIh = product(xt, cell.weightIh().value()), aHh = product(h, cell.weightHh().value());
            double[][] next = new double[2][H];
            for (int s = 0; s < 2; s++) for (int k = 0; k < H; k++) {
                next[s][k] = Math.tanh(cell.inputNorm().gamma().value().get(k) * aIh[s][k] / Math.sqrt(1 + EPS)
                        + cell.hiddenNorm().gamma().value().get(k) * aHh[s][k] / Math.sqrt(1 + EPS) + cell.bias().value().get(k));
            }
            h = next;
        }
        assertMatches(h, y, "fresh statistics");
        assertEquals(0, cell.inputNorm().stepsTracked());
    }

    // ---- Layer normalization ----

    @Test
    void layerNormCellsAreTheSameInTrainAndEval() {
        for (boolean lstm : new boolean[] {false, true}) {
            Recurrent layer = recurrent(lstm, RecurrentNorm.layer(0.1), 29);
            Tensor x = input(30, 5, 6);
            float[] train = layer.forward(x, Mode.TRAIN).data().clone();
            assertArrayEquals(train, layer.forward(x, Mode.EVAL).data(), 0f, layer.describe());
        }
    }

    @Test
    void stepNormStandardizesRowsForLayerAndColumnsForBatch() {
        float[] a = {1, 2, 3, 10, 4, 4, 4, 7};   // 2 rows × 4 features
        StepNorm ln = new StepNorm(RecurrentNorm.LN, 4, "X", true);
        ln.startSequence();
        float[] y = ln.forward(0, a, 2, Mode.TRAIN);
        // row 0: mean 4, biased variance (9 + 4 + 1 + 36)/4 = 12.5; row 1: mean 4.75, variance (3·0.5625 + 5.0625)/4 = 1.6875
        assertEquals((1 - 4) / Math.sqrt(12.5 + EPS), y[0], 1e-6);
        assertEquals((7 - 4.75) / Math.sqrt(1.6875 + EPS), y[7], 1e-6);
        StepNorm bn = new StepNorm(RecurrentNorm.batchPerStep(0.1), 4, "X", false);
        bn.startSequence();
        float[] z = bn.forward(0, a, 2, Mode.TRAIN);
        // feature 3: values 10 and 7, mean 8.5, biased variance 2.25; γ = 0.1
        assertEquals(0.1 * 1.5 / Math.sqrt(2.25 + EPS), z[3], 1e-6);
        assertEquals(0.1 * -1.5 / Math.sqrt(2.25 + EPS), z[7], 1e-6);
        assertEquals(0.1 * 8.5, bn.runningMean(0).get(3), 1e-6);
        assertEquals(0.9 + 0.1 * 4.5, bn.runningVar(0).get(3), 1e-6);   // unbiased: 2.25·2/1
        assertEquals(0, ln.stepsTracked(), "layer norm keeps no running statistics");
    }

    // ---- Initialization, description, errors ----

    @Test
    void initFillsWeightsAndSetsTheForgetGateBias() {
        LstmCell cell = new LstmCell(F, H, RecurrentNorm.layer(0.1), true);
        Arrays.fill(cell.bias().value().data(), 5f);
        Init.xavier().apply(new Recurrent(cell), new Rng(31));
        for (int j = 0; j < 4 * H; j++) assertEquals(j >= H && j < 2 * H ? 1f : 0f, cell.bias().value().get(j), "bias " + j);
        for (Param p : List.of(cell.weightIh(), cell.weightHh())) {
            double sq = 0;
            for (float w : p.value().data()) sq += w * w;
            assertEquals(true, sq > 0, p.name() + " was not drawn");
        }
        for (float g : cell.inputNorm().gamma().value().data()) assertEquals(0.1f, g);
        for (float g : cell.cellNorm().gamma().value().data()) assertEquals(0.1f, g);
        assertEquals(List.of("weightIh", "weightHh", "bias", "gammaIh", "gammaHh", "gammaC", "betaC"),
                cell.params().stream().map(Param::name).toList());
        assertEquals(List.of("weightIh", "weightHh", "bias"), new RnnCell(F, H).params().stream().map(Param::name).toList());
        assertNull(new LstmCell(F, H).cellNorm());
        GruCell gru = new GruCell(F, H, RecurrentNorm.BN);
        Arrays.fill(gru.biasHn().value().data(), 5f);
        Init.xavier().apply(new Recurrent(gru), new Rng(32));
        assertEquals(List.of("weightIh", "weightHh", "bias", "biasHn", "gammaIh", "gammaHh"), gru.params().stream().map(Param::name).toList());
        assertArrayEquals(new int[] {3 * H, F}, gru.weightIh().value().shape());
        for (float b : gru.biasHn().value().data()) assertEquals(0f, b, "b_hn starts at 0");
        assertEquals(0f, new LstmCell(F, H).bias().value().get(H), "no forget bias unless asked");
    }


    @Test
    void describeNamesCellSizesAndNormalization() {
        assertEquals("Recurrent(RnnCell(28→64))", new Recurrent(new RnnCell(28, 64)).describe());
        assertEquals("Recurrent(LstmCell(28→64, LN γ₀=0.1, forget bias 1))",
                new Recurrent(new LstmCell(28, 64, RecurrentNorm.layer(0.1), true)).describe());
        assertEquals("RnnCell(28→64, BN per step)", new RnnCell(28, 64, RecurrentNorm.BN).describe());
        assertEquals("Recurrent(GruCell(28→64, LN))", new Recurrent(new GruCell(28, 64, RecurrentNorm.LN)).describe());
        assertEquals("LN γ₀=0.25", RecurrentNorm.layer(0.25).label());
        assertEquals("none", RecurrentNorm.NONE.label());
    }

    @Test
    void errorsNameTheLayerAndTheShapes() {
        Recurrent rnn = new Recurrent(new RnnCell(3, 4));
        assertEquals("Recurrent(RnnCell(3→4)): expected input [N,T,3], got [4, 3]",
                assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(4, 3), Mode.TRAIN)).getMessage());
        assertEquals("Recurrent(RnnCell(3→4)): expected input [N,T,3], got [4, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(4, 28, 28), Mode.TRAIN)).getMessage());
        assertEquals("Recurrent(RnnCell(3→4)): backward called before forward",
                assertThrows(IllegalStateException.class, () -> rnn.backward(Tensor.zeros(4, 4))).getMessage());
        rnn.forward(Tensor.zeros(4, 2, 3), Mode.TRAIN);
        assertEquals("Recurrent(RnnCell(3→4)): expected gradient [4,4], got [4, 2, 4]",
                assertThrows(IllegalArgumentException.class, () -> rnn.backward(Tensor.zeros(4, 2, 4))).getMessage());
        assertEquals("Recurrent(RnnCell(3→4)): got an empty batch or sequence [4, 0, 3]",
                assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(4, 0, 3), Mode.TRAIN)).getMessage());

        Recurrent bn = new Recurrent(new LstmCell(3, 4, RecurrentNorm.BN, false));
        assertEquals("Recurrent(LstmCell(3→4, BN per step)): expected more than 1 sequence per batch when training with per-step "
                        + "batch normalization, got input [1, 5, 3]",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 5, 3), Mode.TRAIN)).getMessage());
        assertArrayEquals(new int[] {1, 4}, bn.forward(Tensor.zeros(1, 5, 3), Mode.EVAL).shape(), "one sequence is fine at inference");

        assertEquals("RecurrentNorm: initial gain γ₀ must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RecurrentNorm.layer(0)).getMessage());
        assertEquals("LstmCell: sizes must be positive, got input=0, hidden=4",
                assertThrows(IllegalArgumentException.class, () -> new LstmCell(0, 4)).getMessage());
    }
}
