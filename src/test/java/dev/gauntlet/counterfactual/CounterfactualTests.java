package dev.gauntlet.counterfactual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Counterfactuals on the two-class linear model z = V x + c, whose decision boundary is the
 * hyperplane w·x + b = 0 with w = V₁ − V₀ and b = c₁ − c₀: distances are known in closed form.
 */
class CounterfactualTests {

    private static final float[][] POINTS = {{2f, -1f, 0f}, {-1f, 2f, 1f}, {0f, 0f, -4f}, {1.5f, -2f, 1f}};
    /** logit(0.49): where the other class's probability reaches 0.5 − 0.01. */
    private static final double EDGE = Math.log(0.49 / 0.51);

    private static double[] w() {
        double[] w = new double[3];
        for (int j = 0; j < 3; j++) {
            w[j] = LinearModels.V[1][j] - LinearModels.V[0][j];
        }
        return w;
    }

    private static double margin(float[] x) {
        double[] w = w();
        double sum = LinearModels.C[1] - LinearModels.C[0];
        for (int j = 0; j < 3; j++) {
            sum += w[j] * x[j];
        }
        return sum;
    }

    private static Dataset points() {
        int[] labels = new int[POINTS.length];
        for (int i = 0; i < POINTS.length; i++) {
            labels[i] = margin(POINTS[i]) > 0 ? 1 : 0;
        }
        return Dataset.builder().setFeatures(POINTS).setLabels(labels).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName("points").build();
    }

