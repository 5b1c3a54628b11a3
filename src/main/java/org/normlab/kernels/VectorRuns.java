package org.normlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Runs}' Vector API path (loaded only when the module is there): whole 8-float vectors; returns where it stopped. */
final class VectorRuns {
    private VectorRuns() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = F.length();

    static int copy(float[] src, int from, float[] dst, int to, int length) {
        int i = 0;
        for (; i + L <= length; i += L) FloatVector.fromArray(F, src, from + i).intoArray(dst, to + i);
        return i;
    }

    static int add(float[] src, int from, float[] dst, int to, int length) {
        int i = 0;
        for (; i + L <= length; i += L) FloatVector.fromArray(F, dst, to + i).add(FloatVector.fromArray(F, src, from + i)).intoArray(dst, to + i);
        return i;
    }
}
