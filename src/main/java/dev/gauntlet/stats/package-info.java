/**
 * Small-sample statistics the release gates decide on: binomial confidence intervals (Wilson,
 * Clopper–Pearson), McNemar's exact and mid-p tests of paired predictions, and Newcombe's interval of
 * a paired difference of proportions. Each equals a named reference (scipy 1.10.1 for the tests and
 * the single-proportion intervals, {@code McNemarParityTests}); plain Java values in and out.
 */
package dev.gauntlet.stats;
