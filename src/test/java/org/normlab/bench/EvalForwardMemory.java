package org.normlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.normlab.model.MbConvNet;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The heap an EVAL forward leaves behind (docs/decisions/kernel-memory.md): the MBConv net with and without BN,
 * He init, one EVAL forward of a random (N, 1, 28, 28) batch, the live heap after full collections before and
 * after it. Uses only the public API, so it also runs against an older build's classes:
 * <pre>
 * java -XX:+UseSerialGC -cp target/classes:target/test-classes:$(cat target/cp.txt) org.normlab.bench.EvalForwardMemory 1000
 * </pre>
 */
public final class EvalForwardMemory {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private EvalForwardMemory() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (Norm norm : new Norm[] {Norm.BN, Norm.NONE}) {
            // A small batch through another net first loads the classes and the native BLAS.
            MbConvNet.build(norm, Init.he(), new Rng(1)).forward(Tensor.randn(new Rng(3), 1f, 16, 1, 28, 28), Mode.EVAL);
            Sequential net = MbConvNet.build(norm, Init.he(), new Rng(1));
            Tensor x = Tensor.randn(new Rng(2), 1f, n, 1, 28, 28);
            long before = liveHeap();
            Tensor logits = net.forward(x, Mode.EVAL);
            long after = liveHeap();
            System.out.printf("MBConv net, norm %s, one EVAL forward of %d images: %.1f MB retained (logits %s)%n", norm.label(), n,
                    (after - before) / 1e6, logits.shapeString());
        }
    }

    /** Heap in use after three full collections. */
    private static long liveHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
