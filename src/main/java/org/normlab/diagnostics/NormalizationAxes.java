package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Which elements of an (N, C, H, W) input a normalization layer ties together, found by probing the layer itself:
 * run it on x, run it again with one chosen element x[n, c, h, w] raised by {@link #PROBE_STEP}, and mark every
 * output that changed. An output moves exactly when its value depends on the chosen input, that is when the two
 * share a mean and variance (BN, LN, IN, GN) or a window (LRN):
 * <pre>
 *   BN (TRAIN)   μ_c over (n, h, w)            one channel, every sample
 *   LN           μ_n over (c, h, w)            one sample, every channel
 *   IN           μ_{n,c} over (h, w)           one sample, one channel
 *   GN(G)        μ_{n,g} over (c ∈ g, h, w)    one sample, the C/G channels of one group
 *   LRN(size)    Σ a² over c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋ at one (n, h, w)
 *   BN (EVAL)    nothing: running statistics are constants, each output depends on its own input only
 * </pre>
 * "Changed" means a different float: outputs that do not depend on the chosen input are computed from the same
 * values in the same order and come out bit-identical, so no tolerance is involved. A TRAIN probe of a BatchNorm
 * updates its running statistics twice, as any two TRAIN forwards would.
 */
public final class NormalizationAxes {
    /** How much the chosen element is raised: large enough that even LRN's α = 1e-4 moves its neighbours in float. */
    public static final float PROBE_STEP = 1f;
    private static final String[] AXES = {"n", "c", "h", "w"};

    private NormalizationAxes() {}

    /**
     * What one probe found.
     *
     * @param layer  the probed layer's description
     * @param shape  the input shape (N, C, H, W)
     * @param chosen the perturbed element (n, c, h, w)
     * @param moved  per element in memory order, whether its output changed (the chosen element's own included)
     */
    public record Sharing(String layer, Mode mode, int[] shape, int[] chosen, boolean[] moved) {
        /** Whether output (n, c, h, w) changed. */
        public boolean moved(int n, int c, int h, int w) { return moved[index(shape, n, c, h, w)]; }

        /** How many outputs changed, the chosen one included. */
        public int count() {
            int count = 0;
            for (boolean m : moved) if (m) count++;
            return count;
        }

        /** The distinct indices along {@code axis} (0 = n, 1 = c, 2 = h, 3 = w) of the outputs that changed. */
        public List<Integer> indices(int axis) {
            TreeSet<Integer> found = new TreeSet<>();
            for (int i = 0; i < moved.length; i++) if (moved[i]) found.add(coordinates(shape, i)[axis]);
            return new ArrayList<>(found);
        }

        /** The axes along which the moved outputs spread, e.g. {@code "n, h, w"}; {@code "none"} for the element alone. */
        public String sharedOver() {
            List<String> axes = new ArrayList<>();
            for (int a = 0; a < AXES.length; a++) if (indices(a).size() > 1) axes.add(AXES[a]);
            return axes.isEmpty() ? "none" : String.join(", ", axes);
        }

        /** One row per element: n, c, h, w and its role ({@code chosen}, {@code shares} or {@code independent}). */
        public Table table() {
            IntColumn[] coords = new IntColumn[AXES.length];
            for (int a = 0; a < AXES.length; a++) coords[a] = IntColumn.create(AXES[a]);
            StringColumn role = StringColumn.create("role");
            int chosenIndex = index(shape, chosen[0], chosen[1], chosen[2], chosen[3]);
            for (int i = 0; i < moved.length; i++) {
                int[] at = coordinates(shape, i);
                for (int a = 0; a < AXES.length; a++) coords[a].append(at[a]);
                role.append(i == chosenIndex ? "chosen" : moved[i] ? "shares" : "independent");
            }
            Table table = Table.create(layer + " " + mode, coords);
            return table.addColumns(role);
        }
    }

    /**
     * Probes {@code layer} on {@code x} (shape (N, C, H, W), left unchanged) in {@code mode}, perturbing element
     * {@code chosen} = (n, c, h, w).
     */
    public static Sharing probe(Layer layer, Tensor x, Mode mode, int... chosen) {
        if (x.rank() != 4) throw new IllegalArgumentException("NormalizationAxes: expected input [N,C,H,W], got " + x.shapeString());
        int[] shape = x.shape();
        if (chosen.length != 4) throw new IllegalArgumentException("NormalizationAxes: expected a chosen element (n, c, h, w), got " + chosen.length + " indices");
        for (int a = 0; a < 4; a++) {
            if (chosen[a] < 0 || chosen[a] >= shape[a]) {
                throw new IllegalArgumentException("NormalizationAxes: chosen " + AXES[a] + " must be in [0, " + shape[a] + "), got " + chosen[a]);
            }
        }
        float[] before = layer.forward(x.copy(), mode).data().clone();  // a layer may reuse its output buffer
        Tensor probe = x.copy();
        int at = index(shape, chosen[0], chosen[1], chosen[2], chosen[3]);
        probe.data()[at] += PROBE_STEP;
        float[] after = layer.forward(probe, mode).data();
        boolean[] moved = new boolean[before.length];
        for (int i = 0; i < moved.length; i++) moved[i] = Float.compare(before[i], after[i]) != 0;
        return new Sharing(layer.describe(), mode, shape, chosen.clone(), moved);
    }

    /**
     * One row per probe: the layer, the mode, how many outputs moved, the indices they span along each axis and the
     * axes the layer shares its statistics over.
     */
    public static Table summary(Sharing... probes) {
        StringColumn layer = StringColumn.create("layer"), mode = StringColumn.create("mode"), over = StringColumn.create("shared over");
        IntColumn moved = IntColumn.create("outputs moved");
        StringColumn[] spans = new StringColumn[AXES.length];
        for (int a = 0; a < AXES.length; a++) spans[a] = StringColumn.create(AXES[a] + " moved");
        for (Sharing s : probes) {
            layer.append(s.layer());
            mode.append(s.mode().name());
            moved.append(s.count());
            for (int a = 0; a < AXES.length; a++) spans[a].append(range(s.indices(a), s.shape()[a]));
            over.append(s.sharedOver());
        }
        Table table = Table.create("what each layer shares", layer, mode, moved);
        return table.addColumns(spans).addColumns(over);
    }

    /** "all 3", or the indices themselves when they are not the whole axis. */
    private static String range(List<Integer> indices, int size) {
        if (indices.size() == size && size > 1) return "all " + size;
        return indices.stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
    }

    static int index(int[] shape, int n, int c, int h, int w) {
        return ((n * shape[1] + c) * shape[2] + h) * shape[3] + w;
    }

    static int[] coordinates(int[] shape, int index) {
        int w = index % shape[3], rest = index / shape[3];
        int h = rest % shape[2];
        rest /= shape[2];
        return new int[] {rest / shape[1], rest % shape[1], h, w};
    }
}
