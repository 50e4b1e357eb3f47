package dev.gauntlet.train;

/**
 * What one adversarial-training step did.
 *
 * @param loss the mean training loss of the step
 * @param cleanAccuracy the batch accuracy on the clean inputs, before the update
 * @param adversarialAccuracy the batch accuracy on the crafted inputs, before the update
 * @param samples the batch size
 */
public record TrainingStep(double loss, double cleanAccuracy, double adversarialAccuracy, int samples) {}
