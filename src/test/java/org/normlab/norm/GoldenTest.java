package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;
import org.normlab.testing.LayerProperties;

/**
 * Every layer against PyTorch: the fixtures in src/test/resources/golden/ were written by
 * {@code /usr/bin/python3 scripts/golden/generate.py} (see its docstring for the format). For each fixture the layer is
 * built with the same hyper-parameters and γ/β, then each step runs forward and backward with PyTorch's input and
 * upstream gradient; outputs, input gradients, parameter gradients and running buffers must agree to within
 * 1e-4·max(|expected|, 1). An eval step checks the output and the running buffers; its backward must be refused
 * (NormLab's EVAL forward keeps nothing for backward).
 *
 * <p>The fixtures are JSON, read with Jackson (test scope only): docs/design.md ("Stack, and why") asks for no
 * hand-rolled JSON, and JSON is what Python's standard library writes without any extra code on the generator side.
 */
class GoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Path> fixtures() throws IOException, URISyntaxException {
        URL dir = GoldenTest.class.getResource("/golden");
        assertNotNull(dir, "no golden/ directory on the test classpath; run /usr/bin/python3 scripts/golden/generate.py");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void fixturesCoverEveryNormLayer() throws Exception {
        Set<String> layers = new TreeSet<>();
        for (Path p : fixtures()) layers.add(JSON.readTree(p.toFile()).get("layer").asText());
        assertEquals(new TreeSet<>(List.of("BatchNorm", "GroupNorm", "InstanceNorm", "LayerNorm", "LocalResponseNorm")), layers);
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesPyTorch() throws Exception {
        List<Path> files = fixtures();
        assertTrue(files.size() >= 20, "expected the generator's fixtures, found " + files.size());
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(JSON.readTree(p.toFile()))));
    }

    private static void check(JsonNode fixture) {
        String name = fixture.get("name").asText();
        Layer layer = build(fixture.get("layer").asText(), fixture.get("config"));
        Map<String, Param> params = new TreeMap<>();
        for (Param p : layer.params()) params.put(p.name(), p);
        assertEquals(fieldNames(fixture.get("params")), params.keySet(), name + ": parameters");
        params.forEach((paramName, p) -> {
            Tensor initial = tensor(fixture.get("params").get(paramName));
            assertArrayEquals(initial.shape(), p.value().shape(), name + ": shape of " + paramName);
            System.arraycopy(initial.data(), 0, p.value().data(), 0, initial.size());
        });
        int stepIndex = 0;
        for (JsonNode step : fixture.get("steps")) {
            String where = name + " step " + stepIndex++ + " (" + step.get("mode").asText() + ")";
            Mode mode = step.get("mode").asText().equals("train") ? Mode.TRAIN : Mode.EVAL;
            for (Param p : params.values()) p.zeroGrad();
            Tensor y = layer.forward(tensor(step.get("input")), mode);
            assertClose(where + " output", tensor(step.get("output")), y);
            if (mode == Mode.TRAIN) {
                Tensor dx = layer.backward(tensor(step.get("grad_output")));
                assertClose(where + " grad_input", tensor(step.get("grad_input")), dx);
                assertEquals(fieldNames(step.get("grad_params")), params.keySet(), where + ": parameter gradients");
                params.forEach((paramName, p) -> assertClose(where + " grad " + paramName, tensor(step.get("grad_params").get(paramName)), p.grad()));
            } else {  // PyTorch differentiates an eval step too; NormLab's EVAL keeps nothing for backward
                LayerProperties.assertBackwardRefusedAfterEval(layer, tensor(step.get("grad_output")));
            }
            Tensor[] running = runningBuffers(layer);
            JsonNode buffers = step.get("buffers");
            if (buffers.isEmpty()) {
                assertTrue(running == null, where + ": the layer keeps running statistics, PyTorch does not");
            } else {
                assertNotNull(running, where + ": PyTorch keeps running statistics, the layer does not");
                assertClose(where + " running_mean", tensor(buffers.get("running_mean")), running[0]);
                assertClose(where + " running_var", tensor(buffers.get("running_var")), running[1]);
            }
        }
    }

    private static Layer build(String type, JsonNode c) {
        return switch (type) {
            case "BatchNorm" -> new BatchNorm(c.get("num_features").asInt(), c.get("eps").asDouble(),
                    c.get("momentum").isNull() ? null : c.get("momentum").asDouble(), c.get("affine").asBoolean(),
                    c.get("track_running_stats").asBoolean());
            case "LayerNorm" -> new LayerNorm(ints(c.get("normalized_shape")), c.get("eps").asDouble(), c.get("elementwise_affine").asBoolean());
            case "GroupNorm" -> new GroupNorm(c.get("num_groups").asInt(), c.get("num_channels").asInt(), c.get("eps").asDouble(),
                    c.get("affine").asBoolean());
            case "InstanceNorm" -> new InstanceNorm(c.get("num_features").asInt(), c.get("eps").asDouble(), c.get("momentum").asDouble(),
                    c.get("affine").asBoolean(), c.get("track_running_stats").asBoolean());
            case "LocalResponseNorm" -> new LocalResponseNorm(c.get("size").asInt(), c.get("alpha").asDouble(), c.get("beta").asDouble(),
                    c.get("k").asDouble());
            default -> throw new IllegalArgumentException("GoldenTest: unknown layer type '" + type + "'");
        };
    }

    /** {running mean, running var}, or null when the layer keeps none. */
    private static Tensor[] runningBuffers(Layer layer) {
        return switch (layer) {
            case BatchNorm bn when bn.runningMean() != null -> new Tensor[] {bn.runningMean(), bn.runningVar()};
            case InstanceNorm in when in.runningMean() != null -> new Tensor[] {in.runningMean(), in.runningVar()};
            default -> null;
        };
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data(), a = actual.data();
        for (int i = 0; i < e.length; i++) {
            double allowed = TOLERANCE * Math.max(Math.abs(e[i]), 1);
            if (!(Math.abs(a[i] - e[i]) <= allowed)) {
                fail(what + " at " + i + ": expected " + e[i] + " (PyTorch), got " + a[i] + ", allowed difference " + allowed);
            }
        }
    }

    private static Tensor tensor(JsonNode node) {
        JsonNode values = node.get("data");
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) data[i] = (float) values.get(i).asDouble();
        return Tensor.of(data, ints(node.get("shape")));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
