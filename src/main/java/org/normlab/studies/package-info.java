/**
 * One study per claim: its grid, its budget per scale, its criteria declared before any run, its figures; and the
 * registry that the CLI and reports run studies from by name.
 * May use: everything below it (tensor to experiment).
 */
package org.normlab.studies;
