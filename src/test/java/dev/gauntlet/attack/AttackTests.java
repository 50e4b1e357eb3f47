package dev.gauntlet.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;


class AttackTests {

    private static final float[][] POINTS = {{0.2f, -0.4f, 1.0f}, {-1.3f, 0.7f, 0.05f}, {2.0f, 1.0f, -3.0f}};

    /** For a two-class linear model the CE gradient is (1 - p_y)(V_other - V_y): its sign is known by hand. */
    @Test
    void fgsm_on_a_binary_linear_model_moves_by_epsilon_times_the_sign_of_the_weight_difference() {
        try (Model model = LinearModels.binaryLinear();
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2).build();
                NDManager scope = classifier.newScope()) {
            int[] labels = {0, 1, 0};
            NDArray x = scope.create(POINTS);
            float[] linf = Attacks.fgsm().linf(0.1).generate(classifier, x, scope.create(labels),
                    ValueBounds.unbounded(), 0).sub(x).toFloatArray();
            float[] l2 = Attacks.fgsm().l2(0.5).generate(classifier, x, scope.create(labels),
                    ValueBounds.unbounded(), 0).sub(x).toFloatArray();
            for (int i = 0; i < POINTS.length; i++) {
                float[] away = new float[3];
                double norm = 0;
                for (int j = 0; j < 3; j++) {
                    away[j] = LinearModels.V[1 - labels[i]][j] - LinearModels.V[labels[i]][j];
                    norm += away[j] * away[j];
                }
                for (int j = 0; j < 3; j++) {
                    assertThat(linf[i * 3 + j]).isCloseTo(0.1f * Math.signum(away[j]), within(1e-6f));
                    assertThat((double) l2[i * 3 + j]).isCloseTo(0.5 * away[j] / Math.sqrt(norm), within(1e-5));
                }
            }
            assertThat(x.toFloatArray()).as("input unchanged").containsExactly(flatten(POINTS));
        }
    }

    @Test
    void every_attack_keeps_to_its_budget_and_the_bounds_and_leaves_inputs_alone() {
        Dataset data = LinearModels.cube(64, 3, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            for (Attack attack : new Attack[] {
                Attacks.fgsm().linf(0.2), Attacks.fgsm().l2(0.3), Attacks.pgd().linf(0.2).steps(7),
                Attacks.pgd().l2(0.3).steps(7).restarts(3), Attacks.bim().linf(0.1).steps(5),
                Attacks.pgd().linf(0.2).steps(5).targeted(2), Attacks.miFgsm().linf(0.2).steps(5),
                Attacks.deepFool().l2(0.3), Attacks.deepFool().linf(0.2), Attacks.apgd().linf(0.2).steps(10),
                Attacks.apgd().l2(0.3).steps(10).loss(ApgdAttack.Loss.DLR).restarts(2),
                Attacks.square().linf(0.2).queries(40), Attacks.carliniWagner().l2(0.3).searchSteps(2).steps(20),
                Attacks.carliniWagner().searchSteps(2).steps(10),
                Attacks.cascade(Attacks.fgsm().linf(0.2), Attacks.pgd().linf(0.2).steps(5))}) {
                RobustnessReport report = RobustnessEvaluator.evaluate(classifier, data, attack, 3);
                assertThat(report.maxBudgetExcess()).as(attack.name()).isLessThanOrEqualTo(1e-6);
                assertThat(report.maxBoundsExcess()).as(attack.name()).isLessThanOrEqualTo(0);
                assertThat(report.inputsUnchanged()).as(attack.name()).isTrue();
                assertThat(report.robustAccuracy()).as(attack.name()).isLessThanOrEqualTo(report.cleanAccuracy());
            }
        }
    }

    /**
     * For a two-class linear model the boundary is the hyperplane f(x) = z_other − z_y = 0, at
     * L2 distance |f(x)|/‖V_other − V_y‖; DeepFool gets there in one step and overshoots by 2%.
     */
    @Test
    void deepfool_on_a_binary_linear_model_crosses_the_boundary_at_the_closed_form_distance() {
        try (Model model = LinearModels.binaryLinear();
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2).build();
                NDManager scope = classifier.newScope()) {
            int[] labels = new int[POINTS.length];
            for (int i = 0; i < POINTS.length; i++) {
                labels[i] = z(POINTS[i], 1) > z(POINTS[i], 0) ? 1 : 0; // attack the model's own prediction
            }
            NDArray x = scope.create(POINTS);
            NDArray adversarial = Attacks.deepFool().generate(classifier, x, scope.create(labels),
                    ValueBounds.unbounded(), 0);
            float[] distance = Perturbations.perSampleL2(adversarial.sub(x)).toFloatArray();
            int[] predicted = classifier.logits(adversarial).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
                    .toIntArray();
            for (int i = 0; i < POINTS.length; i++) {
                double f = z(POINTS[i], 1 - labels[i]) - z(POINTS[i], labels[i]);
                double w = 0;
                for (int j = 0; j < 3; j++) {
                    w += Math.pow(LinearModels.V[1][j] - LinearModels.V[0][j], 2);
                }
                assertThat((double) distance[i]).isCloseTo(1.02 * (Math.abs(f) + 1e-4) / Math.sqrt(w), within(1e-5));
                assertThat(predicted[i]).isEqualTo(1 - labels[i]);
            }
        }
    }

    @Test
    void the_median_minimal_perturbation_of_deepfool_is_the_median_distance_to_the_boundary() {
        float[][] rows = new float[9][];
        int[] labels = new int[9];
        double[] distances = new double[9];
        double w = 0;
        for (int j = 0; j < 3; j++) {
            w += Math.pow(LinearModels.V[1][j] - LinearModels.V[0][j], 2);
        }
        for (int i = 0; i < 9; i++) {
            rows[i] = new float[] {0.3f * i - 1, (float) Math.sin(i), 0.5f - 0.1f * i};
            labels[i] = z(rows[i], 1) > z(rows[i], 0) ? 1 : 0;
            distances[i] = 1.02 * (Math.abs(z(rows[i], 1) - z(rows[i], 0)) + 1e-4) / Math.sqrt(w);
        }
        java.util.Arrays.sort(distances);
        Dataset data = Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(2).build();
        try (Model model = LinearModels.binaryLinear();
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2).build()) {
            RobustnessReport report = RobustnessEvaluator.evaluate(classifier, data, Attacks.deepFool(), 0);
            assertThat(report.attackSuccessRate()).isEqualTo(1.0);
            assertThat(report.medianMinimalPerturbation()).isCloseTo(distances[4], within(1e-5));
        }
    }

    @Test
    void apgd_checkpoints_follow_croce_and_hein() {
        // p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06): 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99
        assertThat(ApgdAttack.checkpoints(100)).containsExactly(22, 41, 57, 70, 80, 87, 93, 99);
    }

    @Test
    void epsilon_zero_changes_nothing_and_the_same_seed_gives_the_same_result() {
        Dataset data = LinearModels.cube(32, 5, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            NDArray x = data.features(scope, 0, 32);
            NDArray y = data.labels(scope, 0, 32);
            assertThat(Attacks.pgd().linf(0).generate(classifier, x, y, data.bounds(), 1).toFloatArray())
                    .containsExactly(x.toFloatArray());
            PgdAttack pgd = Attacks.pgd().linf(0.3).steps(1).stepSize(0.01); // small step: the random start shows
            float[] a = pgd.generate(classifier, x, y, data.bounds(), 9).toFloatArray();
            assertThat(pgd.generate(classifier, x, y, data.bounds(), 9).toFloatArray()).containsExactly(a);
            assertThat(pgd.generate(classifier, x, y, data.bounds(), 10).toFloatArray()).isNotEqualTo(a);
        }
    }

    @Test
    void pgd_is_at_least_as_strong_as_fgsm_on_the_linear_model() {
        Dataset data = LinearModels.cube(200, 7, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            double fgsm = RobustnessEvaluator.evaluate(classifier, data, Attacks.fgsm().linf(0.15), 1).robustAccuracy();
            double pgd = RobustnessEvaluator.evaluate(classifier, data, Attacks.pgd().linf(0.15).steps(20), 1)
                    .robustAccuracy();
            assertThat(pgd).isLessThanOrEqualTo(fgsm);
        }
    }

    @Test
    void bad_configurations_name_their_argument() {
        assertThatThrownBy(() -> Attacks.pgd().linf(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> Attacks.fgsm().l2(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> Attacks.pgd().steps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> Attacks.pgd().restarts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restarts");
        assertThatThrownBy(() -> Attacks.pgd().stepSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stepSize");
        assertThat(Attacks.pgd().linf(0.1).steps(20).name())
                .isEqualTo("pgd-linf(eps=0.1, steps=20, alpha=0.0125, random-start)");
    }

    @Test
    void robust_accuracy_at_most_passes_for_a_broken_model_and_fails_for_an_unbroken_one() {
        Dataset data = LinearModels.cube(64, 5, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            dev.gauntlet.assertj.GauntletAssertions.assertThatModel(classifier).on(data)
                    .underAttack(Attacks.pgd().linf(1.0).steps(10)).hasRobustAccuracyAtMost(0.05);
            assertThatThrownBy(() -> dev.gauntlet.assertj.GauntletAssertions.assertThatModel(classifier).on(data)
                    .underAttack(Attacks.pgd().linf(0.0).steps(1)).hasRobustAccuracyAtMost(0.5))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("robust accuracy")
                    .hasMessageContaining("1.0");
        }
    }

    private static double z(float[] x, int c) {
        double sum = LinearModels.C[c];
        for (int j = 0; j < 3; j++) {
            sum += LinearModels.V[c][j] * x[j];
        }
        return sum;
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * 3];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * 3, 3);
        }
        return flat;
    }
}
