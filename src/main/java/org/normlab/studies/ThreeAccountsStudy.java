package org.normlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.diagnostics.LossLandscape;
import org.normlab.experiment.Axis;
import org.normlab.experiment.ClaimsTable;
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
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Why BN works, three accounts side by side on the same trained networks (C4, C17, C22):
 * <ul>
 *   <li>internal covariate shift (Ioffe &amp; Szegedy 2015): BN keeps a layer's input distribution from drifting, and
 *       that is why it trains better; so the drift of the probed sigmoid input is smaller with BN, and noisy BN
 *       ({@link org.normlab.norm.NoisyBatchNorm}, a shift made on purpose) loses BN's edge;</li>
 *   <li>smoothness (Santurkar et al. 2018): BN makes the loss and its gradient vary less along the gradient; so the
 *       loss range, the gradient change and the effective β-smoothness along the gradient ({@link LossLandscape}) are
 *       smaller with BN;</li>
 *   <li>the effective learning rate (van Laarhoven 2017; Arora, Li &amp; Lyu 2018): the loss ignores the scale of the
 *       weights before BN, so they only grow and the effective rate lr/‖w‖² falls ({@link BnLayerTrace}); weight decay
 *       shrinks them, so with it the norm settles where growth and decay balance.</li>
 * </ul>
 * One network for all three: Ioffe &amp; Szegedy's 784-100-100-100-10 sigmoid MLP (batch 60, plain SGD, the net of
 * {@link CovariateShiftStudy}), whose hidden Linear layers have no bias before BN. Four arms ({@link Arm}): no norm,
 * BN, noisy BN, and BN with weight decay on the weights; each arm's rate is tuned on a validation split. Every run logs
 * all three accounts' diagnostics at the same log points (the landscape only for none and BN: noisy BN would draw new
 * noise at each probe, and the weight-decay arm is there for the third account).
 */
public final class ThreeAccountsStudy implements Study<ThreeAccountsStudy.Report> {
    /** The weight decay of the decay arm (on the weights, not on γ/β). */
    public static final double WEIGHT_DECAY = 5e-3;

    /** The four arms, shown as none, bn, noisy_bn, bn_weight_decay. */
    public enum Arm {
        /** No normalization. */
        NONE,
        /** BN before every sigmoid. */
        BN,
        /** BN followed by Santurkar et al.'s time-varying noise in training. */
        NOISY_BN,
        /** BN, and weight decay {@value #WEIGHT_DECAY} on the weights. */
        BN_WEIGHT_DECAY;

        /** The arm of a run: its norm and weight decay. */
        public static Arm of(RunSpec spec) {
            if (spec.norm().equals(Norm.NONE)) return NONE;
            if (spec.norm().equals(Norm.NOISY_BN)) return NOISY_BN;
            return spec.weightDecay() > 0 ? BN_WEIGHT_DECAY : BN;
        }

        /** Whether the arm measures the loss landscape (see the class comment). */
        public boolean landscape() { return this == NONE || this == BN; }

        RunSpec apply(RunSpec spec, int landscapeBatch) {
            RunSpec s = switch (this) {
                case NONE -> spec.withNorm(Norm.NONE).withWeightDecay(0);
                case BN -> spec.withNorm(Norm.BN).withWeightDecay(0);
                case NOISY_BN -> spec.withNorm(Norm.NOISY_BN).withWeightDecay(0);
                case BN_WEIGHT_DECAY -> spec.withNorm(Norm.BN).withWeightDecay(WEIGHT_DECAY);
            };
            return s.withLandscapeBatch(landscape() ? landscapeBatch : 0);
        }

        /** How the arm appears in result tables. */
        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    public static final List<Arm> ARMS = List.of(Arm.NONE, Arm.BN, Arm.NOISY_BN, Arm.BN_WEIGHT_DECAY);

    /** The three accounts, in the order of the criteria. */
    public enum Account {
        COVARIATE_SHIFT("internal covariate shift (Ioffe & Szegedy 2015)"),
        SMOOTHNESS("smoothness of the loss (Santurkar et al. 2018)"),
        EFFECTIVE_LR("effective learning rate (van Laarhoven 2017; Arora, Li & Lyu 2018)");

        private final String text;

        Account(String text) { this.text = text; }

        public String text() { return text; }
    }

    @Override public String name() { return "three-accounts"; }

    @Override public String title() { return "C4/C17/C22: covariate shift, smoothness and the effective learning rate on the same runs"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 10); }

    static int landscapeBatch(Scale scale) { return scale.pick(120, 600, 600); }

    /** The arm as one axis, shown in the "arm" column; it sets the norm, the weight decay and whether the landscape is measured. */
    public static Axis<RunSpec, Arm> arm(Scale scale) {
        int batch = landscapeBatch(scale);
        return Axis.of("arm", Arm::of, (spec, a) -> a.apply(spec, batch));
    }

