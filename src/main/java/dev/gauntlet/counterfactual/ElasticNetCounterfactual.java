package dev.gauntlet.counterfactual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.Scopes;
import dev.gauntlet.model.UnsupportedCapabilityException;
import dev.gauntlet.trust.ClassNeighbour;
import dev.gauntlet.trust.TrustScore;

import java.util.Arrays;

/**
 * Elastic-net counterfactual searches solved by FISTA (shrinkage-thresholding with momentum
 * {@code k/(k+3)}), as alibi's {@code CEM} and {@code CounterfactualProto} do:
 * minimise {@code c·hinge + β‖δ‖₁ + ‖δ‖₂² (+ θ‖x′ − proto‖₂²)}, with the hinge on probabilities
 * {@code max(0, p_o − max_{i≠o} p_i + κ)} (pertinent negatives and prototypes) or
 * {@code max(0, max_{i≠o} p_i − p_o + κ)} (pertinent positives), and {@code c} searched by
 * bisection over {@code cSteps} (×10 until a first success). The closest success by
 * {@code β‖δ‖₁ + ‖δ‖₂²} is kept.
 *
 * <ul>
 *   <li>{@link Mode#PROTOTYPE} (Van Looveren &amp; Klaise 2019): the prototype is the
 *       {@code k}-th nearest reference sample of the nearest other class (or of the target),
 *       with classes given by the model's predictions on the reference data, found by the trust
 *       score's class-wise neighbour search — alibi's k-d tree variant without an encoder.</li>
 *   <li>{@link Mode#PERTINENT_NEGATIVE} (Dhurandhar et al. 2018): features may only move away
 *       from their "no information" value (default: the reference median), i.e. be added.</li>
 *   <li>{@link Mode#PERTINENT_POSITIVE}: the result lies between the no-information value and the
 *       sample, feature by feature — the least of the sample the model still gives its class.
 *       alibi evaluates {@code orig − adv}; this equals ours when the no-information value is 0
 *       (images), and stays inside the data's range otherwise.</li>
 * </ul>
 *
 * <p>Defaults are alibi's: κ 0, β 0.1, c 10 over 10 steps, 1,000 iterations, learning rate 0.01
 * decayed by {@code (1 − k/K)^0.5}, gradients clipped to ±1000 (prototypes) or ±100 (CEM), no
 * autoencoder term; θ is 100 for prototypes (alibi's default 0 turns the prototype off; its
 * examples use 100), k 1. No early stop, as in alibi: lower {@link #budget} for large models.
 */
