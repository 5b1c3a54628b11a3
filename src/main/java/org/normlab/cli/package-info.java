/**
 * The {@code normlab} command (picocli): list, info, data and study.
 * May use: every other package; nothing uses it.
 */
package org.normlab.cli;