    public static Sweep<RunSpec> sweep(Scale scale) {
        RunSpec base = RunSpec.mlp(List.of(100, 100, 100), Activation.Kind.SIGMOID).withLr(CovariateShiftStudy.LR).withBatchSize(60)
                .withDecayNormParams(false).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(6_000, 58_000, 55_000)).withTestSize(scale.pick(1_000, 5_000, 10_000))
                .withEpochs(scale.pick(1, 3, 10)).withMaxSteps(scale.pick(100, 2_000, 9_000))
                .withLogEvery(scale.pick(10, 100, 500)).withProbeUnit(0).withBnLayers(true);
        return Sweep.of("three-accounts-" + scale, base).vary(arm(scale), ARMS).seeds(seeds(scale));
    }

    /**
     * Each arm's rate on a log grid around Ioffe's 0.5, on a validation split held out of the training set (the final
     * runs' subset leaves room for it: 58 000 + 2 000 at default scale, 55 000 + 5 000 at full).
     */
    public static LearningRateTuning tuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.1, 0.5), LearningRateTuning.logGrid(0.05, 2, 4), LearningRateTuning.logGrid(0.03, 3, 6)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000));
    }

    @Override
    public String learningRate(Scale scale) { return tuning(scale).describe(); }

    @Override
    public List<String> design() {
        return List.of(
                "The three accounts are judged on the same runs: every run of every arm logs the probed sigmoid input's percentiles "
                        + "(covariate shift), the loss landscape along the gradient (smoothness; none and BN) and the weight norm before each "
                        + "BN with lr/‖w‖² (effective rate), at the same log points.",
                "The network is Ioffe & Szegedy's Fig. 1 sigmoid MLP (notebook 08), whose hidden Linear layers have no bias before BN, so "
                        + "the loss is invariant to the scale of their weights and all three accounts apply to it.",
                "Each arm's learning rate is tuned on a validation split, as #11 requires; the landscape steps are fractions (0.05 … 0.4) "
                        + "of each arm's own rate, so each net is probed at the steps its own training takes; every none-vs-BN comparison "
                        + "is at each arm's own rate. The effective-rate account is judged within runs (the growth of ‖w‖², the fall of "
                        + "lr/‖w‖²), never across arms whose tuned rates differ: a first smoke run, before these criteria were committed, "
                        + "compared ln(lr/‖w‖²) at the last log point and measured mostly the weight-decay arm's lower tuned rate.",
                "An account's predictions hold on these runs when all its criteria are SUPPORTED after Holm's adjustment within the study, "
                        + "fail when one is NOT SUPPORTED, and stay open otherwise.");
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        String tuned = ", each arm at its tuned lr";
        return List.of(
                Verdict.Criterion.above("C4 (accounts: BN lowers the drift)",
                        "percentile drift of the probed sigmoid input (none) − (BN), paired by seed" + tuned, 0),
                Verdict.Criterion.above("C4 (accounts: noisy BN loses BN's edge)",
                        "final test accuracy (BN) − (noisy BN), paired by seed" + tuned, 0),
                Verdict.Criterion.above("C17 (accounts: loss range)",
                        "mean loss range along the gradient (none) − (BN), paired by seed" + tuned, 0),
                Verdict.Criterion.above("C17 (accounts: gradient change)",
                        "mean max gradient change along the gradient (none) − (BN), paired by seed" + tuned, 0),
                Verdict.Criterion.above("C17 (accounts: β-smoothness)",
                        "mean effective β-smoothness along the gradient (none) − (BN), paired by seed" + tuned, 0),
                Verdict.Criterion.above("C22 (accounts: ‖w‖ grows with BN)",
                        "ln(‖w‖²_last / ‖w‖²_first) in the BN arm, mean over the 3 layers before BN, per seed (first: the first log point)", 0),
                Verdict.Criterion.within("C22 (accounts: weight decay settles ‖w‖)",
                        "ln(‖w‖²_last / ‖w‖²_mid) in the arm with BN and weight decay " + WEIGHT_DECAY + ", mean over the 3 layers before BN, per seed "
                                + "(mid: the log point nearest half the steps, the earlier on a tie)", 0, ScaleInvarianceStudy.SETTLED_MARGIN)
                        .changedAfterResults(WEIGHT_DECAY_REVISION));
    }

    /** Why the weight-decay criterion is marked as changed. */
    static final String WEIGHT_DECAY_REVISION = "2026-12-03, after smoke runs and before any default- or full-scale run: the criterion "
            + "compared the growth of ‖w‖² before BN between the BN arms with and without weight decay, (BN) − (BN with weight decay) above 0; "
            + "their rates are tuned separately and the growth scales with lr², so the difference would mix the rates with the decay; it "
            + "became the settling of ‖w‖² with weight decay (TOST, as C22 in notebook 14), which needs no second arm's rate";

    /** The account each criterion (in {@link #criteria} order) speaks for. */
    public static final List<Account> ACCOUNT_OF_CRITERION = List.of(Account.COVARIATE_SHIFT, Account.COVARIATE_SHIFT, Account.SMOOTHNESS,
            Account.SMOOTHNESS, Account.SMOOTHNESS, Account.EFFECTIVE_LR, Account.EFFECTIVE_LR);

    /** The growth of ‖w‖² before BN over the whole run (see {@link ScaleInvarianceStudy}); NaN for a diverged or failed run. */
    public static double normGrowth(Results.Run<RunSpec> r) {
        return r.log().diverged() || r.log().failed() ? Double.NaN : ScaleInvarianceStudy.logGrowth(r.log(), false);
    }

    /** The growth of ‖w‖² before BN over the second half of the run; NaN for a diverged or failed run. */
    public static double secondHalfGrowth(Results.Run<RunSpec> r) {
        return r.log().diverged() || r.log().failed() ? Double.NaN : ScaleInvarianceStudy.logGrowth(r.log(), true);
    }

    private static Summary difference(SweepResult<RunSpec> s, Arm a, Arm b, ToDoubleFunction<Results.Run<RunSpec>> statistic) {
        return s.pairedDifference(c -> Arm.of(c) == a, c -> Arm.of(c) == b, statistic);
    }

    @Override
    public Plan plan(Scale scale) { return Plan.of(name(), scale, tuning(scale).planned(sweep(scale)).toArray(Sweep<?>[]::new)); }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning.Tuned tuned = tuning(scale).tuneAndRun(sweep(scale), train, test, store, progress, engine);
        SweepResult<RunSpec> runs = SweepResult.of(tuned.runs().name(), tuned.runs().runs(), arm(scale));
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        String probe = CovariateShiftStudy.PROBE;
        List<Verdict> v = new ArrayList<>();
        v.add(parts.verdict(c.get(0).judge(difference(runs, Arm.NONE, Arm.BN, r -> CovariateShiftStudy.percentileDrift(r, probe)))));
        v.add(parts.verdict(c.get(1).judge(difference(runs, Arm.BN, Arm.NOISY_BN, r -> SweepResult.finalOrChance(r, Trainer.TEST_ACC)))));
        v.add(parts.verdict(c.get(2).judge(difference(runs, Arm.NONE, Arm.BN, r -> CovariateShiftStudy.meanOver(r, LossLandscape.LOSS_RANGE)))));
        v.add(parts.verdict(c.get(3).judge(difference(runs, Arm.NONE, Arm.BN, r -> CovariateShiftStudy.meanOver(r, LossLandscape.GRAD_CHANGE)))));
        v.add(parts.verdict(c.get(4).judge(difference(runs, Arm.NONE, Arm.BN, r -> CovariateShiftStudy.meanOver(r, LossLandscape.BETA_SMOOTHNESS)))));
        v.add(parts.verdict(c.get(5).judge(runs.summarize(s -> Arm.of(s) == Arm.BN, ThreeAccountsStudy::normGrowth))));
        v.add(parts.verdict(c.get(6).judge(runs.summarize(s -> Arm.of(s) == Arm.BN_WEIGHT_DECAY, ThreeAccountsStudy::secondHalfGrowth))));

        Table lr = parts.table("lr-tuning", tuned.tuning().table());
        Table finals = parts.table("final", runs.finalSummary(Trainer.TEST_ACC));
        Table accounts = parts.table("accounts", accounts(v));
        Table drift = parts.table("drift", runs.summary("percentile drift", r -> CovariateShiftStudy.percentileDrift(r, probe)));
        Table landscape = parts.table("landscape", landscapeTable(runs));
        Table trace = parts.table("bn-trace", trace(runs));
        XYChart percentiles = parts.figure("percentiles", Charts.percentileBands(runs.table(), probe, "arm",
                "covariate shift: one last-hidden-layer sigmoid input, 15/50/85th percentiles, mean over seeds"));
        XYChart smoothness = parts.figure("beta-smoothness", runs.curves(LossLandscape.BETA_SMOOTHNESS,
                "smoothness: effective β-smoothness along the gradient (none and BN)"));
        XYChart effective = parts.figure("effective-lr", Charts.layerCurves(trace, "arm", "layer", BnLayerTrace.EFFECTIVE_LR, "lr/‖w‖²",
                "effective learning rate lr/‖w‖² before each BN, mean over seeds"));
        XYChart curves = parts.figure("curves", runs.curves(Trainer.TEST_ACC, "test accuracy during training per arm (each at its tuned lr)"));
        return new Report(parts.build(runs), accounts, percentiles, drift, smoothness, landscape, effective, trace, curves, finals, lr,
                v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6));
    }

    /**
     * Per account: its criteria, their verdicts after Holm's adjustment within this study, and whether its predictions
     * hold on these runs (every criterion SUPPORTED), fail (one NOT SUPPORTED) or stay open.
     */
    public static Table accounts(List<Verdict> verdicts) {
        if (verdicts.size() != ACCOUNT_OF_CRITERION.size()) {
            throw new IllegalArgumentException("ThreeAccountsStudy.accounts: expected " + ACCOUNT_OF_CRITERION.size() + " verdicts, got " + verdicts.size());
        }
        List<ClaimsTable.Row> adjusted = ClaimsTable.claims(ClaimsTable.rows("three-accounts", verdicts));
        Map<Account, List<ClaimsTable.Row>> byAccount = new LinkedHashMap<>();
        for (int i = 0; i < adjusted.size(); i++) byAccount.computeIfAbsent(ACCOUNT_OF_CRITERION.get(i), k -> new ArrayList<>()).add(adjusted.get(i));
        StringColumn account = StringColumn.create("account"), criteria = StringColumn.create("criteria (adjusted verdict)"),
                holds = StringColumn.create("predictions on these runs");
        byAccount.forEach((a, rows) -> {
            account.append(a.text());
            criteria.append(String.join("; ", rows.stream().map(r -> r.claim() + ": " + r.adjusted()).toList()));
            holds.append(holds(rows.stream().map(ClaimsTable.Row::adjusted).toList()));
        });
        return Table.create("why BN works: the three accounts on the same runs (Holm within this study)", account, criteria, holds);
    }

    /** "hold" when every outcome is SUPPORTED, "fail" when one is NOT SUPPORTED, else "open". */
    static String holds(List<Verdict.Outcome> outcomes) {
        if (outcomes.contains(Verdict.Outcome.NOT_SUPPORTED)) return "fail";
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o == Verdict.Outcome.SUPPORTED) ? "hold" : "open";
    }

    /** Per arm that measured it: mean over seeds of the per-run mean loss range, gradient change and β-smoothness. */
    static Table landscapeTable(SweepResult<RunSpec> runs) {
        StringColumn arm = StringColumn.create("arm");
        DoubleColumn range = DoubleColumn.create("loss range"), change = DoubleColumn.create("max gradient change"),
                beta = DoubleColumn.create("effective β-smoothness");
        for (Arm a : ARMS) {
            if (!a.landscape()) continue;
            arm.append(a.label());
            range.append(runs.summarize(s -> Arm.of(s) == a, r -> CovariateShiftStudy.meanOver(r, LossLandscape.LOSS_RANGE)).mean());
            change.append(runs.summarize(s -> Arm.of(s) == a, r -> CovariateShiftStudy.meanOver(r, LossLandscape.GRAD_CHANGE)).mean());
            beta.append(runs.summarize(s -> Arm.of(s) == a, r -> CovariateShiftStudy.meanOver(r, LossLandscape.BETA_SMOOTHNESS)).mean());
        }
        return Table.create("loss landscape along the gradient (step sizes 0.05…0.4 × each arm's lr): mean over log points, then over seeds",
                arm, range, change, beta);
    }

    /**
     * The BN trace of the two BN arms, an "arm" column in front (noisy BN's BatchNorm sits inside its noise layer, so
     * no weights are found right before it and it logs no ‖w‖).
     */
    static Table trace(SweepResult<RunSpec> runs) {
        Table all = null;
        for (Arm a : List.of(Arm.BN, Arm.BN_WEIGHT_DECAY)) {
            Table t = Tables.bnLayerTrace("", runs.where(s -> Arm.of(s) == a));
            StringColumn label = StringColumn.create("arm");
            for (int i = 0; i < t.rowCount(); i++) label.append(a.label());
            t.insertColumn(0, label);
            all = all == null ? t : all.append(t);
        }
        return all.setName("BN layers per arm: γ, β, σ, ‖w‖ before BN and lr/‖w‖², mean over seeds");
    }

    /**
     * What the study found: the accounts' summary, one figure per account (percentile bands, β-smoothness, effective
     * rate) with its table, test-accuracy curves and finals, the tuned rates, and the seven verdicts in criteria order.
     */
    public record Report(Findings findings, Table accounts, XYChart percentiles, Table drift, XYChart betaSmoothness, Table landscape,
                         XYChart effectiveLr, Table bnTrace, XYChart curves, Table finals, Table lrTuning,
                         Verdict c4Drift, Verdict c4Noisy, Verdict c17LossRange, Verdict c17GradChange, Verdict c17Beta,
                         Verdict c22Grows, Verdict c22WeightDecay) implements StudyReport {}
}
