package org.normlab.model;

/** Where a normalization layer sits relative to the nonlinearity of its block. */
public enum Placement {
    /** Linear → Norm → activation (Ioffe &amp; Szegedy's choice). */
    BEFORE,
    /** Linear → activation → Norm. */
    AFTER
}
