package org.normlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Property-based tests (jqwik) of what {@link Tensor}'s factories accept: sizes that fit an array, finite std ≥ 0. */
class TensorPropertiesTest {
    private static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    /** A shape whose true product exceeds an array's capacity is an error, however the product wraps in a long. */
    @Property(tries = 300)
    void aSizeTooLargeForAnArrayIsAnErrorNotAWrappedSize(@ForAll("shapes") List<Integer> dims) {
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        BigInteger size = dims.stream().map(BigInteger::valueOf).reduce(BigInteger.ONE, BigInteger::multiply);
        if (size.compareTo(BigInteger.valueOf(MAX_SIZE)) > 0) {
            var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(shape), () -> "zeros" + dims + " (" + size + " values)");
            assertEquals("Tensor: " + Arrays.toString(shape) + " has more than " + MAX_SIZE + " values, more than a Java array holds", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], shape));
        } else if (size.longValue() <= 1 << 16) {  // allocate only small tensors
            assertEquals(size.intValue(), Tensor.zeros(shape).size());
        }
    }

    /** 2⁶⁴ values: the product wraps to 0 in a long, which once made a size-0 tensor. */
    @Example
    void aProductThatWrapsToZeroIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16, 1 << 16, 1 << 16));
        assertEquals("Tensor: [65536, 65536, 65536, 65536] has more than " + MAX_SIZE + " values, more than a Java array holds", e.getMessage());
    }

    @Property(tries = 50)
    void randnRefusesAStdThatIsNotFiniteAndNonNegative(@ForAll("badStd") float std, @ForAll long seed) {
        assertEquals("Tensor.randn: std must be finite and ≥ 0, got " + std,
                assertThrows(IllegalArgumentException.class, () -> Tensor.randn(new Rng(seed), std, 3, 2)).getMessage());
    }

    @Property(tries = 20)
    void randnWithStdZeroIsZeros(@ForAll long seed) {
        for (float v : Tensor.randn(new Rng(seed), 0f, 5, 3).data()) assertTrue(v == 0f, "got " + v);  // ±0
    }

    /** 1 to 5 dimensions; mostly huge (products that wrap a long, e.g. 2³² · 2³²), some small, now and then 0. */
    @Provide
    Arbitrary<List<Integer>> shapes() {
        Arbitrary<Integer> huge = Arbitraries.of(1 << 16, 46_341, 1 << 30, Integer.MAX_VALUE);
        Arbitrary<Integer> large = Arbitraries.integers().between(1, Integer.MAX_VALUE);
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 64);
        Arbitrary<Integer> dim = Arbitraries.frequency(Tuple.of(3, huge), Tuple.of(2, large), Tuple.of(4, small), Tuple.of(1, Arbitraries.just(0)))
                .flatMap(a -> a);
        return dim.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Float> badStd() {
        return Arbitraries.oneOf(Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.5f, -Float.MIN_VALUE),
                Arbitraries.floats().lessThan(0));
    }
}
