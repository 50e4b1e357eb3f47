package dev.gauntlet.train;

/**
 * What one epoch of adversarial training did, measured on a held-out slice after the epoch.
 *
 * @param epoch the epoch number, from 1
 * @param meanLoss the mean adversarial training loss over the epoch's steps
 * @param examplesPerSecond training throughput, crafting included
 * @param cleanAccuracy held-out accuracy on clean inputs
 * @param robustAccuracy held-out robust accuracy under the evaluation attack
 */
public record EpochRecord(int epoch, double meanLoss, double examplesPerSecond, double cleanAccuracy,
        double robustAccuracy) {}
