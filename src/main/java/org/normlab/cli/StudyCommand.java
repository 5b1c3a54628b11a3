package org.normlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Scale;
import org.normlab.studies.Studies;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Verdict;
import org.normlab.data.FashionMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code normlab study NAME --scale S --out DIR}: runs a registered study headless and writes what it found. */
@Command(name = "study", description = {"Run a study headless and write results.csv, runs.csv, verdicts.csv, its tables and its figures (PNG and SVG).",
        "Finished runs are stored under <out>/runs and reused: an interrupted study resumes where it stopped."})
final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the study (see `normlab list`)")
    String name;

    @Option(names = "--scale", description = "smoke, default or full (default: $NORMLAB_SCALE, else default)")
    String scale;

    @Option(names = "--out", description = "output folder (default: build/studies/<name>-<scale>)")
    Path out;

    @Option(names = "--threads", description = "runs trained at once (default: the number of cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--results", description = "where finished runs are stored (default: <out>/runs)")
    Path results;

    @Override
    public Integer call() {
        Study<?> study = Studies.get(name);
        Scale s = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
        Path dir = out != null ? out : Path.of("build", "studies", name + "-" + s);
        ResultStore store = ResultStore.at(results != null ? results : dir.resolve("runs"));
        System.out.println("Study " + name + " at " + s + " scale → " + dir);
        for (Verdict.Criterion c : study.criteria(s)) System.out.println("  criterion " + c.describe());
        StudyReport report = study.run(s, FashionMnist.train(), FashionMnist.test(), store, Progress.auto(), threads);
        var files = report.save(dir);
        for (Verdict v : report.verdicts()) System.out.println("  " + v);
        System.out.println("Wrote " + files.size() + " files to " + dir);
        return 0;
    }
}
