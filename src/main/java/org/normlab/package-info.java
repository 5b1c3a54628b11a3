/**
 * NormLab: what normalization does to neural-network training, as a library for Java notebooks. The root package
 * holds only {@link org.normlab.NormLab}, the facts a notebook shows first; the packages below it are layered as
 * docs/design.md describes (tensor at the bottom, cli at the top), and {@code ArchitectureTest} enforces it.
 */
package org.normlab;
