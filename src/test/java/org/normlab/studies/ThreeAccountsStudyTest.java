package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.diagnostics.LossLandscape;
import org.normlab.diagnostics.ScaleInvariance;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Layer;
import org.normlab.norm.NoisyBatchNorm;
import org.normlab.tensor.Rng;
import tech.tablesaw.api.Table;

/** The arms and the networks they build, the accounts' summary rule, and the whole study at smoke scale on the same runs. */
class ThreeAccountsStudyTest {
    private static final RunSpec BASE = ThreeAccountsStudy.sweep(Scale.SMOKE).base();

    private static RunSpec spec(ThreeAccountsStudy.Arm a) { return ThreeAccountsStudy.arm(Scale.SMOKE).apply(BASE, a); }

    @Test
    void eachArmIsReadBackAndOnlyNoneAndBnMeasureTheLandscape() {
        for (ThreeAccountsStudy.Arm a : ThreeAccountsStudy.ARMS) {
            RunSpec s = spec(a);
            assertEquals(a, ThreeAccountsStudy.Arm.of(s), a.name());
            assertEquals(a.landscape() ? ThreeAccountsStudy.landscapeBatch(Scale.SMOKE) : 0, s.measurements().landscapeBatch(), a.name());
            assertTrue(s.measurements().bnLayers() && s.measurements().probeUnit() == 0, a + ": the other two accounts' diagnostics are on");
        }
        assertEquals(ThreeAccountsStudy.WEIGHT_DECAY, spec(ThreeAccountsStudy.Arm.BN_WEIGHT_DECAY).weightDecay(), 0);
        assertEquals(0, spec(ThreeAccountsStudy.Arm.BN).weightDecay(), 0);
    }

    @Test
    void theBnArmsHaveScaleInvariantWeightsBeforeEveryBnAndTheNoisyArmItsNoise() {
        for (ThreeAccountsStudy.Arm a : List.of(ThreeAccountsStudy.Arm.BN, ThreeAccountsStudy.Arm.BN_WEIGHT_DECAY)) {
            assertEquals(3, ScaleInvariance.weightsBeforeBn(Experiment.model(spec(a), new Rng(0))).size(), a.name());
        }
        assertTrue(ScaleInvariance.weightsBeforeBn(Experiment.model(spec(ThreeAccountsStudy.Arm.NONE), new Rng(0))).isEmpty());
        assertEquals(3, Layer.all(Experiment.model(spec(ThreeAccountsStudy.Arm.NOISY_BN), new Rng(0)), NoisyBatchNorm.class).size());
    }

    @Test
    void anAccountHoldsOnlyWhenAllItsPredictionsAreSupported() {
        assertEquals("hold", ThreeAccountsStudy.holds(List.of(Verdict.Outcome.SUPPORTED, Verdict.Outcome.SUPPORTED)));
        assertEquals("open", ThreeAccountsStudy.holds(List.of(Verdict.Outcome.SUPPORTED, Verdict.Outcome.INCONCLUSIVE)));
        assertEquals("fail", ThreeAccountsStudy.holds(List.of(Verdict.Outcome.SUPPORTED, Verdict.Outcome.NOT_SUPPORTED, Verdict.Outcome.INCONCLUSIVE)));
        assertEquals("open", ThreeAccountsStudy.holds(List.of()));
    }

    @Test
    void theSummaryJudgesEachAccountOnItsAdjustedVerdicts() {
        List<Verdict.Criterion> c = new ThreeAccountsStudy().criteria(Scale.SMOKE);
        assertTrue(c.get(6).changed() && c.stream().limit(6).noneMatch(Verdict.Criterion::changed), "only the weight-decay criterion was revised");
        Summary clear = Summary.of(1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 0.98), against = Summary.of(-1.0, -1.1, -0.9, -1.05, -0.95, -1.0, -1.02, -0.98);
        // Supported on its own (p ≈ 0.034), but not after Holm when two such claims share the family.
        Summary weak = Summary.of(0.2, 1.0, 0.1, 0.9, 0.3, 0.05, 1.1, -0.1);
        List<Verdict> v = new ArrayList<>();
        List<Summary> values = List.of(clear, clear, clear, weak, weak, clear, against);
        for (int i = 0; i < c.size(); i++) v.add(c.get(i).judge(values.get(i)));
        assertEquals(Verdict.Outcome.SUPPORTED, v.get(3).outcome(), "raw: supported");
        Table t = ThreeAccountsStudy.accounts(v);
        assertEquals(List.of("hold", "open", "fail"), t.stringColumn("predictions on these runs").asList());
        assertTrue(t.stringColumn("criteria (adjusted verdict)").get(1).contains("gradient change): INCONCLUSIVE"), t.print());
        assertThrows(IllegalArgumentException.class, () -> ThreeAccountsStudy.accounts(v.subList(0, 6)));
    }

    @Test
    void theStudyRunsAtSmokeScaleWithAllThreeAccountsMeasuredOnTheSameRuns() {
        Dataset train = FashionMnist.fromEnvironment().load(FashionMnist.Split.TRAIN), test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        ThreeAccountsStudy.Report r = new ThreeAccountsStudy().run(Scale.SMOKE, train, test, ResultStore.none(), Progress.none(), Engine.local(2));
        assertEquals(7, r.findings().verdicts().size());
        assertEquals(3, r.accounts().rowCount());
        for (Results.Run<?> x : r.findings().sweep().runs()) {
            Results.Run<RunSpec> run = asRunSpec(x);
            ThreeAccountsStudy.Arm a = ThreeAccountsStudy.Arm.of(run.spec());
            assertFalse(Double.isNaN(run.log().last("probe/" + CovariateShiftStudy.PROBE + "/p50")), a + ": covariate-shift probe");
            assertEquals(a.landscape(), !Double.isNaN(run.log().last(LossLandscape.BETA_SMOOTHNESS)), a + ": landscape");
            boolean bn = a == ThreeAccountsStudy.Arm.BN || a == ThreeAccountsStudy.Arm.BN_WEIGHT_DECAY;
            assertEquals(bn, !Double.isNaN(run.log().last(BnLayerTrace.metric(3, BnLayerTrace.EFFECTIVE_LR))), a + ": effective rate");
        }
        assertEquals(2, r.c22Grows().statistic().n(), "both seeds of the BN arm");
        assertEquals(List.of("bn", "bn_weight_decay"), r.bnTrace().stringColumn("arm").unique().asList());
        assertEquals(ThreeAccountsStudy.ARMS.size(), r.lrTuning().rowCount());
    }

    @SuppressWarnings("unchecked")
    private static Results.Run<RunSpec> asRunSpec(Results.Run<?> r) { return (Results.Run<RunSpec>) r; }
}
