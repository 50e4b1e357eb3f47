package dev.gauntlet.certify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;
import dev.gauntlet.model.UnsupportedCapabilityException;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * IBP and CROWN against expectations derived without them: closed-form robust margins of linear
 * models (also behind batch norm), thousands of sampled points of the ball on a network with every
 * supported layer kind, a brute-force grid on a 2-D network, and a PGD attack on a trained MLP.
 */
class CertificationTests {

    private static final BoundMethod[] METHODS = BoundMethod.values();

    /**
     * For z = W x + b over the box [max(x − ε, 0), min(x + ε, 1)] the smallest margin
     * z_y − z_c is b_y − b_c + Σ_j min(d_j lo_j, d_j hi_j) with d = w_y − w_c; without bounds it
     * is the margin minus ε‖d‖₁. A single affine layer is bounded exactly by both methods, so
     * each certifies exactly the samples whose closed-form minimum is positive.
     */
    @Test
    void on_a_linear_model_both_methods_give_the_closed_form_worst_margin_and_certify_exactly_those_samples() {
        Dataset cube = LinearModels.cube(60, 7, 0);
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model)) {
            Verifier verifier = Verifier.of(classifier);
            for (double epsilon : new double[] {0.02, 0.05, 0.1}) {
                for (ValueBounds bounds : new ValueBounds[] {ValueBounds.unit(), ValueBounds.unbounded()}) {
                    int decided = 0;
                    for (int i = 0; i < cube.size(); i++) {
                        float[] x = cube.features(i);
                        int y = cube.label(i);
                        for (BoundMethod method : METHODS) {
                            double[] bound = verifier.marginLowerBounds(x, y, epsilon, bounds, method);
                            for (int c = 0; c < 4; c++) {
                                if (c != y) {
                                    double exact = worstLinearMargin(LinearModels.W, LinearModels.B, x, y, c, epsilon,
                                            bounds, null);
                                    assertThat(bound[c]).as("%s margin %d-%d at eps %s", method, y, c, epsilon)
                                            .isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-6));
                                }
                            }
                        }
                    }
                    // the bracket's verdicts on the unit cube follow the closed form too
                    if (bounds.equals(ValueBounds.unit())) {
                        CertificationReport report = CertificationEvaluator.certify(classifier, cube, epsilon,
                                BoundMethod.CROWN);
                        for (int i = 0; i < cube.size(); i++) {
                            double worst = Double.POSITIVE_INFINITY;
                            for (int c = 0; c < 4; c++) {
                                if (c != cube.label(i)) {
                                    worst = Math.min(worst, worstLinearMargin(LinearModels.W, LinearModels.B,
                                            cube.features(i), cube.label(i), c, epsilon, bounds, null));
                                }
                            }
                            if (Math.abs(worst) > 1e-4) {
                                decided++;
                                assertThat(report.verdict(i)).as("sample %d, worst margin %s", i, worst)
                                        .isEqualTo(worst > 0 ? Verdict.CERTIFIED : Verdict.OPEN);
                            }
                        }
                        assertThat(decided).isGreaterThan(50);
                    }
                }
            }
        }
    }

    /** Batch norm in inference form is the affine map a_j x_j + c_j in front of the linear layer. */
    @Test
    void batch_norm_is_bounded_as_its_inference_affine_map() {
        Dataset cube = LinearModels.cube(20, 9, 0);
        double[] scale = new double[3];
        for (int j = 0; j < 3; j++) {
            scale[j] = LinearModels.BN_GAMMA[j] / Math.sqrt(LinearModels.BN_VAR[j] + LinearModels.BN_EPSILON);
        }
        try (Model model = LinearModels.batchNormLinear(); Classifier classifier = LinearModels.classifier(model)) {
            Verifier verifier = Verifier.of(classifier);
            for (int i = 0; i < cube.size(); i++) {
                float[] x = cube.features(i);
                for (BoundMethod method : METHODS) {
                    double[] bound = verifier.marginLowerBounds(x, 0, 0.07, ValueBounds.unit(), method);
                    for (int c = 1; c < 4; c++) {
                        double exact = worstLinearMargin(LinearModels.W, LinearModels.B, x, 0, c, 0.07,
                                ValueBounds.unit(), scale);
                        assertThat(bound[c]).as("%s margin 0-%d", method, c).isCloseTo(exact,
                                org.assertj.core.data.Offset.offset(1e-5));
                    }
                }
            }
        }
    }

    /**
     * Soundness: on a network with convolution, batch norm, ReLU, max and average pooling, flatten
     * and linear layers (seeded weights), every logit of 3,000 points of each ball — its 2⁶⁴
     * corners sampled, and uniform points — lies within both methods' bounds, and CROWN's bounds
     * are never looser than IBP's (and tighter somewhere).
     */
    @Test
    void bounds_contain_every_sampled_output_and_crown_is_never_looser_than_ibp() {
        Random random = new Random(3);
        try (Model model = CertifyModels.cnn(5);
                Classifier classifier = CertifyModels.classifier(model, new Shape(1, 8, 8), 3)) {
            Verifier verifier = Verifier.of(classifier);
            assertThat(verifier.layers()).hasSize(10);
            double widthIbp = 0;
            double widthCrown = 0;
            for (int s = 0; s < 4; s++) {
                float[] x = new float[64];
                for (int j = 0; j < 64; j++) {
                    x[j] = random.nextFloat();
                }
                double epsilon = 0.03;
                Verifier.OutputBounds ibp = verifier.logitBounds(x, epsilon, ValueBounds.unit(), BoundMethod.IBP);
                Verifier.OutputBounds crown = verifier.logitBounds(x, epsilon, ValueBounds.unit(), BoundMethod.CROWN);
                for (int c = 0; c < 3; c++) {
                    assertThat(crown.lower()[c]).isGreaterThanOrEqualTo(ibp.lower()[c]);
                    assertThat(crown.upper()[c]).isLessThanOrEqualTo(ibp.upper()[c]);
                    widthIbp += ibp.upper()[c] - ibp.lower()[c];
                    widthCrown += crown.upper()[c] - crown.lower()[c];
                }
                for (int y = 0; y < 3; y++) {
                    double[] marginIbp = verifier.marginLowerBounds(x, y, epsilon, ValueBounds.unit(), BoundMethod.IBP);
                    double[] marginCrown = verifier.marginLowerBounds(x, y, epsilon, ValueBounds.unit(),
                            BoundMethod.CROWN);
                    for (int c = 0; c < 3; c++) {
                        assertThat(marginCrown[c]).isGreaterThanOrEqualTo(marginIbp[c]);
                    }
                    // both from one propagation: the same numbers as the separate calls
                    Verifier.Bounds both = verifier.bounds(x, y, epsilon, ValueBounds.unit(), BoundMethod.CROWN);
                    assertThat(both.marginLowerBounds()).containsExactly(marginCrown);
                    assertThat(both.logits().lower()).containsExactly(crown.lower());
                    assertThat(both.logits().upper()).containsExactly(crown.upper());
                    assertThat(both.worstMargin()).isEqualTo(java.util.Arrays.stream(marginCrown).min().getAsDouble());
                }
                float[][] logits = sampleBall(classifier, x, epsilon, 3000, random);
                double[] smallestMargin = new double[9];
                java.util.Arrays.fill(smallestMargin, Double.POSITIVE_INFINITY);
                for (float[] z : logits) {
                    for (int c = 0; c < 3; c++) {
                        assertThat((double) z[c]).isBetween(crown.lower()[c] - 1e-4, crown.upper()[c] + 1e-4);
                        assertThat((double) z[c]).isBetween(ibp.lower()[c] - 1e-4, ibp.upper()[c] + 1e-4);
                        for (int y = 0; y < 3; y++) {
                            smallestMargin[y * 3 + c] = Math.min(smallestMargin[y * 3 + c], z[y] - z[c]);
                        }
                    }
                }
                for (int y = 0; y < 3; y++) {
                    double[] margin = verifier.marginLowerBounds(x, y, epsilon, ValueBounds.unit(), BoundMethod.CROWN);
                    for (int c = 0; c < 3; c++) {
                        if (c != y) {
                            assertThat(margin[c]).isLessThanOrEqualTo(smallestMargin[y * 3 + c] + 1e-4);
                        }
                    }
                }
            }
            System.out.printf("cnn logit bound width, 4 balls of eps 0.03: IBP %.4f, CROWN %.4f%n", widthIbp,
                    widthCrown);
            assertThat(widthCrown).isLessThan(widthIbp);
        }
    }

    /**
     * A 2-D network is exactly enumerable at grid resolution: the smallest margin over a
     * 201 × 201 grid of the box is an upper bound on the true minimum, so every sound lower bound
     * lies below it; CROWN is at least as tight as IBP and, on this shallow network, within a
     * small gap of the grid.
     */
    @Test
    void on_a_two_dimensional_network_the_bounds_lie_below_the_brute_force_minimum_over_the_box() {
        try (Model model = CertifyModels.mlp(2, 8, 2, 21); Classifier classifier = CertifyModels.classifier(model,
                new Shape(2), 2)) {
            Verifier verifier = Verifier.of(classifier);
            double gapIbp = 0;
            double gapCrown = 0;
            float[][] centres = {{0.3f, 0.6f}, {0.5f, 0.5f}, {0.8f, 0.2f}, {0.1f, 0.9f}};
            for (float[] x : centres) {
                double epsilon = 0.1;
                float[] grid = new float[201 * 201 * 2];
                for (int a = 0; a <= 200; a++) {
                    for (int b = 0; b <= 200; b++) {
                        int k = (a * 201 + b) * 2;
                        grid[k] = (float) Math.max(0, Math.min(1, x[0] - epsilon + 2 * epsilon * a / 200));
                        grid[k + 1] = (float) Math.max(0, Math.min(1, x[1] - epsilon + 2 * epsilon * b / 200));
                    }
                }
                float[] z;
                try (NDManager scope = classifier.newScope()) {
                    z = classifier.logits(scope.create(grid, new Shape(201 * 201, 2))).toFloatArray();
                }
                double gridMin = Double.POSITIVE_INFINITY;
                for (int k = 0; k < 201 * 201; k++) {
                    gridMin = Math.min(gridMin, z[2 * k] - z[2 * k + 1]);
                }
                double ibp = verifier.marginLowerBounds(x, 0, epsilon, ValueBounds.unit(), BoundMethod.IBP)[1];
                double crown = verifier.marginLowerBounds(x, 0, epsilon, ValueBounds.unit(), BoundMethod.CROWN)[1];
                assertThat(crown).isGreaterThanOrEqualTo(ibp).isLessThanOrEqualTo(gridMin + 1e-5);
                gapIbp += gridMin - ibp;
                gapCrown += gridMin - crown;
            }
            System.out.printf("2-D net, grid minimum minus bound, summed over 4 boxes: IBP %.4f, CROWN %.4f%n", gapIbp,
                    gapCrown);
            assertThat(gapCrown).isLessThan(gapIbp);
        }
    }

    /**
     * On a trained MLP, the bracket is sound (no sample certified that PGD with restarts breaks;
     * certified ≤ the attack's robust accuracy, which equals RobustnessEvaluator's) and CROWN
     * certifies at least as many samples as IBP.
     */
    @Test
    void on_a_trained_mlp_certified_never_exceeds_what_pgd_leaves_and_crown_certifies_at_least_ibp() {
        Dataset train = CertifyModels.blobs(300, 1);
        Dataset test = CertifyModels.blobs(90, 2);
        try (Model model = CertifyModels.trainedMlp(train);
                Classifier classifier = CertifyModels.classifier(model, new Shape(2), 3)) {
            assertThat(classifier.accuracy(test)).isGreaterThan(0.85);
            StringBuilder table = new StringBuilder();
            for (double epsilon : new double[] {0.01, 0.03, 0.06}) {
                var pgd = Attacks.pgd().linf(epsilon).steps(20).restarts(2);
                CertificationReport crown = CertificationEvaluator.evaluate(classifier, test, pgd, BoundMethod.CROWN, 4);
                CertificationReport ibp = CertificationEvaluator.evaluate(classifier, test, pgd, BoundMethod.IBP, 4);
                double attacked = crown.robustAccuracyUpperBound();
                if (epsilon == 0.03) {
                    assertThat(RobustnessEvaluator.evaluate(classifier, test, pgd, 4).robustAccuracy()).isEqualTo(attacked);
                }
                for (CertificationReport r : new CertificationReport[] {crown, ibp}) {
                    assertThat(r.contradictions()).isZero();
                    assertThat(r.robustAccuracyUpperBound()).isEqualTo(attacked);
                    assertThat(r.certifiedAccuracy()).isLessThanOrEqualTo(r.robustAccuracyUpperBound());
                    assertThat(r.certifiedAccuracy() + r.attackedFraction() + r.openFraction()).isCloseTo(1,
                            org.assertj.core.data.Offset.offset(1e-12));
                }
                assertThat(crown.certifiedAccuracy()).isGreaterThanOrEqualTo(ibp.certifiedAccuracy());
                double[] mc = crown.marginLowerBounds();
                double[] mi = ibp.marginLowerBounds();
                for (int i = 0; i < mc.length; i++) {
                    assertThat(mc[i]).isGreaterThanOrEqualTo(mi[i]);
                }
                table.append(String.format("eps %.2f: clean %.3f | IBP certified %.3f open %.3f | CROWN certified %.3f"
                        + " open %.3f | PGD upper %.3f%n", epsilon, crown.cleanAccuracy(), ibp.certifiedAccuracy(),
                        ibp.openFraction(), crown.certifiedAccuracy(), crown.openFraction(), attacked));
            }
            System.out.print(table);
        }
    }

    @Test
    void a_model_without_a_layer_view_or_with_an_unsupported_layer_is_refused_by_type() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> Verifier.of(classifier)).isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("certified bounds (IBP, CROWN) needs the model's layer view")
                    .hasMessageContaining("SequentialBlock");
            assertThatThrownBy(() -> CertificationEvaluator.certify(classifier, LinearModels.cube(3, 1, 0), 0.1,
                    BoundMethod.IBP)).isInstanceOf(UnsupportedCapabilityException.class);
        }
        try (Model model = Model.newInstance("tanh")) {
            SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(4).build())
                    .add(Activation.tanhBlock()).add(Linear.builder().setUnits(2).build());
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            try (Classifier classifier = CertifyModels.classifier(model, new Shape(3), 2)) {
                assertThatThrownBy(() -> Verifier.of(classifier)).isInstanceOf(UnsupportedCapabilityException.class)
                        .hasMessageContaining("layer 1 (02LambdaBlock").hasMessageContaining("randomized smoothing");
            }
        }
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> CertificationEvaluator.evaluate(classifier, LinearModels.cube(3, 1, 0),
                    Attacks.pgd().l2(0.5), BoundMethod.CROWN, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("L∞");
        }
    }

    /** z_y − z_c minimised over the box; {@code scale} (per feature) models a batch norm in front. */
    static double worstLinearMargin(float[][] w, float[] b, float[] x, int y, int c, double epsilon, ValueBounds bounds,
            double[] scale) {
        double total = b[y] - b[c];
        for (int j = 0; j < x.length; j++) {
            double lo = Math.max(x[j] - epsilon, bounds.lower());
            double hi = Math.min(x[j] + epsilon, bounds.upper());
            double d = w[y][j] - w[c][j];
            if (scale != null) {
                // bn(v) = a (v − mean) + beta, so d · bn(v) = d a v + d (beta − a mean)
                double a = scale[j];
                total += d * (LinearModels.BN_BETA[j] - a * LinearModels.BN_MEAN[j]);
                d *= a;
            }
            total += Math.min(d * lo, d * hi);
        }
        return total;
    }

    /** Logits at {@code count} points of the ball ∩ [0, 1]: half random corners, half uniform. */
    private static float[][] sampleBall(Classifier classifier, float[] x, double epsilon, int count, Random random) {
        float[] points = new float[count * x.length];
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < x.length; j++) {
                double offset = k % 2 == 0 ? (random.nextBoolean() ? epsilon : -epsilon)
                        : epsilon * (2 * random.nextDouble() - 1);
                points[k * x.length + j] = (float) Math.max(0, Math.min(1, x[j] + offset));
            }
        }
        float[] z;
        try (NDManager scope = classifier.newScope()) {
            z = classifier.logits(scope.create(points, new Shape(count).addAll(classifier.inputShape()))).toFloatArray();
        }
        int classes = classifier.numClasses();
        float[][] rows = new float[count][];
        for (int k = 0; k < count; k++) {
            rows[k] = java.util.Arrays.copyOfRange(z, k * classes, (k + 1) * classes);
        }
        return rows;
    }
}
