package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * {@link GruCell} against PyTorch's {@code nn.GRU}: the fixture src/test/resources/golden/recurrent/gru_5_steps.json
 * was written by {@code /usr/bin/python3 scripts/golden/generate.py} (its function {@code gru()} gives the format).
 * PyTorch's parameters map onto the cell's as its Javadoc says: b = b_ih + b_hh for the r and z rows, b = b_in for
 * the n rows, b_hn = the n rows of b_hh. The last hidden state, dL/dx and every parameter gradient must agree to
 * within 1e-4·max(|expected|, 1), the tolerance of the norm layers' GoldenTest.
 */
class GruGoldenTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void matchesPyTorchsGruOverFiveSteps() throws Exception {
        JsonNode fixture;
        try (InputStream in = GruGoldenTest.class.getResourceAsStream("/golden/recurrent/gru_5_steps.json")) {
            assertNotNull(in, "no golden/recurrent/gru_5_steps.json on the test classpath; run /usr/bin/python3 scripts/golden/generate.py");
            fixture = new ObjectMapper().readTree(in);
        }
        assertEquals("GRU", fixture.get("layer").asText());
        JsonNode config = fixture.get("config"), params = fixture.get("params"), grads = fixture.get("grad_params");
        int features = config.get("input_size").asInt(), hs = config.get("hidden_size").asInt();
        GruCell cell = new GruCell(features, hs);
        Recurrent layer = new Recurrent(cell);

        copy(tensor(params.get("weight_ih")), cell.weightIh());
        copy(tensor(params.get("weight_hh")), cell.weightHh());
        float[] bIh = tensor(params.get("bias_ih")).data(), bHh = tensor(params.get("bias_hh")).data();
        float[] b = cell.bias().value().data(), bHn = cell.biasHn().value().data();
        for (int j = 0; j < 2 * hs; j++) b[j] = bIh[j] + bHh[j];
        for (int k = 0; k < hs; k++) {
            b[2 * hs + k] = bIh[2 * hs + k];
            bHn[k] = bHh[2 * hs + k];
        }

        Tensor y = layer.forward(tensor(fixture.get("input")), Mode.TRAIN);
        assertClose("h_T", tensor(fixture.get("output")).data(), y.data());
        Tensor dx = layer.backward(tensor(fixture.get("grad_output")));
        assertClose("grad_input", tensor(fixture.get("grad_input")).data(), dx.data());
        assertClose("grad weight_ih", tensor(grads.get("weight_ih")).data(), cell.weightIh().grad().data());
        assertClose("grad weight_hh", tensor(grads.get("weight_hh")).data(), cell.weightHh().grad().data());

        // For r and z PyTorch's two biases get the same gradient, which is why one bias can stand for both.
        float[] gIh = tensor(grads.get("bias_ih")).data(), gHh = tensor(grads.get("bias_hh")).data();
        float[] expectedBias = gIh.clone(), expectedBiasHn = new float[hs];
        for (int j = 0; j < 2 * hs; j++) assertEquals(gIh[j], gHh[j], 1e-6, "PyTorch's bias_ih and bias_hh gradients, row " + j);
        System.arraycopy(gHh, 2 * hs, expectedBiasHn, 0, hs);
        assertClose("grad bias (b_ih + b_hh for r, z; b_in)", expectedBias, cell.bias().grad().data());
        assertClose("grad biasHn (b_hn)", expectedBiasHn, cell.biasHn().grad().data());
    }

    private static void copy(Tensor from, Param to) {
        assertArrayEquals(from.shape(), to.value().shape(), "shape of " + to.name());
        System.arraycopy(from.data(), 0, to.value().data(), 0, from.size());
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double allowed = TOLERANCE * Math.max(Math.abs(expected[i]), 1);
            if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
                fail(what + " at " + i + ": expected " + expected[i] + " (PyTorch), got " + actual[i] + ", allowed difference " + allowed);
            }
        }
    }

    private static Tensor tensor(JsonNode node) {
        JsonNode values = node.get("data"), shape = node.get("shape");
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) data[i] = (float) values.get(i).asDouble();
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asInt();
        return Tensor.of(data, dims);
    }
}
