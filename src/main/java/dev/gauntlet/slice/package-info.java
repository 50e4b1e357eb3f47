/**
 * Bars per class and per named slice of the data: which samples a {@link dev.gauntlet.slice.Slice}
 * holds, each sample's outcome ({@link dev.gauntlet.slice.Outcomes}: correct, robust, confidence), and
 * per-slice accuracy or calibration with an interval ({@link dev.gauntlet.slice.SliceMetrics}) judged
 * by a {@link dev.gauntlet.slice.BarRule} so that a small slice neither passes nor fails on noise.
 */
package dev.gauntlet.slice;
