package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.model.ModelSpec;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;

/**
 * The store's key is the hash of a canonical, versioned text of the settings that differ from their defaults. The
 * literals below are committed: a change of the format, or a new setting that does not default to today's
 * behaviour, changes them and so every stored run's name, and this test says so.
 */
class SpecKeyTest {
    @Test
    void theDefaultSpecIsTheVersionAlone() {
        assertEquals("v1;run", RunSpec.DEFAULT.canonical());
        assertEquals("v1;gan", GanSpec.DEFAULT.canonical());
    }

    @Test
    void aStudySpecHasAFixedTextAndKey() {
        RunSpec quickstart = RunSpec.mlp(List.of(128, 128), Activation.Kind.SIGMOID).withEpochs(1).withTrainSize(2048).withTestSize(1000)
                .withLogEvery(4).withNorm(Norm.BN).withSeed(2);
        assertEquals("v1;run;hidden=[128, 128];activation=sigmoid;norm=BN;init=xavier;trainSize=2048;testSize=1000;logEvery=4;seed=2",
                quickstart.canonical());
        assertEquals("f41c0b11f1a5fc45", quickstart.key(), "the first 16 hex digits of its SHA-256");
        RunSpec lstm = RunSpec.recurrent(ModelSpec.Recurrent.Cell.LSTM, 32).withNorm(Norm.BN).withGamma0(0.1).withInputShift(-0.5).withLr(0.5);
        assertEquals("v1;run;model=lstm;hidden=32;norm=BN;init=xavier;gamma0=0.1;inputShift=-0.5;lr=0.5", lstm.canonical());
        RunSpec gru = RunSpec.recurrent(ModelSpec.Recurrent.Cell.GRU, 32).withNorm(Norm.LN).withInputShift(-0.5).withLr(0.5);
        assertEquals("v1;run;model=gru;hidden=32;norm=LN;init=xavier;inputShift=-0.5;lr=0.5", gru.canonical());
        GanSpec gan = GanSpec.DEFAULT.withLr(1e-3).withSteps(300).withLogEvery(15).withNorm(Norm.BN);
        assertEquals("v1;gan;norm=BN;lr=0.001;steps=300;logEvery=15", gan.canonical());
    }

    @Test
    void equalSpecsBuiltDifferentWaysShareOneKey() {
        RunSpec a = RunSpec.mlp(List.of(128), Activation.Kind.RELU).withNorm(Norm.BN).withLr(0.05).withBatchSize(32);
        RunSpec b = RunSpec.DEFAULT.withBatchSize(32).withLr(0.05).withNorm(Norm.parse("batchnorm")).withHidden(List.of(128));
        assertEquals(a, b);
        assertEquals(a.key(), b.key());
        assertEquals(RunSpec.DEFAULT.key(), RunSpec.DEFAULT.withLr(0.1).withInitScale(1).withSeed(0).key(), "setting a default writes nothing");
        assertNotEquals(a.key(), a.withSeed(1).key());
        assertNotEquals(a.key(), a.withNorm(Norm.LN).key());
    }

    @Test
    void numbersHaveOneCanonicalForm() {
        assertEquals("1", Canonical.format(1.0));
        assertEquals("0.1", Canonical.format(0.1));
        assertEquals("0.001", Canonical.format(1e-3));
        assertEquals("100000", Canonical.format(1e5));
        assertEquals("-0.5", Canonical.format(-0.5));
        assertEquals("-0", Canonical.format(-0.0));
        assertEquals("64", Canonical.format(64));
        assertEquals("[2, 0.5]", Canonical.format(List.of(2, 0.5)));
        assertEquals("warmup-cosine", Canonical.format(Schedule.WARMUP_COSINE));
    }
}
