package org.normlab.kernels;

/**
 * Whether NormLab's kernels may use the Vector API (jdk.incubator.vector): the JVM must resolve the module
 * ({@code --add-modules jdk.incubator.vector}: the build, the tests, the kernel and {@code make bench} pass it; the CLI
 * does not), and {@code -Dnormlab.vector=false} turns it off. Every kernel with a Vector API path has a plain-Java
 * path giving the same bits, so this choice changes speed only.
 */
public final class VectorApi {
    private VectorApi() {}

    private static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("normlab.vector"));

    public static boolean enabled() { return ENABLED; }

    /** "Vector API" or "plain loops": what {@code make bench} reports. */
    public static String backend() { return ENABLED ? "Vector API" : "plain loops"; }
}
