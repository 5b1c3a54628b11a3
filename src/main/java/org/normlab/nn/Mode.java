package org.normlab.nn;

/**
 * Whether a forward pass is part of training or of inference.
 *
 * <p>Only some layers care: BatchNorm uses batch statistics and updates its running statistics in {@code TRAIN},
 * and uses the running statistics in {@code EVAL}; Dropout is active only in {@code TRAIN}.
 * It lives in {@code nn}, not {@code train}, because layers, below the trainer, need it (docs/design.md, "Packages").
 */
public enum Mode { TRAIN, EVAL }
