package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.InstanceNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.norm.LocalResponseNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The probes recover each layer's axes from its behaviour: change the layer, and the data changes with it. */
class NormalizationAxesTest {
    private static final int N = 3, C = 6, H = 3, W = 3;
    private final Tensor x = Tensor.randn(new Rng(7), 1f, N, C, H, W);

    private NormalizationAxes.Sharing probe(Layer layer, Mode mode) {
        return NormalizationAxes.probe(layer, x, mode, 1, 2, 1, 1);
    }

    @Test
    void batchNormSharesOverSamplesAndPositionsOfOneChannel() {
        var s = probe(new BatchNorm(C), Mode.TRAIN);
        assertEquals(N * H * W, s.count());
        assertEquals(List.of(0, 1, 2), s.indices(0));
        assertEquals(List.of(2), s.indices(1));
        assertEquals("n, h, w", s.sharedOver());
        for (int n = 0; n < N; n++) for (int c = 0; c < C; c++) assertEquals(c == 2, s.moved(n, c, 0, 0));
    }

    @Test
    void batchNormInEvalModeSharesNothing() {
        var s = probe(new BatchNorm(C), Mode.EVAL);
        assertEquals(1, s.count());
        assertEquals("none", s.sharedOver());
    }

    @Test
    void layerNormSharesOverOneSample() {
        var s = probe(new LayerNorm(C, H, W), Mode.TRAIN);
        assertEquals(C * H * W, s.count());
        assertEquals(List.of(1), s.indices(0));
        assertEquals("c, h, w", s.sharedOver());
    }

    @Test
    void instanceNormSharesOverPositionsOnly() {
        var s = probe(new InstanceNorm(C), Mode.TRAIN);
        assertEquals(H * W, s.count());
        assertEquals(List.of(1), s.indices(0));
        assertEquals(List.of(2), s.indices(1));
        assertEquals("h, w", s.sharedOver());
    }

    @Test
    void groupNormSharesOverTheChosenChannelsGroupAndFollowsTheGrouping() {
        var three = probe(new GroupNorm(3, C), Mode.TRAIN);
        assertEquals(List.of(2, 3), three.indices(1));
        assertEquals(2 * H * W, three.count());
        var two = probe(new GroupNorm(2, C), Mode.TRAIN);
        assertEquals(List.of(0, 1, 2), two.indices(1));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), probe(new GroupNorm(1, C), Mode.TRAIN).indices(1));
        assertEquals(List.of(2), probe(new GroupNorm(C, C), Mode.TRAIN).indices(1));
        assertNotEquals(NormalizationAxes.summary(two).stringColumn("c moved").get(0), NormalizationAxes.summary(three).stringColumn("c moved").get(0));
    }

    @Test
    void localResponseNormMovesTheChannelWindowAtOnePosition() {
        var three = probe(new LocalResponseNorm(3), Mode.TRAIN);
        assertEquals(List.of(1, 2, 3), three.indices(1));
        assertEquals(List.of(1), three.indices(2));
        assertEquals(3, three.count());
        var five = probe(new LocalResponseNorm(5), Mode.TRAIN);
        assertEquals(List.of(0, 1, 2, 3, 4), five.indices(1));
        var four = probe(new LocalResponseNorm(4), Mode.TRAIN);  // PyTorch's window for even sizes: c−2 … c+1, so input c reaches c−1 … c+2
        assertEquals(List.of(1, 2, 3, 4), four.indices(1));
    }

    @Test
    void tableAndSummaryCarryTheProbe() {
        var s = probe(new BatchNorm(C), Mode.TRAIN);
        var table = s.table();
        assertEquals(N * C * H * W, table.rowCount());
        assertEquals(1, table.stringColumn("role").countOccurrences("chosen"));
        assertEquals(N * H * W - 1, table.stringColumn("role").countOccurrences("shares"));
        var summary = NormalizationAxes.summary(s);
        assertEquals("all 3", summary.stringColumn("n moved").get(0));
        assertEquals("{2}", summary.stringColumn("c moved").get(0));
        assertEquals("n, h, w", summary.stringColumn("shared over").get(0));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> NormalizationAxes.probe(new BatchNorm(C), Tensor.zeros(2, C), Mode.TRAIN, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> NormalizationAxes.probe(new BatchNorm(C), x, Mode.TRAIN, 0, C, 0, 0));
    }
}
