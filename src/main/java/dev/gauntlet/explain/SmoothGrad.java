package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.SplittableRandom;

/**
 * SmoothGrad (Smilkov et al. 2017): the mean class-logit gradient over {@code samples} noisy
 * copies {@code x + N(0, σ²)}, with σ = {@code noiseLevel} × (max − min) of each sample (the
 * paper's definition; 0.15 and 50 samples by default). Seeded.
 */
final class SmoothGrad implements Explainer {

    private final double noiseLevel;
    private final int samples;

    SmoothGrad(double noiseLevel, int samples) {
        if (!(noiseLevel >= 0) || Double.isInfinite(noiseLevel)) {
            throw new IllegalArgumentException("noiseLevel must be finite and >= 0, got " + noiseLevel);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        this.noiseLevel = noiseLevel;
        this.samples = samples;
    }

    @Override
    public String name() {
        return "smoothgrad(noise=" + noiseLevel + ", samples=" + samples + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        UnsupportedCapabilityException.requireInputGradients(classifier, name());
        NDManager manager = inputs.getManager();
        int n = Math.toIntExact(inputs.getShape().get(0));
        float[] flat = inputs.toFloatArray();
        int width = flat.length / n;
        float[] sigma = new float[n];
        for (int i = 0; i < n; i++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                min = Math.min(min, flat[i * width + j]);
                max = Math.max(max, flat[i * width + j]);
            }
            sigma[i] = (float) (noiseLevel * (max - min));
        }
        SplittableRandom random = new SplittableRandom(seed);
        NDArray sum = null;
        for (int s = 0; s < samples; s++) {
            float[] noisy = flat.clone();
            for (int k = 0; k < noisy.length; k++) {
                noisy[k] += (float) (sigma[k / width] * StandardNormal.draw(random));
            }
            NDArray point = manager.create(noisy, inputs.getShape());
            NDArray gradient = classifier.inputGradient(point, classes, GradientLoss.classLogit());
            sum = sum == null ? gradient : sum.add(gradient);
            point.close();
        }
        return sum.div(samples);
    }
}
