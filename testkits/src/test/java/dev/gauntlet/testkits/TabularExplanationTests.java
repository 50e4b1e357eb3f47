package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/** Attributions of the breast-cancer MLP: two unrelated methods must agree on what matters. */
class TabularExplanationTests {

    @Test
    void kernel_shap_and_lime_agree_on_the_most_important_features() {
        Dataset train = ReferenceModel.BREAST_CANCER_MLP.data().train();
        Dataset test = ReferenceModel.BREAST_CANCER_MLP.data().test().head(10);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.BREAST_CANCER_MLP)) {
            ExplanationBatch shap = Explainers.kernelShap(train).explain(mlp, test, 1);
            ExplanationBatch lime = Explainers.lime(train).explain(mlp, test, 1);
            ExplanationBatch ig = Explainers.integratedGradients(64).explain(mlp, test, 1);
            int[] shapTop = shap.topFeatures(5);
            int[] limeTop = lime.topFeatures(5);
            int[] igTop = ig.topFeatures(5);
            long shared = Arrays.stream(limeTop).filter(f -> Arrays.stream(shapTop).anyMatch(s -> s == f)).count();
            System.out.printf("[gauntlet] breast-cancer-mlp, 10 patients, top-5 features by mean |attribution|:"
                    + " KernelSHAP %s, LIME %s, IG %s; SHAP and LIME share %d%n", Arrays.toString(shapTop),
                    Arrays.toString(limeTop), Arrays.toString(igTop), shared);
            assertThat(shared).isGreaterThanOrEqualTo(3);
            // a third method's most important feature is among SHAP's top 3; SHAP's least important is not in its top 5
            assertThatModel(mlp).on(test).explanations(Explainers.kernelShap(train)).topFeaturesInclude(3, igTop[0]);
            int least = shap.topFeatures(30)[29];
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertThatModel(mlp).on(test)
                    .explanations(Explainers.kernelShap(train)).topFeaturesInclude(5, least))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("features missing from the top 5");
        }
    }
}
