package org.normlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Engine;

/**
 * What can be checked without a cluster; runs on a real standalone cluster are scripts/cluster_test.py's
 * (`make cluster-test`, part of `make test`).
 */
class SparkEngineTest {
    @Test
    void theCommandLineFindsTheSparkEngineAndWantsAMaster() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.named("spark", null, 1));
        assertEquals("--engine spark: no Spark master; give --master spark://HOST:7077 (or start through spark-submit --master)", e.getMessage());
    }

    @Test
    void anUnknownEngineListsTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.named("dask", null, 1));
        assertTrue(e.getMessage().startsWith("--engine dask: no such engine on the class path (found: local, spark)"), e.getMessage());
    }

    @Test
    void executorsGetNormLabsJarAndItsDependencies() {
        List<String> jars = SparkEngine.normlabJars();
        assertTrue(jars.get(0).endsWith("normlab.jar"), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.contains("/lib/picocli-")), "the dependencies in lib/: " + jars);
    }
}
