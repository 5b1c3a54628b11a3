package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.SweepResult;
import org.normlab.model.Placement;
import org.normlab.nn.Activation;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The placement study's anchor on hand-made final accuracies. */
class PlacementStudyTest {
    private static Results.Run<RunSpec> run(String model, Activation.Kind a, Placement p, long seed, double testAcc) {
        RunSpec c = PlacementStudy.sweep(model, Scale.SMOKE).base().withActivation(a).withPlacement(p).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(List.of(new RunLog.Point(10, 0, Trainer.TEST_ACC, testAcc)), -1, null, null, 0));
    }

    /** Both activations of one network, two seeds, BN before − after = {@code diff} ± 0.001 per seed. */
    private static SweepResult<RunSpec> network(String model, double diff) {
        List<Results.Run<RunSpec>> runs = new ArrayList<>();
        for (Activation.Kind a : PlacementStudy.ACTIVATIONS) {
            for (long seed = 0; seed < 2; seed++) {
                double after = 0.8 + 0.01 * seed;
                runs.add(run(model, a, Placement.BEFORE, seed, after + diff + (seed == 0 ? 0.001 : -0.001)));
                runs.add(run(model, a, Placement.AFTER, seed, after));
            }
        }
        return SweepResult.of(model, runs, Axes.ACTIVATION, Axes.PLACEMENT);
    }

    @Test
    void beforeWinningSlightlyEverywhereMatchesAndAfterWinningClearlyDoesNot() {
        assertEquals(Anchor.Shape.YES, PlacementStudy.anchor(network("mlp", 0.005), network("lenet", 0.005)).shape());
        Anchor after = PlacementStudy.anchor(network("mlp", -0.05), network("lenet", -0.05));
        assertEquals(Anchor.Shape.NO, after.shape());
        assertEquals(List.of(false, false, false), after.features().stream().map(Anchor.Feature::holds).toList());
    }
}
