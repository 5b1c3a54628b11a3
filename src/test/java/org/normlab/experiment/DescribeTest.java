package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import tech.tablesaw.api.Table;

class DescribeTest {
    @Test
    void aSweepDescribesItsGridBaseRunAndSeeds() {
        RunSpec base = RunSpec.mlp(List.of(64, 64, 64, 32), Activation.Kind.RELU).withMomentum(0.9).withTrainSize(1024).withTestSize(500)
                .withEpochs(2).withLogEvery(8);
        Sweep<RunSpec> sweep = Sweep.of("demo", base).vary(Axes.NORM, Norm.NONE, Norm.BN)
                .vary(Axes.BATCH_SIZE.and(Axes.LR, b -> 0.05 * b / 32), 16, 32).seeds(3);
        assertEquals(12, sweep.size());
        assertEquals("""
                demo: 4 grid points × 3 seeds = 12 runs
                grid       norm ∈ {none, BN}
                grid       (batchSize, lr) ∈ {(16, 0.025), (32, 0.05)}
                model      MLP 784-64×3-32-10, relu, norm before the activation, norm (grid), he init
                optimizer  SGD lr (grid), momentum 0.9
                data       Fashion-MNIST, first 1024 training / 500 test images
                budget     2 epochs of batch (grid), log every 8 steps
                seeds      0 … 2""", sweep.describe());
    }

    @Test
    void aRunSpecAloneShowsEverySetting() {
        RunSpec spec = RunSpec.lenet(Activation.Kind.SIGMOID).withNorm(Norm.BN).withLr(1.0).withBatchSize(256).withBnMomentum(0.01)
                .withWeightDecay(5e-4).withDecayNormParams(false).withPreciseBnBatches(4);
        assertEquals("""
                model      LeNet (d2l), sigmoid, norm before the activation, norm BN, xavier init, BN momentum 0.01
                optimizer  SGD lr 1, weight decay 0.0005 (not on γ/β)
                data       Fashion-MNIST, first 60000 training / 10000 test images
                budget     1 epoch of batch 256, log every 50 steps
                measures   test accuracy with precise BN statistics (4 batches)""", spec.describe());
    }

    @Test
    void aPlanListsItsSweepsAsTextAndAsATable() {
        Sweep<RunSpec> a = Sweep.of("a", RunSpec.mlp(List.of(32), Activation.Kind.RELU)).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2);
        Sweep<GanSpec> b = Sweep.of("b", GanSpec.DEFAULT).vary(GanSpec.NORM, Norm.BN);
        Plan plan = Plan.of("study", Scale.SMOKE, a, b).note("one more model");
        assertEquals(5, plan.runs());
        assertEquals("study at smoke scale: 2 sweeps, 5 runs\n" + Scale.SMOKE.previewNote() + "\n\n" + a.describe() + "\n\n" + b.describe() + "\n\nalso: one more model", plan.describe());
        assertTrue(Plan.of("study", Scale.SMOKE, a).describe().contains("smoke scale: a preview, not evidence."));
        assertEquals("study at default scale: 1 sweep, 4 runs\n" + Scale.DEFAULT.previewNote() + "\n\n" + a.describe(), Plan.of("study", Scale.DEFAULT, a).describe());
        assertEquals("study at full scale: 1 sweep, 4 runs\n\n" + a.describe(), Plan.of("study", Scale.FULL, a).describe());
        Table t = plan.table();
        assertEquals(List.of("sweep", "runs", "grid", "model", "optimizer", "data", "budget", "seeds"), t.columnNames());
        assertEquals(List.of("a", "b"), t.stringColumn("sweep").asList());
        assertEquals(List.of("norm ∈ {none, BN}", "norm ∈ {BN}"), t.stringColumn("grid").asList());
        assertEquals("", t.stringColumn("data").get(1), "a GAN run has no data set");
        assertEquals("GAN: MLP generator and discriminator, norm (grid)", t.stringColumn("model").get(1));
    }
}
