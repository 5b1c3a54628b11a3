package org.normlab.nn;

/**
 * Whether a forward pass is part of training or of inference.
 *
 * <p>Only some layers care: BatchNorm uses batch statistics and updates its running statistics in {@code TRAIN},
 * and uses the running statistics in {@code EVAL}; Dropout is active only in {@code TRAIN}.
 * (DESIGN.md sketched this enum in {@code train/}; it lives here because layers, below the trainer, need it.)
 */
public enum Mode { TRAIN, EVAL }
