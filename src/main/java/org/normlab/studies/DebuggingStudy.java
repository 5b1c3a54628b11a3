package org.normlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.knowm.xchart.HeatMapChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Summary;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.model.Models;
import org.normlab.model.Placement;
import org.normlab.nn.Activation;
import org.normlab.nn.Flatten;
import org.normlab.nn.Init;
import org.normlab.nn.Linear;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.tensor.Rng;
import org.normlab.diagnostics.Faults;
import org.normlab.diagnostics.SanityChecks;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C16: a BN implementation can be sanity-checked. The {@link SanityChecks} checklist runs on several correct
 * models (an MLP and LeNet from the builders, a hand-assembled net, an MLP trained for a short while, and an LN MLP as
 * the no-BN case) and on the BN models with each teaching fault of {@link Faults} injected, for several seeds (each
 * seed a fresh initialization). Verdicts: no check fails on a correct model; each fault is caught (at least one check
 * fails) on every model and seed it is injected into.
 */
public final class DebuggingStudy implements Study<DebuggingStudy.Report> {
    @Override public String name() { return "debugging"; }

    @Override public String title() { return "C16: sanity checks of BN models catch forgotten eval mode, a wrong backward, a wrong momentum rule"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    /** A net assembled by hand, the way a user would: two BNs, one before tanh and one before ReLU. */
    public static Sequential handAssembled(long seed) {
        Sequential model = new Sequential(new Flatten(), new Linear(784, 64, false), new BatchNorm(64), new Activation(Activation.Kind.TANH),
                new Linear(64, 32, false), new BatchNorm(32), new Activation(Activation.Kind.RELU), new Linear(32, 10, true));
        Init.he().apply(model, new Rng(seed));
        return model;
    }

    static int trainedSteps(Scale scale) { return scale.pick(100, 300, 900); }

    /** The MLP-BN that is trained briefly before its checklist. */
    static RunSpec trainedMlp(Scale scale) {
        return RunSpec.mlp(List.of(128, 64), Activation.Kind.RELU).withNorm(Norm.BN).withMaxSteps(trainedSteps(scale)).withTestSize(0);
    }

    /** The correct models, by name, as functions of the seed; {@code train} is used for the one trained briefly. */
    static Map<String, LongFunction<Sequential>> correctModels(Scale scale, Dataset train) {
        Map<String, LongFunction<Sequential>> models = new LinkedHashMap<>();
        models.put("MLP-BN (Models.mlp)", seed -> Models.mlp(new int[] {784, 128, 64, 10}, Activation.Kind.RELU, Norm.BN, Placement.BEFORE,
                Init.he(), new Rng(seed)));
        models.put("LeNet-BN (Models.lenet)", seed -> Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), new Rng(seed)));
        models.put("hand-assembled BN net", DebuggingStudy::handAssembled);
        models.put("MLP-BN trained " + trainedSteps(scale) + " steps", seed -> Experiment.train(trainedMlp(scale).withSeed(seed), train, null, null).model());
        models.put("MLP-LN (no BN)", seed -> Models.mlp(new int[] {784, 128, 64, 10}, Activation.Kind.RELU, Norm.LN, Placement.BEFORE,
                Init.he(), new Rng(seed)));
        return models;
    }

    @Override
    public String learningRate(Scale scale) {
        return "not applicable: implementation checks on models, no comparison of trained arms";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        List<Verdict.Criterion> c = new ArrayList<>();
        c.add(Verdict.Criterion.below("C16 (correct models)", "failed checks per correct model and seed", 0.5).check());
        for (String fault : Faults.NAMES) c.add(Verdict.Criterion.above("C16 (" + fault + ")", "1 if at least one check fails, per BN model and seed", 0.5).check());
        return c;
    }

    /** The check's family, from its text: gradient, (train/eval) switch, running stats or identity (γ, β). */
    static String family(String check) {
        if (check.startsWith("gradient")) return "gradient";
        if (check.startsWith("switch")) return "switch";
        if (check.startsWith("identity")) return "identity";
        return "running stats";
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale)
                .note("the sanity checklist on 256 test images, for " + seeds(scale) + " seeds (fresh initializations) of 5 correct models: "
                        + "MLP-BN 784-128-64-10, LeNet-BN (sigmoid), a hand-assembled BN net, an MLP-BN trained "
                        + trainedSteps(scale) + " steps, MLP-LN")
                .note("the trained MLP-BN: " + trainedMlp(scale).describe().replace("\n", "; ").replaceAll(" {2,}", " "))
                .note("the same checklist on each BN model with each fault injected: " + String.join(", ", Faults.NAMES));
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        Dataset data = test.head(256);
        StringColumn modelCol = StringColumn.create("model"), faultCol = StringColumn.create("fault"), failedCol = StringColumn.create("failed checks");
        IntColumn seedCol = IntColumn.create("seed"), checksCol = IntColumn.create("checks"), failuresCol = IntColumn.create("failed");
        Findings.Builder parts = Findings.builder(name(), scale);
        Map<String, Table> shown = new LinkedHashMap<>();  // file name → the checklist of seed 0
        List<Double> correctFailures = new ArrayList<>();
        Map<String, List<Double>> caught = new LinkedHashMap<>();
        Map<String, int[]> familyFailures = new LinkedHashMap<>(); // "fault|family" → {runs with a failure in family, runs}
        List<String> families = List.of("gradient", "switch", "running stats", "identity");
        for (String fault : Faults.NAMES) caught.put(fault, new ArrayList<>());
        for (var entry : correctModels(scale, train).entrySet()) {
            for (long seed = 0; seed < seeds(scale); seed++) {
                List<String> variants = new ArrayList<>();
                variants.add("none");
                Sequential probe = entry.getValue().apply(seed);
                boolean hasTopLevelBn = probe.layers().stream().anyMatch(l -> l instanceof BatchNorm);
                if (hasTopLevelBn) variants.addAll(Faults.NAMES);
                for (String fault : variants) {
                    // A faulty model shares the correct one's layers; the checklist leaves them as it found them.
                    Sequential model = fault.equals("none") ? probe : Faults.inject(fault, probe);
                    Table checks = SanityChecks.run(model, data);
                    int failed = SanityChecks.failures(checks);
                    List<String> which = new ArrayList<>();
                    for (int i = 0; i < checks.rowCount(); i++) {
                        if (!checks.booleanColumn("passed").get(i)) which.add(family(checks.stringColumn("check").get(i)) + " @ " + checks.stringColumn("where").get(i));
                    }
                    modelCol.append(entry.getKey()); faultCol.append(fault); seedCol.append((int) seed);
                    checksCol.append(checks.rowCount()); failuresCol.append(failed); failedCol.append(String.join("; ", which));
                    if (fault.equals("none")) correctFailures.add((double) failed);
                    else caught.get(fault).add(failed > 0 ? 1.0 : 0.0);
                    if (hasTopLevelBn) {
                        for (String fam : families) {
                            int[] counts = familyFailures.computeIfAbsent(fault + "|" + fam, k -> new int[2]);
                            counts[1]++;
                            if (which.stream().anyMatch(w -> w.startsWith(fam))) counts[0]++;
                        }
                    }
                    if (seed == 0 && (fault.equals("none") || entry.getKey().startsWith("MLP-BN (Models.mlp)"))) {
                        checks.setName("checklist: " + entry.getKey() + (fault.equals("none") ? "" : ", fault: " + fault) + ", seed 0");
                        String file = fault.equals("none") ? "checklist " + entry.getKey() : "fault " + fault;
                        shown.put(file, parts.table(file, checks));
                    }
                }
            }
        }
        Table overview = Table.create("every model, fault and seed: how many checks failed, and which", modelCol, faultCol, seedCol, checksCol,
                failuresCol, failedCol);
        parts.table("overview", overview);

        StringColumn variant = StringColumn.create("fault"), fam = StringColumn.create("check family");
        DoubleColumn share = DoubleColumn.create("share of BN models × seeds failing");
        for (var e : familyFailures.entrySet()) {
            String[] key = e.getKey().split("\\|");
            variant.append(key[0]); fam.append(key[1]); share.append((double) e.getValue()[0] / e.getValue()[1]);
        }
        Table byFamily = Table.create("which checks catch which fault (share of BN models × seeds with a failure in the family)", variant, fam, share);
        parts.table("by-family", byFamily);
        HeatMapChart byFamilyChart = parts.figure("by-family", Charts.heatmap(byFamily, "check family", "fault", "share of BN models × seeds failing",
                "Checks failing, by fault (share of BN models × seeds)"));

        List<Verdict.Criterion> c = declaredCriteria(scale);
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(parts.verdict(c.get(0).judge(Summary.of(correctFailures.stream().mapToDouble(d -> d).toArray()))));
        for (int i = 0; i < Faults.NAMES.size(); i++) {
            verdicts.add(parts.verdict(c.get(i + 1).judge(Summary.of(caught.get(Faults.NAMES.get(i)).stream().mapToDouble(d -> d).toArray()))));
        }
        return new Report(parts.build(SweepResult.<RunSpec>of(name(), List.of())), overview, byFamily, byFamilyChart,
                checklist(shown, "checklist MLP-BN (Models.mlp)"), checklist(shown, "checklist LeNet-BN (Models.lenet)"),
                checklist(shown, "checklist hand-assembled BN net"), checklist(shown, "checklist MLP-BN trained " + trainedSteps(scale) + " steps"),
                checklist(shown, "checklist MLP-LN (no BN)"), checklist(shown, "fault forgets-eval-mode"),
                checklist(shown, "fault statistics-as-constants-in-backward"), checklist(shown, "fault keras-momentum"),
                verdicts.get(0), verdict(verdicts, "forgets-eval-mode"), verdict(verdicts, "statistics-as-constants-in-backward"),
                verdict(verdicts, "keras-momentum"));
    }

    private static Table checklist(Map<String, Table> shown, String file) {
        Table t = shown.get(file);
        if (t == null) throw new IllegalStateException("DebuggingStudy: no checklist '" + file + "'; there are " + shown.keySet());
        return t;
    }

    private static Verdict verdict(List<Verdict> verdicts, String fault) {
        int i = Faults.NAMES.indexOf(fault);
        if (i < 0) throw new IllegalStateException("DebuggingStudy: no fault '" + fault + "' in " + Faults.NAMES);
        return verdicts.get(i + 1);
    }

    /**
     * What the study found: every model × fault × seed with its failed checks, which check families catch which
     * fault (table and heatmap), seed 0's checklist of each correct model and of the MLP-BN with each fault, and the
     * C16 verdicts (no false alarm on correct models; each fault caught).
     */
    public record Report(Findings findings, Table overview, Table byFamily, HeatMapChart byFamilyChart,
                         Table checklistMlpBn, Table checklistLeNetBn, Table checklistHandAssembled, Table checklistTrainedMlpBn, Table checklistMlpLn,
                         Table faultForgetsEvalMode, Table faultStatisticsAsConstants, Table faultKerasMomentum,
                         Verdict c16Correct, Verdict c16ForgetsEvalMode, Verdict c16StatisticsAsConstants, Verdict c16KerasMomentum)
            implements StudyReport {}
}
