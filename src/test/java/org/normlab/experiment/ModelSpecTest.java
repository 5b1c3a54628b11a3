package org.normlab.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.nn.Dropout;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;

/** The model-shaping fields of a RunConfig (model kind, dropout, γ₀, weight decay on γ/β) reach the built model. */
class ModelConfigTest {
    private static final RunConfig MLP = RunConfig.mlp(List.of(32, 32), Activation.Kind.RELU);

    @Test
    void dropoutClosesEveryHiddenBlockAndLeavesTheInitialWeightsAlone() {
        Sequential plain = Experiment.model(MLP.withNorm(Norm.BN), new Rng(7));
        Sequential dropped = Experiment.model(MLP.withNorm(Norm.BN).with("dropout", 0.5), new Rng(7));
        assertEquals(2, dropped.layers().stream().filter(l -> l instanceof Dropout).count());
        assertEquals(0, plain.layers().stream().filter(l -> l instanceof Dropout).count());
        List<Param> a = plain.params(), b = dropped.params();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), 0f, a.get(i).name());
    }

    @Test
    void gamma0SetsEveryNormGain() {
        Sequential model = Experiment.model(MLP.withNorm(Norm.BN).with("gamma0", 0.1), new Rng(1));
        long gains = model.params().stream().filter(p -> p.isNormAffine() && p.name().equals("gamma")).peek(p -> {
            for (float g : p.value().data()) assertEquals(0.1f, g);
        }).count();
        assertEquals(2, gains);
    }

    @Test
    void recurrentAndMbConvModelsAreBuiltByName() {
        RunConfig rnn = MLP.with("model", "lstm").with("hidden", List.of(16)).withNorm(Norm.LN).with("gamma0", 0.1);
        assertTrue(Experiment.model(rnn, new Rng(1)).describe().contains("LstmCell(28→16, LN γ₀=0.1"), Experiment.model(rnn, new Rng(1)).describe());
        assertEquals("LN γ₀=0.1", Experiment.recurrentNorm(rnn).label());
        assertEquals("BN per step", Experiment.recurrentNorm(rnn.withNorm(Norm.BN).with("gamma0", 1.0)).label());
        assertTrue(Experiment.model(MLP.with("model", "mbconv").withNorm(Norm.BN), new Rng(1)).describe().contains("MBConv"));
        assertEquals("Experiment: model 'rnn' needs one hidden size, e.g. hidden=[128], got [32, 32]",
                assertThrows(IllegalArgumentException.class, () -> Experiment.model(MLP.with("model", "rnn"), new Rng(1))).getMessage());
        assertEquals("Experiment: recurrent model 'rnn' takes norm none, LN or BN (per time step), got GN(2)",
                assertThrows(IllegalArgumentException.class, () -> Experiment.model(rnn.with("model", "rnn").withNorm(Norm.GN(2)), new Rng(1))).getMessage());
    }

    @Test
    void booleansAndBadValuesAreChecked() {
        assertEquals(false, MLP.with("decayNormParams", "off").decayNormParams());
        assertEquals(true, MLP.with("decayNormParams", true).decayNormParams());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MLP.with("dropout", 1.0)).getMessage().contains("dropout must be in [0,1), got 1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MLP.with("gamma0", 0.0)).getMessage().contains("gamma0 must be positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MLP.with("decayNormParams", "maybe")).getMessage().contains("not a boolean: maybe"));
    }
}
