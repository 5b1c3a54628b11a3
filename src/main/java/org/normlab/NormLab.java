package org.normlab;

import org.normlab.data.FashionMnist;
import org.normlab.experiment.Scale;
import org.normlab.kernels.Gemm;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Facts about the running NormLab: what a notebook shows first, so every result says where it came from. */
public final class NormLab {
    public static final String VERSION = "0.1.0";

    private NormLab() {}

    /** Java runtime, matrix-product backend, cores, heap, scale and where Fashion-MNIST is read from. */
    public static Table about() {
        StringColumn key = StringColumn.create("what"), value = StringColumn.create("value");
        add(key, value, "NormLab", VERSION);
        add(key, value, "Java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        add(key, value, "GEMM backend", Gemm.backend());
        add(key, value, "cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        add(key, value, "max heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        add(key, value, "scale", Scale.current().toString());
        String data;
        try {
            data = FashionMnist.fromEnvironment().prepareAll().toString();
        } catch (RuntimeException e) {
            data = "not available: " + e.getMessage().lines().findFirst().orElse("");
        }
        add(key, value, "Fashion-MNIST", data);
        return Table.create("NormLab environment", key, value);
    }

    private static void add(StringColumn key, StringColumn value, String k, String v) {
        key.append(k);
        value.append(v);
    }
}
