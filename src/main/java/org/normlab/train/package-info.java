/**
 * The training loop: {@code Trainer} (steps, metrics, evaluation, divergence), {@code GanTrainer}, and the
 * {@code RunLog} a run leaves.
 * May use: everything below it (tensor to data).
 */
package org.normlab.train;
