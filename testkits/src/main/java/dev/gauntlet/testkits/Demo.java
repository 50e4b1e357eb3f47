package dev.gauntlet.testkits;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ModelCache;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

/**
 * The demo main job: loads (training and caching on first use) the embedded-data reference
 * models and prints each one's held-out accuracy and fingerprint.
 *
 * <p>Run it with {@code mvn -B -q -f testkits/pom.xml compile exec:java} after installing the
 * library (see README). It needs only Java 17 and Maven: the data is embedded.
 */
public final class Demo {

    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.printf("Gauntlet demo — model cache: %s%n%n", ModelCache.root());
        System.out.printf("%-20s %-10s %9s %8s  %s%n", "model", "engine", "accuracy", "samples", "fingerprint (SHA-256)");
        for (ReferenceModel reference : new ReferenceModel[] {ReferenceModel.DIGITS_MLP, ReferenceModel.BREAST_CANCER_MLP}) {
            Dataset test = reference.data().test();
            try (DjlClassifier classifier = ReferenceModels.load(reference)) {
                System.out.printf("%-20s %-10s %9.4f %8d  %s%n", reference.id(), classifier.computeTarget(),
                        classifier.accuracy(test), test.size(), classifier.fingerprint());
            }
        }
    }
}
