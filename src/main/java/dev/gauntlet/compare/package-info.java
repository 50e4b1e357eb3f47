/**
 * Candidate versus baseline: two classifiers judged on the same samples, decided on their paired
 * predictions. {@link dev.gauntlet.compare.ModelComparison} measures; its reports
 * ({@link dev.gauntlet.compare.ComparisonReport}, {@link dev.gauntlet.compare.CalibrationComparison})
 * are immutable; {@link dev.gauntlet.compare.RegressionRule} is the release gate's decision.
 */
package dev.gauntlet.compare;
