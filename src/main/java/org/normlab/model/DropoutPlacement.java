package org.normlab.model;

/**
 * Where an MLP puts its dropout layers relative to its norm layers: the choice Li et al. (2019, "Understanding the
 * disharmony between dropout and batch normalization") study. Dropout scales what it keeps by 1/(1 − p) in training
 * and passes everything at inference, so a BatchNorm that sees dropped-out values learns running statistics of a
 * variance the network never shows it at inference (their "variance shift").
 */
public enum DropoutPlacement {
    /**
     * Dropout closes every hidden block (Srivastava et al.): Linear → [Norm] → act → Dropout, so with a norm every later
     * block's norm sees dropped-out values through one Linear — dropout before BN.
     */
    EVERY_BLOCK,
    /** One dropout after the last hidden block, right before the output layer: after every norm — dropout after BN. */
    BEFORE_OUTPUT
}
