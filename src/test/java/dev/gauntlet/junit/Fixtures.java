package dev.gauntlet.junit;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.model.LinearModels;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Models and data with known answers for the extension's fixture classes. */
final class Fixtures {

    /** Every classifier the fixtures created, to check that the extension closes them. */
    static final List<TrackingClassifier> CREATED = new CopyOnWriteArrayList<>();

    /** Accuracy of the softmax-linear model on {@link #data()}: 30 of 40 labels are its predictions. */
    static final double ACCURACY = 0.75;

    private Fixtures() {}

    static Classifier linearModel() {
        TrackingClassifier classifier = new TrackingClassifier(LinearModels.classifier(LinearModels.softmaxLinear()));
        CREATED.add(classifier);
        return classifier;
    }

    /** 40 points; the first 30 labelled with the model's prediction (closed form), the rest with another class. */
    static Dataset data() {
        float[][] rows = new float[40][];
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            rows[i] = new float[] {(float) Math.sin(i), (float) Math.cos(1.7 * i), 0.1f * i - 2};
            float[] z = LinearModels.expectedLogits(rows[i]);
            int best = 0;
            for (int c = 1; c < 4; c++) {
                best = z[c] > z[best] ? c : best;
            }
            labels[i] = i < 30 ? best : (best + 1) % 4;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(4).optName("closed-form").build();
    }

    /** A classifier that owns its model and records whether it was closed. */
    static final class TrackingClassifier extends ForwardingClassifier {

        private volatile boolean closed;

        TrackingClassifier(Classifier delegate) {
            super(delegate);
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            super.close();
            ((DjlClassifier) delegate()).model().close();
        }

        @Override
        public String toString() {
            return "linear-model";
        }
    }
}
