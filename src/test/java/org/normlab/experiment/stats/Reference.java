package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The reference values written by {@code scripts/stats/reference.py} (SciPy / statsmodels), and the comparison
 * used by every reference test. The JSON holds NaN and ±Infinity as Python writes them.
 */
final class Reference {
    /** Closed forms and special functions evaluated directly: relative 1e-10. */
    static final double CLOSED_FORM = 1e-10;

    private static final JsonNode ROOT = load();

    private Reference() {}

    static JsonNode get(String section) {
        JsonNode node = ROOT.get(section);
        assertNotNull(node, "reference.json has no section " + section + "; re-run scripts/stats/reference.py");
        return node;
    }

    private static JsonNode load() {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = Reference.class.getResourceAsStream("/stats/reference.json")) {
            assertNotNull(in, "no stats/reference.json on the test classpath; run scripts/stats/reference.py");
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }

    static boolean[] booleans(JsonNode array) {
        boolean[] out = new boolean[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asBoolean();
        return out;
    }

    /** |actual − expected| ≤ max(relative·|expected|, absolute); NaN and infinities must match exactly. */
    static void close(double expected, double actual, double relative, double absolute, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        double tolerance = Math.max(relative * Math.abs(expected), absolute);
        assertTrue(Math.abs(actual - expected) <= tolerance,
                what + ": expected " + expected + ", got " + actual + " (tolerance " + tolerance + ")");
    }

    static void close(double expected, double actual, String what) {
        close(expected, actual, CLOSED_FORM, 0, what);
    }

    static Alternative alternative(String name) {
        return Alternative.valueOf(name);
    }
}
