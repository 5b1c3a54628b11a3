package org.normlab.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Axis;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Findings;
import org.normlab.experiment.LearningRateTuning;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Tables;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.train.Trainer;
import tech.tablesaw.api.Table;

/**
 * Claim C18 (γ and β let the network recover the original distribution; they are the key feature of BN): an affine
 * ablation on two sigmoid networks, a 3×100 MLP and LeNet, each in three arms — no BN; BN with γ = 1, β = 0 fixed
 * (y = x̂, PyTorch's {@code affine=False}, which computes exactly what γ, β frozen at 1, 0 compute); BN with learned
 * γ, β. Ioffe &amp; Szegedy's argument is about a sigmoid: fixed at γ = 1, β = 0, BN keeps every unit in the sigmoid's
 * nearly linear range, and γ, β are what give the nonlinearity back. The learning rate is tuned per arm on a
 * validation split ({@link #tuning}); the statistic is the final test accuracy with learned minus fixed γ, β, paired
 * by seed. Every BN run also logs its layers' γ and the σ of their input ({@link BnLayerTrace}), for the figure of
 * learned γ against σ over training.
 */
public final class AffineStudy implements Study<AffineStudy.Report> {
    /** The three arms of the ablation, shown in tables as no_bn, bn_fixed and bn_learned. */
    public enum Arm {
        /** No normalization layers. */
        NO_BN,
        /** BN with y = x̂: γ = 1, β = 0, not trained. */
        BN_FIXED,
        /** BN with y = γ·x̂ + β, γ and β trained (PyTorch's default). */
        BN_LEARNED;

        /** The arm of a run: its norm, and whether the norm has learned γ, β. */
        public static Arm of(RunSpec spec) {
            return spec.norm().equals(Norm.NONE) ? NO_BN : spec.normAffine() ? BN_LEARNED : BN_FIXED;
        }

        RunSpec apply(RunSpec spec) {
            return this == NO_BN ? spec.withNorm(Norm.NONE).withNormAffine(true) : spec.withNorm(Norm.BN).withNormAffine(this == BN_LEARNED);
        }
    }

    /** The arm as one axis, shown in the "norm" column: it sets the norm and whether it has γ, β. */
    public static final Axis<RunSpec, Arm> ARM = Axis.of("norm", Arm::of, (spec, arm) -> arm.apply(spec));
    public static final List<Arm> ARMS = List.of(Arm.NO_BN, Arm.BN_FIXED, Arm.BN_LEARNED);

    @Override public String name() { return "affine"; }

