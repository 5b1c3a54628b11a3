package org.normlab.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ExactSigmoid}'s Vector API path (loaded only when the module is there): σ in double lanes from the
 * Vector API's EXP, each lane's float kept only when it is certain to equal the scalar formula's (see
 * {@link ExactSigmoid} for the argument), the other lanes redone by the scalar formula.
 */
final class VectorSigmoid {
    private VectorSigmoid() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D: widened to D, narrowed back after. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(D.vectorBitSize() / 2));
    /**
     * Half-width of the interval whose rounding must be one float, relative: far above the two paths' difference
     * (≈ 2⁻⁴⁹), far below a float's spacing (2⁻²⁴), so the scalar fallback runs rarely.
     */
    private static final double BELOW = 1 - 0x1p-40, ABOVE = 1 + 0x1p-40;

    /** σ on whole vectors of [from, to); returns where it stopped (the caller finishes the tail). */
    static int sigmoid(float[] in, float[] out, int from, int to) {
        int i = from, lanes = D.length();
        DoubleVector one = DoubleVector.broadcast(D, 1);
        for (; i + lanes <= to; i += lanes) {
            DoubleVector x = widen(in, i);
            DoubleVector s = one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
            store(s, in, out, i, false);
        }
        return i;
    }

    /** SiLU, x·σ(x), on whole vectors of [from, to); returns where it stopped. */
    static int silu(float[] in, float[] out, int from, int to) {
        int i = from, lanes = D.length();
        DoubleVector one = DoubleVector.broadcast(D, 1);
        for (; i + lanes <= to; i += lanes) {
            DoubleVector x = widen(in, i);
            // x·σ(x): the product adds one rounding (2⁻⁵³) to σ's relative difference, still far inside the interval.
            DoubleVector y = x.mul(one.div(one.add(x.neg().lanewise(VectorOperators.EXP))));
            store(y, in, out, i, true);
        }
        return i;
    }

    private static DoubleVector widen(float[] in, int i) {
        return (DoubleVector) FloatVector.fromArray(F, in, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /** Stores v's floats where v·(1 ± 2⁻⁴⁰) round alike; the other lanes by the scalar formula. */
    private static void store(DoubleVector v, float[] in, float[] out, int i, boolean silu) {
        FloatVector low = (FloatVector) v.mul(BELOW).convertShape(VectorOperators.D2F, F, 0);
        FloatVector high = (FloatVector) v.mul(ABOVE).convertShape(VectorOperators.D2F, F, 0);
        VectorMask<Float> certain = low.compare(VectorOperators.EQ, high);
        low.intoArray(out, i);
        if (!certain.allTrue()) {
            int lanes = D.length();
            if (silu) ExactSigmoid.siluPlain(in, out, i, i + lanes);
            else ExactSigmoid.sigmoidPlain(in, out, i, i + lanes);
        }
    }
}