    /** Gaussian reference data with per-feature standard deviations, labelled by the model. */
    private static Dataset reference(double... stds) {
        Random random = new Random(3);
        float[][] rows = new float[400][3];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 3; j++) {
                rows[i][j] = (float) (random.nextGaussian() * stds[j]);
            }
            labels[i] = margin(rows[i]) > 0 ? 1 : 0;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName("reference").build();
    }

    private static Classifier classifier(Model model) {
        return DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2).build();
    }

    @Test
    void wachter_l2_counterfactual_lies_at_the_closed_form_distance_to_the_hyperplane() {
        double norm = Math.sqrt(java.util.Arrays.stream(w()).map(v -> v * v).sum());
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            CounterfactualReport report = Counterfactuals.wachter().distance(Distance.L2).targetProbability(0.5, 0.01)
                    .constraints(FeatureConstraints.valueBounds()).explain(classifier, points(), reference(3, 3, 3));
            System.out.println(report);
            for (Counterfactual cf : report.counterfactuals()) {
                double expected = (Math.abs(margin(cf.original())) + EDGE) / norm;
                assertThat(cf.valid()).isTrue();
                assertThat(cf.l2()).as("sample %d", cf.index()).isCloseTo(expected, within(0.02 * expected));
            }
        }
    }

    @Test
    void wachter_l1_changes_only_the_feature_with_the_largest_weight_per_unit_of_distance() {
        double[] w = w(); // |w| = (1.25, 1.5, 0.75): feature 1 moves the margin most per unit of plain L1
        Dataset wide = reference(15, 1.5, 0.15); // MADs about (10, 1, 0.1): per unit of MAD-L1, |w_j|·MAD_j wins
        double[] mads = {mad(wide, 0), mad(wide, 1), mad(wide, 2)};
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            Wachter wachter = Counterfactuals.wachter().targetProbability(0.5, 0.01)
                    .constraints(FeatureConstraints.valueBounds());
            CounterfactualReport l1 = wachter.explain(classifier, points(), reference(3, 3, 3));
            CounterfactualReport mad = wachter.distance(Distance.MAD_L1).explain(classifier, points(), wide);
            System.out.println(l1 + "\n" + mad);
            for (int i = 0; i < POINTS.length; i++) {
                double needed = Math.abs(margin(POINTS[i])) + EDGE;
                Counterfactual plain = l1.counterfactuals().get(i);
                assertThat(plain.valid()).isTrue();
                assertThat(plain.changedFeatures()).as("sample %d: %s", i, plain).isEqualTo(1);
                assertThat(plain.counterfactual()[1]).isNotEqualTo(POINTS[i][1]);
                assertThat(plain.l1()).isCloseTo(needed / Math.abs(w[1]), within(0.02 * needed / Math.abs(w[1])));
                Counterfactual scaled = mad.counterfactuals().get(i);
                assertThat(scaled.valid()).isTrue();
                assertThat(scaled.changedFeatures()).isEqualTo(1);
                assertThat(scaled.counterfactual()[0]).isNotEqualTo(POINTS[i][0]);
                double expected = needed / (Math.abs(w[0]) * mads[0]);
                assertThat(scaled.madL1()).isCloseTo(expected, within(0.02 * expected));
            }
        }
    }

    /** The median absolute deviation of one feature, computed here independently. */
    private static double mad(Dataset data, int feature) {
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.features(i)[feature];
        }
        double median = median(values);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i] - median);
        }
        return median(values);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    @Test
    void immutable_features_and_ranges_hold_and_the_samples_are_not_mutated() {
        Dataset samples = points();
        float[][] before = new float[samples.size()][];
        for (int i = 0; i < before.length; i++) {
            before[i] = samples.features(i);
        }
        FeatureConstraints constraints = FeatureConstraints.valueBounds().immutable(1).range(0, -5, 5);
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            for (CounterfactualMethod method : new CounterfactualMethod[] {
                    Counterfactuals.wachter().constraints(constraints).budget(4, 300),
                    Counterfactuals.prototypeGuided().constraints(constraints).budget(4, 300),
                    Counterfactuals.pertinentNegatives().constraints(constraints).budget(4, 300)}) {
                CounterfactualReport report = method.explain(classifier, samples, reference(3, 3, 3));
                System.out.println(report);
                // pertinent negatives may only move features away from the median (about 0); sample 1 would
                // have to cross it on both mutable features, which no continuous path allowed to it does
                assertThat(report.validity()).as(method.name()).isEqualTo(method instanceof ElasticNetCounterfactual e
                        && e.name().startsWith("cem-pn") ? 0.75 : 1.0);
                for (Counterfactual cf : report.counterfactuals()) {
                    if (!cf.valid()) {
                        assertThat(cf.counterfactual()).containsExactly(cf.original());
                        continue;
                    }
                    assertThat(cf.counterfactual()[1]).as(method.name()).isEqualTo(cf.original()[1]);
                    assertThat(cf.counterfactual()[0]).isBetween(-5f, 5f);
                    assertThat(cf.counterfactualClass()).isNotEqualTo(cf.originalClass());
                }
            }
        }
        for (int i = 0; i < before.length; i++) {
            assertThat(samples.features(i)).containsExactly(before[i]);
        }
    }

    @Test
    void pertinent_negatives_only_move_features_away_from_the_no_information_value() {
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            CounterfactualReport report = Counterfactuals.pertinentNegatives().noInformation(0).budget(4, 300)
                    .constraints(FeatureConstraints.valueBounds()).explain(classifier, points(), reference(3, 3, 3));
            System.out.println(report);
            assertThat(report.validity()).isGreaterThanOrEqualTo(0.75);
            for (Counterfactual cf : report.counterfactuals()) {
                for (int j = 0; j < 3; j++) {
                    float value = cf.counterfactual()[j];
                    if (value != cf.original()[j]) {
                        assertThat(Math.abs(value)).as("sample %d feature %d", cf.index(), j)
                                .isGreaterThan(Math.abs(cf.original()[j]));
                    }
                }
            }
        }
    }

    @Test
    void pertinent_positives_keep_the_class_between_the_no_information_value_and_the_sample() {
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            CounterfactualReport report = Counterfactuals.pertinentPositives().noInformation(0).budget(4, 300)
                    .constraints(FeatureConstraints.valueBounds()).explain(classifier, points(), reference(3, 3, 3));
            System.out.println(report);
            assertThat(report.validity()).isEqualTo(1.0);
            for (Counterfactual cf : report.counterfactuals()) {
                assertThat(cf.counterfactualClass()).isEqualTo(cf.originalClass());
                for (int j = 0; j < 3; j++) {
                    float value = cf.counterfactual()[j];
                    assertThat(value).isBetween(Math.min(0f, cf.original()[j]), Math.max(0f, cf.original()[j]));
                }
                // the positive must be smaller than the sample: some of it is left out
                assertThat(cf.l1()).isPositive();
            }
        }
    }

    @Test
    void assertions_pass_on_met_thresholds_and_name_the_check_when_they_fail() {
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            Wachter wachter = Counterfactuals.wachter().targetProbability(0.5, 0.01)
                    .constraints(FeatureConstraints.valueBounds());
            double smallest = java.util.Arrays.stream(POINTS).mapToDouble(p -> (Math.abs(margin(p)) + EDGE) / 1.5).min()
                    .orElseThrow();
            dev.gauntlet.assertj.GauntletAssertions.assertThatModel(classifier).on(points())
                    .counterfactuals(wachter, reference(3, 3, 3)).areValidFor(1.0).changeAtMostFeatures(1)
                    .haveMedianDistanceAtLeast(0.9 * smallest);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.gauntlet.assertj.GauntletAssertions
                    .assertThatModel(classifier).on(points()).counterfactuals(wachter, reference(3, 3, 3))
                    .changeAtMostFeatures(0))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("counterfactual sparsity")
                    .hasMessageContaining("median number of changed features");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.gauntlet.assertj.GauntletAssertions
                    .assertThatModel(classifier).on(points()).counterfactuals(wachter, reference(3, 3, 3))
                    .haveMedianDistanceAtLeast(100))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("median L1 distance");
        }
    }

    @Test
    void bad_settings_are_rejected_with_the_argument_named() {
        assertThatIllegalArgumentException().isThrownBy(() -> Counterfactuals.wachter().targetProbability(1.5, 0.05))
                .withMessageContaining("targetProbability");
        assertThatIllegalArgumentException().isThrownBy(() -> Counterfactuals.wachter().budget(0, 100))
                .withMessageContaining("lambdaSteps");
        assertThatIllegalArgumentException().isThrownBy(() -> Counterfactuals.prototypeGuided().beta(-1))
                .withMessageContaining("beta");
        assertThatIllegalArgumentException().isThrownBy(() -> FeatureConstraints.observedRange().range(0, 2, 1))
                .withMessageContaining("lower <= upper");
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = classifier(model)) {
            assertThatIllegalArgumentException().isThrownBy(() -> Counterfactuals.wachter().target(5)
                    .explain(classifier, points(), reference(1, 1, 1))).withMessageContaining("target class 5");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Counterfactuals.wachter()
                    .constraints(FeatureConstraints.observedRange().immutable(7))
                    .explain(classifier, points(), reference(1, 1, 1)))
                    .isInstanceOf(dev.gauntlet.data.InvalidDataException.class).hasMessageContaining("immutable feature index 7");
        }
    }
}
