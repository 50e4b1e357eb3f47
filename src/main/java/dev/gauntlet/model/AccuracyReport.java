package dev.gauntlet.model;

import dev.gauntlet.data.Dataset;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clean accuracy of a classifier on a dataset, overall and per class.
 *
 * @param accuracy the fraction of samples predicted correctly
 * @param samples the number of samples
 * @param correctPerClass correct predictions among the samples of each class
 * @param samplesPerClass samples of each class
 */
public record AccuracyReport(double accuracy, int samples, int[] correctPerClass, int[] samplesPerClass) {

    /**
     * Copies the arrays.
     */
    public AccuracyReport {
        correctPerClass = correctPerClass.clone();
        samplesPerClass = samplesPerClass.clone();
    }

    /**
     * Measures a classifier on a dataset.
     *
     * @param classifier the model
     * @param data labelled samples
     * @return the report
     */
    public static AccuracyReport of(Classifier classifier, Dataset data) {
        int[] predicted = classifier.predict(data);
        int[] correct = new int[data.numClasses()];
        int[] count = new int[data.numClasses()];
        int total = 0;
        for (int i = 0; i < predicted.length; i++) {
            int label = data.label(i);
            count[label]++;
            if (predicted[i] == label) {
                correct[label]++;
                total++;
            }
        }
        return new AccuracyReport((double) total / predicted.length, predicted.length, correct, count);
    }

    /**
     * Returns the accuracy of one class, or NaN if it has no sample.
     *
     * @param label the class
     * @return the class accuracy
     */
    public double classAccuracy(int label) {
        return samplesPerClass[label] == 0 ? Double.NaN : (double) correctPerClass[label] / samplesPerClass[label];
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return accuracy, samples and per-class accuracy
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy);
        map.put("samples", samples);
        double[] perClass = new double[samplesPerClass.length];
        for (int c = 0; c < perClass.length; c++) {
            perClass[c] = classAccuracy(c);
        }
        map.put("accuracyPerClass", perClass);
        map.put("samplesPerClass", samplesPerClass);
        return map;
    }
}
