package org.normlab.spark;

import org.normlab.experiment.Engine;

/** {@code --engine spark} on the command line (found by ServiceLoader when this module's jar is on the class path). */
public final class SparkEngineProvider implements Engine.Provider {
    @Override
    public String name() { return "spark"; }

    @Override
    public Engine.Distributed open(String master) { return SparkEngine.connect(master); }
}
