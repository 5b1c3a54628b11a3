/**
 * The Spark engine: a sweep's runs as Spark tasks ({@link org.normlab.spark.SparkEngine}), and {@code --engine spark}
 * for the command line ({@link org.normlab.spark.SparkEngineProvider}). A module of its own (spark/pom.xml) so that
 * the default jar carries no Spark; it uses NormLab's experiment package and nothing below it but RunLog.
 */
package org.normlab.spark;