public final class ElasticNetCounterfactual
        extends SearchMethod<ElasticNetCounterfactual, ElasticNetCounterfactual.Settings> {

    /** Which elastic-net search. */
    public enum Mode {
        /** Prototype-guided counterfactuals. */
        PROTOTYPE,
        /** CEM pertinent negatives. */
        PERTINENT_NEGATIVE,
        /** CEM pertinent positives. */
        PERTINENT_POSITIVE
    }

    private final Mode mode;
    private final double kappa;
    private final double beta;
    private final double theta;
    private final double cInit;
    private final int cSteps;
    private final int k;
    private final Double noInformation;

    /** The settings, alibi's defaults; each with-method changes a copy, the constructor validates it. */
    static final class Settings extends SearchSettings<Settings> {
        Mode mode;
        double kappa = 0;
        double beta = 0.1;
        double theta = 0;
        double cInit = 10;
        int k = 1;
        Double noInformation;

        Settings() {
            learningRate = 0.01;
        }
    }

    private ElasticNetCounterfactual(Settings s) {
        super(s);
        require(s.kappa >= 0 && Double.isFinite(s.kappa), "kappa must be finite and >= 0, got " + s.kappa);
        require(s.beta >= 0 && Double.isFinite(s.beta), "beta must be finite and >= 0, got " + s.beta);
        require(s.theta >= 0 && Double.isFinite(s.theta), "theta must be finite and >= 0, got " + s.theta);
        require(s.cInit > 0 && Double.isFinite(s.cInit), "cInit must be finite and > 0, got " + s.cInit);
        require(s.searchSteps >= 1 && s.maxIterations >= 1, "cSteps and maxIterations must be >= 1, got " + s.searchSteps
                + ", " + s.maxIterations);
        require(s.learningRate > 0 && Double.isFinite(s.learningRate), "learningRate must be finite and > 0, got "
                + s.learningRate);
        require(s.k >= 1, "k must be >= 1, got " + s.k);
        require(s.target >= Wachter.ANY_OTHER, "target must be a class index or ANY_OTHER, got " + s.target);
        require(s.noInformation == null || Double.isFinite(s.noInformation), "noInformation must be finite, got "
                + s.noInformation);
        this.mode = s.mode;
        this.kappa = s.kappa;
        this.beta = s.beta;
        this.theta = s.theta;
        this.cInit = s.cInit;
        this.cSteps = s.searchSteps;
        this.k = s.k;
        this.noInformation = s.noInformation;
    }

    static ElasticNetCounterfactual defaults(Mode mode) {
        Settings s = new Settings();
        s.mode = mode;
        s.theta = mode == Mode.PROTOTYPE ? 100 : 0;
        return new ElasticNetCounterfactual(s);
    }

    @Override
    ElasticNetCounterfactual create(Settings changed) {
        return new ElasticNetCounterfactual(changed);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Sets κ, the confidence margin of the hinge.
     *
     * @param value κ, the confidence margin of the hinge
     * @return a copy
     */
    public ElasticNetCounterfactual kappa(double value) {
        return with(s -> s.kappa = value);
    }

    /**
     * Sets β, the L1 weight (the shrinkage threshold).
     *
     * @param value β, the L1 weight (the shrinkage threshold)
     * @return a copy
     */
    public ElasticNetCounterfactual beta(double value) {
        return with(s -> s.beta = value);
    }

    /**
     * Sets θ, the prototype term's weight (prototype mode).
     *
     * @param value θ, the prototype term's weight (prototype mode)
     * @return a copy
     */
    public ElasticNetCounterfactual theta(double value) {
        return with(s -> s.theta = value);
    }

    /**
     * Sets the initial weight of the hinge.
     *
     * @param c the initial weight of the hinge
     * @return a copy
     */
    public ElasticNetCounterfactual cInit(double c) {
        return with(s -> s.cInit = c);
    }

    /**
     * Sets which nearest neighbour is the prototype, from 1.
     *
     * @param neighbour which nearest neighbour is the prototype, from 1
     * @return a copy
     */
    public ElasticNetCounterfactual k(int neighbour) {
        return with(s -> s.k = neighbour);
    }

    /**
     * Sets the "no information" value of every feature (e.g. 0 for images).
     *
     * @param value the "no information" value of every feature (e.g. 0 for images)
     * @return a copy
     */
    public ElasticNetCounterfactual noInformation(double value) {
        return with(s -> s.noInformation = value);
    }

    @Override
    public String name() {
        String base = switch (mode) {
            case PROTOTYPE -> "prototype-guided(theta=" + theta + ", k=" + k + ", target="
                    + (target == Wachter.ANY_OTHER ? "other" : target) + ", ";
            case PERTINENT_NEGATIVE -> "cem-pn(";
            case PERTINENT_POSITIVE -> "cem-pp(";
        };
        return base + "kappa=" + kappa + ", beta=" + beta + ", c=" + cInit + "x" + cSteps + ", iterations="
                + maxIterations + ", " + constraints + ")";
    }

    @Override
    public CounterfactualReport explain(Classifier classifier, Dataset samples, Dataset reference) {
        UnsupportedCapabilityException.requireInputGradients(classifier, name());
        SearchSpace space = new SearchSpace(classifier, samples, reference, constraints, target);
        float[] noInfo = noInformationValues(reference);
        TrustScore prototypes = mode == Mode.PROTOTYPE ? prototypeSearch(classifier, reference) : null;
        return space.run(name(), samples, (x, original) -> new Run(space, x, original, noInfo, prototypes).search());
    }

    private float[] noInformationValues(Dataset reference) {
        float[] values = new float[reference.featureCount()];
        if (noInformation != null) {
            Arrays.fill(values, noInformation.floatValue());
            return values;
        }
        double[] column = new double[reference.size()];
        for (int j = 0; j < values.length; j++) {
            for (int i = 0; i < column.length; i++) {
                column[i] = reference.features(i)[j];
            }
            Arrays.sort(column);
            int middle = column.length / 2;
            values[j] = (float) (column.length % 2 == 1 ? column[middle] : (column[middle - 1] + column[middle]) / 2);
        }
        return values;
    }

    /** Class-wise neighbours over the reference data, classes as the model predicts them (as alibi). */
    private static TrustScore prototypeSearch(Classifier classifier, Dataset reference) {
        int[] predicted = classifier.predict(reference);
        float[] flat = new float[reference.size() * reference.featureCount()];
        for (int i = 0; i < reference.size(); i++) {
            System.arraycopy(reference.features(i), 0, flat, i * reference.featureCount(), reference.featureCount());
        }
        Dataset relabelled = Dataset.builder().setFeatures(flat, reference.sampleShape().getShape())
                .setLabels(predicted).setNumClasses(classifier.numClasses()).optBounds(reference.bounds())
                .optName(reference.name() + " (predicted classes)").build();
        return TrustScore.fit(relabelled);
    }

    /** One batch's search. */
    private final class Run extends SearchSpace.BatchState {
        private final NDArray center;
        private final NDArray noInfo;
        private final NDArray sampleFromNoInfo;
        private final NDArray positiveLow;
        private final NDArray positiveHigh;
        private final NDArray prototype;
        private final float clip;
        private final float[] centers;

        Run(SearchSpace space, NDArray x, int[] original, float[] noInfoValues, TrustScore prototypes) {
            super(space, x, original);
            NDManager m = x.getManager();
            this.noInfo = space.perFeature(m, noInfoValues);
            this.sampleFromNoInfo = x.sub(noInfo).abs();
            this.positiveLow = x.minimum(noInfo);
            this.positiveHigh = x.maximum(noInfo);
            this.center = mode == Mode.PERTINENT_POSITIVE
                    ? SearchSpace.constrain(noInfo.broadcast(x.getShape()), x, lower, upper, mutable) : x;
            this.prototype = prototypes == null ? null : prototypes(prototypes, m);
            this.clip = mode == Mode.PROTOTYPE ? 1000f : 100f;
            this.centers = center.toFloatArray();
        }

        private NDArray prototypes(TrustScore search, NDManager m) {
            ClassNeighbour[][] nearest = search.nearestPerClass(SearchSpace.rows(x), k);
            int width = nearest[0][0].point().length;
            float[] flat = new float[n * width];
            for (int i = 0; i < n; i++) {
                ClassNeighbour chosen = null;
                for (ClassNeighbour candidate : nearest[i]) {
                    boolean allowed = target == Wachter.ANY_OTHER ? candidate.classIndex() != original[i]
                            : candidate.classIndex() == target;
                    if (allowed && (chosen == null || candidate.distance() < chosen.distance())) {
                        chosen = candidate;
                    }
                }
                System.arraycopy(chosen.point(), 0, flat, i * width, width);
            }
            return m.create(flat, x.getShape());
        }

        /** The hinge on probabilities, weighted per sample by c. */
        private GradientLoss hinge(NDArray c) {
            float sign = mode == Mode.PERTINENT_POSITIVE ? -1f : 1f;
            return (logits, y) -> {
                NDArray p = logits.softmax(1);
                NDArray oneHot = y.oneHot(Math.toIntExact(logits.getShape().get(1)));
                NDArray own = p.mul(oneHot).sum(new int[] {1});
                NDArray other = p.sub(oneHot.mul(10_000f)).max(new int[] {1});
                return own.sub(other).mul(sign).add((float) kappa).maximum(0f).mul(c);
            };
        }

        /** Keeps the mode's feasible set: added features only (PN), between no-info and x (PP). */
        private NDArray project(NDArray v) {
            NDArray constrained = SearchSpace.constrain(v, x, lower, upper, mutable);
            return switch (mode) {
                case PROTOTYPE -> constrained;
                case PERTINENT_NEGATIVE -> {
                    NDArray away = constrained.sub(noInfo).abs().gt(sampleFromNoInfo).toType(
                            DataType.FLOAT32, false);
                    yield constrained.sub(x).mul(away).add(x);
                }
                case PERTINENT_POSITIVE -> constrained.maximum(positiveLow).minimum(positiveHigh);
            };
        }

        SearchSpace.BatchResult search() {
            double[] c = new double[n];
            double[] lb = new double[n];
            double[] ub = new double[n];
            Arrays.fill(c, cInit);
            Arrays.fill(ub, 1e10);
            NDManager scope = x.getManager();
            for (int cStep = 0; cStep < cSteps; cStep++) {
                NDArray weights = scope.create(toFloats(c));
                GradientLoss hinge = hinge(weights);
                boolean[] found = new boolean[n];
                NDManager current = scope.newSubManager();
                NDArray adv = center.duplicate();
                adv.attach(current);
                NDArray advS = adv;
                try {
                    for (int iteration = 0; iteration < maxIterations; iteration++) {
                        NDManager next = scope.newSubManager();
                        float rate = (float) (learningRate * Math.sqrt(1 - (double) iteration / maxIterations));
                        NDArray gradient = classifier.inputGradient(advS, labels, hinge)
                                .add(advS.sub(center).mul(2f));
                        if (prototype != null) {
                            gradient = gradient.add(advS.sub(prototype).mul((float) (2 * theta)));
                        }
                        gradient = gradient.clip(-clip, clip).mul(mutable);
                        NDArray deviation = advS.sub(gradient.mul(rate)).sub(center);
                        NDArray shrunk = deviation.sign().mul(deviation.abs().sub((float) beta).maximum(0f)).add(center);
                        NDArray updated = project(shrunk);
                        float zt = (float) iteration / (iteration + 3);
                        NDArray updatedS = project(updated.add(updated.sub(adv).mul(zt)));
                        record(updated, found);
                        current = Scopes.advance(current, next, updated, updatedS);
                        adv = updated;
                        advS = updatedS;
                    }
                } finally {
                    current.close();
                    weights.close();
                }
                for (int i = 0; i < n; i++) {
                    if (found[i]) {
                        ub[i] = Math.min(ub[i], c[i]);
                        c[i] = ub[i] < 1e9 ? (lb[i] + ub[i]) / 2 : c[i];
                    } else {
                        lb[i] = Math.max(lb[i], c[i]);
                        c[i] = ub[i] < 1e9 ? (lb[i] + ub[i]) / 2 : c[i] * 10;
                    }
                }
            }
            boolean[] valid = new boolean[n];
            for (int i = 0; i < n; i++) {
                valid[i] = best[i] != null;
            }
            return new SearchSpace.BatchResult(best, valid);
        }

        private void record(NDArray candidate, boolean[] found) {
            int[] predicted = classifier.logits(candidate).argMax(1).toType(DataType.INT32, false)
                    .toIntArray();
            float[][] rows = null;
            for (int i = 0; i < n; i++) {
                boolean success = switch (mode) {
                    case PROTOTYPE -> predicted[i] != original[i] && (target == Wachter.ANY_OTHER || predicted[i] == target);
                    case PERTINENT_NEGATIVE -> predicted[i] != original[i];
                    case PERTINENT_POSITIVE -> predicted[i] == original[i];
                };
                if (!success) {
                    continue;
                }
                found[i] = true;
                if (rows == null) {
                    rows = SearchSpace.rows(candidate);
                }
                int width = rows[i].length;
                double l1 = 0;
                double l2 = 0;
                for (int j = 0; j < width; j++) {
                    double d = (double) rows[i][j] - centers[i * width + j];
                    l1 += Math.abs(d);
                    l2 += d * d;
                }
                double elasticNet = beta * l1 + l2;
                if (elasticNet < bestDistance[i]) {
                    bestDistance[i] = elasticNet;
                    best[i] = rows[i];
                }
            }
        }
    }

    private static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }
}
