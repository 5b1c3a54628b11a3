package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@link Multiplicity} against statsmodels' {@code multipletests} (holm, fdr_bh). */
class MultiplicityTest {
    @Test
    void matchesStatsmodelsMultipletests() {
        for (JsonNode c : Reference.get("multiplicity")) {
            String name = "multiplicity " + c.get("name").asText();
            double[] p = Reference.doubles(c.get("p"));
            double[] holm = Multiplicity.holm(p);
            double[] bh = Multiplicity.benjaminiHochberg(p);
            for (int i = 0; i < p.length; i++) {
                close(c.get("holm").get(i).asDouble(), holm[i], name + " holm[" + i + "]");
                close(c.get("bh").get(i).asDouble(), bh[i], name + " bh[" + i + "]");
            }
        }
    }

    @Test
    void adjustedValuesPreserveOrderAndAreCappedAtOne() {
        double[] p = {0.04, 0.5, 0.001, 0.04, 0.9, 0.2};
        for (double[] adjusted : new double[][] {Multiplicity.holm(p), Multiplicity.benjaminiHochberg(p)}) {
            for (int i = 0; i < p.length; i++) {
                assertTrue(adjusted[i] >= p[i] && adjusted[i] <= 1, "adjusted[" + i + "] = " + adjusted[i]);
                for (int j = 0; j < p.length; j++) {
                    if (p[i] < p[j]) assertTrue(adjusted[i] <= adjusted[j], i + " vs " + j);
                }
            }
        }
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Multiplicity.holm(new double[] {0.1, Double.NaN}));
        assertEquals("Multiplicity.holm: expected p-values in [0, 1], got p[1] = NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Multiplicity.benjaminiHochberg(new double[0]));
        assertEquals("Multiplicity.benjaminiHochberg: expected at least one p-value, got none", e.getMessage());
    }
}