    @Override public String title() { return "C18: BN's γ, β learned vs fixed at γ = 1, β = 0 vs no BN, on a sigmoid MLP and LeNet"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    /**
     * Each arm's learning rate is tuned on a validation split held out of a training subset drawn per seed, on a log
     * grid, the same budget for every arm (as in C14); the test set is read only by the final runs.
     */
    @Override
    public String learningRate(Scale scale) {
        return tuning(scale).describe();
    }

    public static LearningRateTuning tuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.03, 0.3), LearningRateTuning.logGrid(0.01, 1, 5), LearningRateTuning.logGrid(0.005, 2, 7)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000), scale.pick(0, 0, 55_000));
    }

    /**
     * The three arms of one sigmoid network (Xavier initialization, as {@link RunSpec#mlp} chooses it for a sigmoid),
     * BN before the activation, SGD with momentum 0.9, batch 64; every run logs its BN layers.
     */
    public static Sweep<RunSpec> sweep(String model, Scale scale) {
        RunSpec base = (model.equals("mlp") ? RunSpec.mlp(List.of(100, 100, 100), Activation.Kind.SIGMOID) : RunSpec.lenet(Activation.Kind.SIGMOID))
                .withNorm(Norm.BN).withLr(0.1).withMomentum(0.9).withBatchSize(64).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(1024, 10_000, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(scale.pick(1, 2, 5)).withLogEvery(scale.pick(4, 40, 200)).withBnLayers(true);
        return Sweep.of("affine-" + model + "-" + scale, base).vary(ARM, ARMS).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        List<Verdict.Criterion> c = new ArrayList<>();
        for (String model : List.of("MLP", "LeNet")) {
            c.add(Verdict.Criterion.above("C18 (" + model + ", sigmoid)",
                    "final test accuracy (BN with learned γ, β) − (BN with γ = 1, β = 0 fixed), paired by seed, each arm at its tuned lr", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS));
        }
        return c;
    }

    /** Per seed, final test accuracy of arm {@code a} minus arm {@code b} (a diverged run at chance, 0.1). */
    public static Summary difference(SweepResult<RunSpec> s, Arm a, Arm b) {
        return s.pairedDifference(c -> Arm.of(c) == a, c -> Arm.of(c) == b, r -> SweepResult.finalOrChance(r, Trainer.TEST_ACC));
    }

    @Override
    public Plan plan(Scale scale) {
        LearningRateTuning t = tuning(scale);
        String perArm = "lr tuned per arm on the validation split by the tuning sweep above (the lr shown is replaced)";
        return Plan.of(name(), scale, t.tuningSweep(sweep("mlp", scale)), sweep("mlp", scale).perArm(UnaryOperator.identity(), perArm),
                t.tuningSweep(sweep("lenet", scale)), sweep("lenet", scale).perArm(UnaryOperator.identity(), perArm));
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning t = tuning(scale);
        LearningRateTuning.Result mlpLr = t.tune(sweep("mlp", scale), train, store, progress, engine);
        LearningRateTuning.Result lenetLr = t.tune(sweep("lenet", scale), train, store, progress, engine);
        SweepResult<RunSpec> mlp = LearningRateTuning.apply(sweep("mlp", scale), mlpLr).run(train, test, store, progress, engine);
        SweepResult<RunSpec> lenet = LearningRateTuning.apply(sweep("lenet", scale), lenetLr).run(train, test, store, progress, engine);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict mlpVerdict = parts.verdict(c.get(0).judge(difference(mlp, Arm.BN_LEARNED, Arm.BN_FIXED)));
        Verdict lenetVerdict = parts.verdict(c.get(1).judge(difference(lenet, Arm.BN_LEARNED, Arm.BN_FIXED)));
        Network mlpParts = network(parts, "mlp", mlp, mlpLr, "sigmoid MLP 3×100");
        Network lenetParts = network(parts, "lenet", lenet, lenetLr, "sigmoid LeNet");
        List<Results.Run<RunSpec>> all = new ArrayList<>(mlp.runs());
        all.addAll(lenet.runs());
        return new Report(parts.build(SweepResult.of(name(), all, Axes.MODEL, ARM)), mlpParts, lenetParts, mlpVerdict, lenetVerdict);
    }

    /**
     * The tables and figures of one network, saved as {@code <model>-final.csv}, {@code <model>-test-acc.png},
     * {@code <model>-curves.png}, {@code <model>-bn-trace.csv}, {@code <model>-gamma-vs-sigma.png},
     * {@code <model>-gamma-over-sigma.png} and {@code <model>-lr-tuning.csv}.
     */
    private static Network network(Findings.Builder parts, String model, SweepResult<RunSpec> s, LearningRateTuning.Result lr, String title) {
        Table tuned = parts.table(model + "-lr-tuning", lr.table());
        SweepResult<RunSpec> grouped = SweepResult.of(s.name(), s.runs(), ARM);
        Table acc = parts.table(model + "-final", grouped.finalSummary(Trainer.TEST_ACC));
        CategoryChart testAcc = parts.figure(model + "-test-acc", Charts.bars(Tables.withLabel(acc, "norm", "network", n -> title), "network", "norm",
                "final " + Trainer.TEST_ACC, "ci95_lo", "ci95_hi", title + ": final test accuracy per arm (each at its tuned lr)"));
        XYChart curves = parts.figure(model + "-curves", grouped.curves(Trainer.TEST_ACC, title + ": test accuracy during training"));
        Table trace = parts.table(model + "-bn-trace", Tables.bnLayerTrace(title + ": BN layers with learned γ, β, mean over seeds",
                s.where(spec -> Arm.of(spec) == Arm.BN_LEARNED)));
        XYChart gammaVsSigma = parts.figure(model + "-gamma-vs-sigma", Charts.paths(trace, "layer", BnLayerTrace.SIGMA, BnLayerTrace.GAMMA,
                "σ of the BN input (mean over channels)", "learned γ (mean over channels)",
                title + ": learned γ vs the σ it divides by", "γ = σ (BN undone)"));
        XYChart ratio = parts.figure(model + "-gamma-over-sigma", Charts.versus(trace, "step", "step", false, "layer", BnLayerTrace.GAMMA_OVER_SIGMA,
                title + ": median γ/σ over channels during training"));
        return new Network(acc, testAcc, curves, trace, gammaVsSigma, ratio, tuned);
    }

    /**
     * One network's final test accuracy per arm (table and bars), its test-accuracy curves, the trace of its BN layers
     * with learned γ, β (table, γ against σ, γ/σ over training) and the learning rate each arm was tuned to.
     */
    public record Network(Table finals, CategoryChart testAcc, XYChart curves, Table bnTrace, XYChart gammaVsSigma, XYChart gammaOverSigma,
                          Table lrTuning) {}

    /** What the study found: both networks' results and the C18 verdict per network. */
    public record Report(Findings findings, Network mlp, Network lenet, Verdict c18Mlp, Verdict c18LeNet) implements StudyReport {}
}
