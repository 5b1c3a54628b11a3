/**
 * The JJava extension: charts, tables and reports display themselves in a notebook; progress bars for cells.
 * May use: everything below it, and the root package.
 */
package org.normlab.jupyter;
