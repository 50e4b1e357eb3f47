package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.counterfactual.CounterfactualReport;
import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

/** Counterfactuals of the real reference models: recourse on tabular data, plausibility on images. */
class CounterfactualQualityTests {

    @Test
    void most_breast_cancer_patients_get_a_valid_counterfactual() {
        Dataset train = ReferenceModel.BREAST_CANCER_MLP.data().train();
        Dataset test = ReferenceModel.BREAST_CANCER_MLP.data().test().head(100);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.BREAST_CANCER_MLP)) {
            var check = assertThatModel(mlp).on(test).counterfactuals(Counterfactuals.wachter()
                    .distance(Distance.MAD_L1), train);
            check.areValidFor(0.9);
            CounterfactualReport report = check.report();
            System.out.printf("[gauntlet] breast-cancer-mlp, %d held-out patients, Wachter MAD-L1 (p >= 0.95 for the"
                    + " other class, within the observed ranges): valid %.2f, median changed features %.1f of 30,"
                    + " median MAD-L1 %.2f, L1 %.2f, %.3f s per patient%n", report.samples(), report.validity(),
                    report.medianChangedFeatures(), report.medianDistance(Distance.MAD_L1),
                    report.medianDistance(Distance.L1), report.meanSeconds());
        }
    }

    @Test
    void prototype_guided_counterfactuals_are_closer_to_the_target_class_data_than_wachters() {
        Dataset train = ReferenceModel.DIGITS_MLP.data().train();
        Dataset test = ReferenceModel.DIGITS_MLP.data().test().head(50);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            CounterfactualReport wachter = Counterfactuals.wachter().explain(mlp, test, train);
            CounterfactualReport prototypes = Counterfactuals.prototypeGuided().budget(5, 300).explain(mlp, test, train);
            System.out.printf("[gauntlet] digits-mlp, 50 test digits: median distance to the nearest training digit of"
                    + " the counterfactual's class: Wachter %.3f (valid %.2f, L1 %.2f, %.3f s each), prototype-guided"
                    + " %.3f (valid %.2f, L1 %.2f, %.3f s each)%n", wachter.medianPlausibility(), wachter.validity(),
                    wachter.medianDistance(Distance.L1), wachter.meanSeconds(), prototypes.medianPlausibility(),
                    prototypes.validity(), prototypes.medianDistance(Distance.L1), prototypes.meanSeconds());
            assertThat(prototypes.validity()).isGreaterThanOrEqualTo(0.9);
            assertThat(prototypes.medianPlausibility()).isLessThan(wachter.medianPlausibility());
        }
    }
}
