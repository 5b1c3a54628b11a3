package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class NormTest {

    @Test
    void labelsAndParsingRoundTrip() {
        for (Norm norm : List.of(Norm.NONE, Norm.BN, Norm.LN, Norm.GN(4), Norm.GN(1), Norm.IN)) {
            assertEquals(norm, Norm.parse(norm.label()));
            assertEquals(norm, Norm.parse(norm.label().toLowerCase()));
        }
        assertEquals(List.of("none", "BN", "LN", "GN(4)", "IN"),
                List.of(Norm.NONE.label(), Norm.BN.label(), Norm.LN.label(), Norm.GN(4).label(), Norm.IN.label()));
        assertEquals(Norm.GN(32), Norm.parse(" GroupNorm( 32 ) "));
        assertEquals(Norm.LN, Norm.parse("LayerNorm"));
        assertEquals(Norm.IN, Norm.parse("instancenorm"));
    }

    @Test
    void unknownLabelsAndBadGroupCountsAreErrors() {
        assertEquals("Norm: unknown normalization 'GN' (known: none, BN, LN, GN(g), IN, BRN, GHOST(v), GN+WS(g), LRN, noisy-BN)",
                assertThrows(IllegalArgumentException.class, () -> Norm.parse("GN")).getMessage());
        assertEquals("Norm: GN needs a positive number of groups, got 0",
                assertThrows(IllegalArgumentException.class, () -> Norm.parse("GN(0)")).getMessage());
    }

    @Test
    void createBuildsTheLayerForTheChannelCount() {
        assertNull(Norm.NONE.create(8));
        assertInstanceOf(BatchNorm.class, Norm.BN.create(8));
        // LN is GroupNorm(1, C): LayerNorm over the features of an MLP, the GN paper's LN over (C,H,W) of a CNN.
        GroupNorm ln = assertInstanceOf(GroupNorm.class, Norm.LN.create(8));
        assertEquals(1, ln.numGroups());
        Tensor x = Tensor.randn(new Rng(3), 2f, 5, 8);
        assertArrayEquals(new LayerNorm(8).forward(x, Mode.TRAIN).data(), ln.forward(x, Mode.TRAIN).data(), 1e-5f);
        assertEquals(4, ln.forward(Tensor.zeros(2, 8, 3, 3), Mode.TRAIN).rank());
        GroupNorm gn = assertInstanceOf(GroupNorm.class, Norm.GN(4).create(8));
        assertEquals(4, gn.numGroups());
        assertEquals(8, gn.numChannels());
        InstanceNorm in = assertInstanceOf(InstanceNorm.class, Norm.IN.create(8));
        assertEquals(8, in.numFeatures());
        assertEquals("GroupNorm(G=3, C=8): number of groups 3 must divide number of channels 8",
                assertThrows(IllegalArgumentException.class, () -> Norm.GN(3).create(8)).getMessage());
    }

    @Test
    void layerNormFromTheFactoryNormalizesAnMlpsFeatures() {
        Layer ln = Norm.LN.create(5);
        Tensor y = ln.forward(Tensor.randn(new Rng(1), 3f, 4, 5), Mode.TRAIN);
        for (int n = 0; n < 4; n++) {
            double mean = 0;
            for (int f = 0; f < 5; f++) mean += y.get(n, f);
            assertEquals(0, mean / 5, 1e-6);
        }
    }
}
