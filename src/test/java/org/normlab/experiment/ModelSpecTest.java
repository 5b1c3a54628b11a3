package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.model.ModelSpec;
import org.normlab.model.Models;
import org.normlab.nn.Activation;
import org.normlab.nn.Dropout;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.diagnostics.Probe;
import org.normlab.nn.Sequential;
import org.normlab.nn.Shift;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.NoisyBatchNorm;
import org.normlab.norm.Norm;
import org.normlab.model.Placement;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The network part of a RunSpec (model kind, dropout, γ₀, BN momentum, input shift, probe) reaches the built model. */
class ModelSpecTest {
    private static final RunSpec MLP = RunSpec.mlp(List.of(32, 32), Activation.Kind.RELU);

    @Test
    void dropoutClosesEveryHiddenBlockAndLeavesTheInitialWeightsAlone() {
        Sequential plain = Experiment.model(MLP.withNorm(Norm.BN), new Rng(7));
        Sequential dropped = Experiment.model(MLP.withNorm(Norm.BN).withDropout(0.5), new Rng(7));
        assertEquals(2, dropped.layers().stream().filter(l -> l instanceof Dropout).count());
        assertEquals(0, plain.layers().stream().filter(l -> l instanceof Dropout).count());
        List<Param> a = plain.params(), b = dropped.params();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), 0f, a.get(i).name());
    }

    @Test
    void gamma0SetsEveryNormGain() {
        Sequential model = Experiment.model(MLP.withNorm(Norm.BN).withGamma0(0.1), new Rng(1));
        long gains = model.params().stream().filter(p -> p.isNormAffine() && p.name().equals("gamma")).peek(p -> {
            for (float g : p.value().data()) assertEquals(0.1f, g);
        }).count();
        assertEquals(2, gains);
    }

    /**
     * The builder gives the model what the experiment once patched in after building it: γ filled with (float) γ₀,
     * each noisy BN reseeded with a split of the dropout stream in model order (after the dropout layers' splits), the
     * BN momentum set, a Shift prepended and a Probe inserted before the last activation. Same weights, same noise,
     * same outputs and running statistics, bit for bit.
     */
    @Test
    void theBuilderGivesTheModelTheOldPostBuildPatches() {
        RunSpec spec = RunSpec.mlp(List.of(16, 16), Activation.Kind.RELU).withNorm(Norm.NOISY_BN).withDropout(0.3).withGamma0(0.5)
                .withBnMomentum(0.3).withInputShift(-0.5).withProbeUnit(2);
        Sequential built = Experiment.model(spec, new Rng(4), new Rng(9));

        Rng dropoutRng = new Rng(9);
        Sequential old = Models.mlp(new int[] {784, 16, 16, 10}, Activation.Kind.RELU, Norm.NOISY_BN, Placement.BEFORE, Init.he(), new Rng(4),
                0.3, dropoutRng);
        for (Param p : old.params()) if (p.isNormAffine() && p.name().equals("gamma")) Arrays.fill(p.value().data(), 0.5f);
        for (NoisyBatchNorm noisy : NoisyBatchNorm.all(old)) noisy.reseed(dropoutRng.split());
        for (BatchNorm bn : Layer.all(old, BatchNorm.class)) bn.setMomentum(0.3);
        List<Layer> layers = new ArrayList<>(old.layers());
        layers.add(0, new Shift(-0.5));
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Activation) {
                layers.add(i, new Probe("last-hidden-2", 2));
                break;
            }
        }
        old = new Sequential(layers);

        assertEquals(old.describe(), built.describe());
        for (int i = 0; i < old.params().size(); i++) assertArrayEquals(old.params().get(i).value().data(), built.params().get(i).value().data(), 0f);
        Tensor x = Tensor.randn(new Rng(5), 1f, 8, 1, 28, 28);
        for (int step = 0; step < 2; step++) {
            assertArrayEquals(old.forward(x, Mode.TRAIN).data(), built.forward(x, Mode.TRAIN).data(), 0f, "noise and dropout of step " + step);
        }
        List<BatchNorm> a = Layer.all(old, BatchNorm.class), b = Layer.all(built, BatchNorm.class);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).runningMean().data(), b.get(i).runningMean().data(), 0f);
    }

    @Test
    void recurrentAndMbConvModelsAreBuiltFromTheirSpecs() {
        RunSpec lstm = RunSpec.recurrent(ModelSpec.Recurrent.Cell.LSTM, 16).withNorm(Norm.LN).withGamma0(0.1);
        assertTrue(Experiment.model(lstm, new Rng(1)).describe().contains("LstmCell(28→16, LN γ₀=0.1"), Experiment.model(lstm, new Rng(1)).describe());
        assertTrue(Experiment.model(lstm.withNorm(Norm.BN).withGamma0(1), new Rng(1)).describe().contains("BN per step"));
        RunSpec gru = RunSpec.recurrent(ModelSpec.Recurrent.Cell.GRU, 16).withNorm(Norm.BN).withGamma0(0.1);
        assertTrue(Experiment.model(gru, new Rng(1)).describe().contains("GruCell(28→16, BN per step γ₀=0.1)"), Experiment.model(gru, new Rng(1)).describe());
        assertEquals("gru", gru.model().name());
        assertTrue(Experiment.model(RunSpec.mbconv().withNorm(Norm.BN), new Rng(1)).describe().contains("MBConv"));
        RunSpec rnn = RunSpec.recurrent(ModelSpec.Recurrent.Cell.RNN, 16);
        assertEquals("RunSpec: hidden is a setting of model mlp, got model rnn",
                assertThrows(IllegalArgumentException.class, () -> rnn.withHidden(List.of(32))).getMessage());
        assertEquals("Models: recurrent model 'rnn' takes norm none, LN or BN (per time step), got GN(2)",
                assertThrows(IllegalArgumentException.class, () -> Experiment.model(rnn.withNorm(Norm.GN(2)), new Rng(1))).getMessage());
    }

    @Test
    void badValuesNameTheSetting() {
        assertEquals(false, MLP.withDecayNormParams(false).decayNormParams());
        assertEquals("Mlp: dropout must be in [0,1), got 1.0", assertThrows(IllegalArgumentException.class, () -> MLP.withDropout(1.0)).getMessage());
        assertEquals("NetworkSpec: gamma0 must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> MLP.withGamma0(0.0)).getMessage());
        assertEquals("Budget: batchSize must be positive, got 0", assertThrows(IllegalArgumentException.class, () -> MLP.withBatchSize(0)).getMessage());
        assertEquals("RunSpec: activation is a setting of model mlp or lenet, got model mbconv",
                assertThrows(IllegalArgumentException.class, () -> RunSpec.mbconv().withActivation(Activation.Kind.TANH)).getMessage());
    }

    @Test
    void normAffineOffBuildsBatchNormWithoutGammaBetaAndEntersTheKeyOnlyWhenSet() {
        RunSpec fixed = RunSpec.lenet(Activation.Kind.SIGMOID).withNorm(Norm.BN).withNormAffine(false);
        Sequential model = Experiment.model(fixed, new Rng(1));
        List<BatchNorm> bns = Layer.all(model, BatchNorm.class);
        assertEquals(4, bns.size());
        for (BatchNorm bn : bns) assertEquals(0, bn.params().size(), bn.describe() + " has no γ, β");
        assertEquals(8, Experiment.model(fixed.withNormAffine(true), new Rng(1)).params().size() - model.params().size(), "γ and β of 4 BN layers");
        assertEquals("v1;run;model=lenet;activation=sigmoid;norm=BN;init=xavier;normAffine=false", fixed.canonical());
        assertEquals("v1;run;model=lenet;activation=sigmoid;norm=BN;init=xavier", fixed.withNormAffine(true).canonical());
        assertEquals("v1;run;bnLayers=true", RunSpec.DEFAULT.withBnLayers(true).canonical());
        assertEquals("NetworkSpec: gamma0 sets γ, which norm layers without affine do not have; expected gamma0 1 with normAffine false, got 0.1",
                assertThrows(IllegalArgumentException.class, () -> fixed.withGamma0(0.1)).getMessage());
    }
}
