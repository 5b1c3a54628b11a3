package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.CsvData;
import org.normlab.data.Dataset;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;

/** Runs still training report their steps to the progress, before the run finishes and under the run's label. */
class LiveProgressTest {
    private static final Dataset.Split DATA = CsvData.read(Path.of("docs/examples/three-blobs.csv"), "label").split(0.8, new Rng(0));

    /** Every call, in order, from whichever thread made it. */
    private static final class Recorder implements Progress {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        @Override public void start(String title, int total) { calls.add("start " + total); }
        @Override public void advance(String message) { calls.add("advance " + message); }
        @Override public void finish() { calls.add("finish"); }
        @Override public void running(String run, int step, int totalSteps, double trainLoss) {
            assertTrue(Double.isFinite(trainLoss) && trainLoss > 0, "a mean training loss: " + trainLoss);
            calls.add("running " + run + " " + step + "/" + totalSteps);
        }
    }

    @Test
    void eachRunReportsItsStepsUnderItsLabelBeforeItFinishes() {
        RunSpec base = RunSpec.mlp(List.of(16), Activation.Kind.RELU).sizedFor(DATA.train()).withBatchSize(16).withEpochs(2).withLogEvery(5);
        Recorder r = new Recorder();
        Sweep.of("live", base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2).run(DATA.train(), DATA.test(), ResultStore.none(), r, 2);
        List<String> calls = List.copyOf(r.calls);
        assertEquals("start 4", calls.getFirst());
        assertEquals("finish", calls.getLast());
        for (String label : List.of("norm=none seed 0", "norm=none seed 1", "norm=BN seed 0", "norm=BN seed 1")) {
            int finished = calls.indexOf(calls.stream().filter(c -> c.startsWith("advance " + label + ":")).findFirst().orElseThrow());
            List<Integer> steps = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).startsWith("running " + label + " ")) {
                    assertTrue(i < finished, label + " reported a step after it finished: " + calls);
                    String[] words = calls.get(i).split(" ");
                    steps.add(Integer.parseInt(words[words.length - 1].split("/")[0]));
                }
            }
            // 240 examples in batches of 16 for 2 epochs: 30 steps, logged every 5.
            assertEquals(List.of(5, 10, 15, 20, 25, 30), steps, label + ": " + calls);
        }
    }

    @Test
    void theEtaCountsTheStepsOfRunsStillTraining() {
        Progress.Eta eta = new Progress.Eta();
        eta.start(4);
        assertEquals(null, eta.remaining(0.0), "nothing done, nothing to extrapolate from");
        Duration half = eta.remaining(2.0), quarter = eta.remaining(1.0);
        assertTrue(half != null && quarter != null && half.compareTo(quarter) < 0, half + " vs " + quarter);
    }
}
