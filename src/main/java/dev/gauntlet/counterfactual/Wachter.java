package dev.gauntlet.counterfactual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.Scopes;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.Arrays;
import java.util.Objects;

/**
 * Wachter et al. (2017) counterfactuals: minimise {@code (f_t(x′) − p_t)² + λ·d(x′, x)}, with λ
 * searched as alibi's {@code Counterfactual} does — a sweep over ten orders of magnitude down
 * from {@code lambdaInit}, then bisection between the largest λ that found nothing and the second
 * that found something; a counterfactual is valid when {@code |f_t(x′) − p_t| ≤ tolerance}, and the
 * closest valid one seen is kept.
 *
 * <p>Defaults are alibi's: target "any other class", p_t = 1, tolerance 0.05, λ_init 0.1, 10 λ
 * steps, 1,000 Adam steps of learning rate 0.1 decayed linearly to 0, early stop after 50 steps
 * that all (or none) were valid; distance L1. {@link Distance#MAD_L1} is Wachter's own proposal.
 *
 * <p>Deliberate differences, all batched per sample: for the L1 distances the Adam step is taken
 * on the prediction term and the distance term is applied by its proximal map (soft-thresholding
 * with Adam's per-feature step), which has the same minimisers as alibi's Adam on the L1
 * subgradient but leaves unneeded features exactly unchanged, so the L0 count is exact. When the
 * sweep finds counterfactuals at fewer than two orders (where alibi raises an error), the lower
 * bound is one order below the one λ that found any, or 0 if none did (then failures divide λ
 * by ten). Adam's ε is relative to each sample's gradient scale (1e-7 of its largest root second
 * moment), so that a saturated model, whose probability gradients can be 1e-15, still moves. The sweep's upper bound is only a first
 * guess (a tenth of the iterations often cannot leave a saturated region at that λ): until a
 * bisection step fails, a success raises the upper bound tenfold above it. A bisection step counts as a success when
 * its search ends on a valid point (alibi: when at least five of its steps were valid, which also
 * counts a path that only crossed the valid region on its way to an invalid minimum and then
 * never tries a smaller λ), and it stops early after 50 steps that were all invalid, or all valid
 * without bringing the closest counterfactual nearer.
 */
public final class Wachter extends SearchMethod<Wachter, Wachter.Settings> {

    /** The target meaning "any class but the original". */
    public static final int ANY_OTHER = -1;

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-7;

    private final Distance distance;
    private final double targetProbability;
    private final double tolerance;
    private final double lambdaInit;
    private final int lambdaSteps;
    private final int earlyStop;

    /** The settings, alibi's defaults; each with-method changes a copy, the constructor validates it. */
    static final class Settings extends SearchSettings<Settings> {
        Distance distance = Distance.L1;
        double targetProbability = 1.0;
        double tolerance = 0.05;
        double lambdaInit = 0.1;
        int earlyStop = 50;

        Settings() {
            learningRate = 0.1;
        }
    }

    /** Wachter's search with alibi's defaults (L1, any other class, p 1 ± 0.05). */
    Wachter() {
        this(new Settings());
    }

    private Wachter(Settings s) {
        super(s);
        this.distance = Objects.requireNonNull(s.distance, "distance");
        if (s.target < ANY_OTHER) {
            throw new IllegalArgumentException("target must be a class index or ANY_OTHER, got " + s.target);
        }
        if (!(s.targetProbability > 0 && s.targetProbability <= 1)) {
            throw new IllegalArgumentException("targetProbability must be in (0, 1], got " + s.targetProbability);
        }
        if (!(s.tolerance >= 0 && s.tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + s.tolerance);
        }
        if (!(s.lambdaInit > 0) || Double.isInfinite(s.lambdaInit)) {
            throw new IllegalArgumentException("lambdaInit must be finite and > 0, got " + s.lambdaInit);
        }
        if (s.searchSteps < 1 || s.maxIterations < 10 || s.earlyStop < 1) {
            throw new IllegalArgumentException("lambdaSteps >= 1, maxIterations >= 10 and earlyStop >= 1 are needed,"
                    + " got " + s.searchSteps + ", " + s.maxIterations + ", " + s.earlyStop);
        }
        if (!(s.learningRate > 0) || Double.isInfinite(s.learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + s.learningRate);
        }
        this.targetProbability = s.targetProbability;
        this.tolerance = s.tolerance;
        this.lambdaInit = s.lambdaInit;
        this.lambdaSteps = s.searchSteps;
        this.earlyStop = s.earlyStop;
    }

    @Override
    Wachter create(Settings changed) {
        return new Wachter(changed);
    }

    /**
     * Sets the distance term.
     *
     * @param d the distance term
     * @return a copy
     */
    public Wachter distance(Distance d) {
        return with(s -> s.distance = d);
    }

    /**
     * Sets the probability the target class must reach, and the tolerance around it.
     *
     * @param probability p_t in (0, 1]
     * @param tol the validity tolerance in [0, 1)
     * @return a copy
     */
    public Wachter targetProbability(double probability, double tol) {
        return with(s -> {
            s.targetProbability = probability;
            s.tolerance = tol;
        });
    }

    /**
     * Sets the largest λ of the sweep.
     *
     * @param lambda the largest λ of the sweep
     * @return a copy
     */
    public Wachter lambdaInit(double lambda) {
        return with(s -> s.lambdaInit = lambda);
    }

    @Override
    public Distance distance() {
        return distance;
    }

    @Override
    public String name() {
        return "wachter(distance=" + distance + ", target=" + (target == ANY_OTHER ? "other" : target) + ", p="
                + targetProbability + "±" + tolerance + ", " + constraints + ")";
    }

    @Override
    public CounterfactualReport explain(Classifier classifier, Dataset samples, Dataset reference) {
        UnsupportedCapabilityException.requireInputGradients(classifier, name());
        SearchSpace space = new SearchSpace(classifier, samples, reference, constraints, target);
        return space.run(name(), samples, (x, original) -> new Run(space, x, original).search());
    }

    /** One batch's search state. */
    private final class Run extends SearchSpace.BatchState {
        private final NDArray targetMask;
        private final NDArray scale;
        private final GradientLoss predictionLoss;
        private final float[] flatInputs;

        Run(SearchSpace space, NDArray x, int[] original) {
            super(space, x, original);
            NDManager m = x.getManager();
            int classes = classifier.numClasses();
            // 1 on the classes the search may end in: the target, or every class but the original
            this.targetMask = target == ANY_OTHER ? labels.oneHot(classes).neg().add(1f)
                    : m.full(new Shape(n), target, DataType.INT32).oneHot(classes);
            float[] scales = distance == Distance.MAD_L1 ? space.mad : ones(space.mad.length);
            this.scale = space.perFeature(m, scales);
            float p = (float) targetProbability;
            this.predictionLoss = (logits, unused) -> targetProbability(logits).sub(p).square();
            this.flatInputs = x.toFloatArray();
        }

        private NDArray targetProbability(NDArray logits) {
            return logits.softmax(1).mul(targetMask).max(new int[] {1});
        }

        SearchSpace.BatchResult search() {
            // the sweep: ten orders of magnitude, a tenth of the iterations each, no early stop
            double[] lambdas = new double[10];
            int[][] count = new int[10][n];
            NDManager scope = x.getManager();
            NDManager current = scope.newSubManager();
            NDArray cf = x.duplicate();
            cf.attach(current);
            try {
                for (int order = 0; order < 10; order++) {
                    lambdas[order] = lambdaInit / Math.pow(10, order);
                    double[] lambda = new double[n];
                    Arrays.fill(lambda, lambdas[order]);
                    Inner inner = new Inner(cf, current, lambda, false);
                    for (int step = 0; step < maxIterations / 10; step++) {
                        boolean[] valid = inner.step(step);
                        for (int i = 0; i < n; i++) {
                            count[order][i] += valid[i] ? 1 : 0;
                        }
                    }
                    cf = inner.cf;
                    current = inner.manager;
                }
                double[] lb = new double[n];
                double[] ub = new double[n];
                double[] lambda = new double[n];
                for (int i = 0; i < n; i++) {
                    int firstFound = -1;
                    int secondFound = -1;
                    int lastNone = -1;
                    for (int order = 0; order < 10; order++) {
                        if (count[order][i] > 0) {
                            secondFound = firstFound >= 0 && secondFound < 0 ? order : secondFound;
                            firstFound = firstFound < 0 ? order : firstFound;
                        } else {
                            lastNone = order;
                        }
                    }
                    lb[i] = secondFound >= 0 ? lambdas[secondFound] : firstFound >= 0 ? lambdas[firstFound] / 10 : 0;
                    ub[i] = lambdas[Math.max(lastNone, 0)];
                    lambda[i] = (lb[i] + ub[i]) / 2;
                }
                boolean[] upperConfirmed = new boolean[n];
                // bisection, restarting from the sample and carrying the point over between λ steps
                NDArray restart = x.duplicate();
                restart.attach(current);
                cf.close();
                cf = restart;
                for (int lambdaStep = 0; lambdaStep < lambdaSteps; lambdaStep++) {
                    Inner inner = new Inner(cf, current, lambda, true);
                    boolean[] endedValid = new boolean[n];
                    int[] foundRun = new int[n];
                    int[] missRun = new int[n];
                    for (int step = 0; step < maxIterations && inner.anyActive(); step++) {
                        boolean[] valid = inner.step(step);
                        for (int i = 0; i < n; i++) {
                            if (!inner.active[i]) {
                                continue;
                            }
                            endedValid[i] = valid[i];
                            if (valid[i]) {
                                foundRun[i] = inner.improved[i] ? 0 : foundRun[i] + 1;
                                missRun[i] = 0;
                            } else {
                                foundRun[i] = 0;
                                missRun[i]++;
                            }
                            if (foundRun[i] >= earlyStop || missRun[i] >= earlyStop) {
                                inner.active[i] = false;
                            }
                        }
                    }
                    cf = inner.cf;
                    current = inner.manager;
                    for (int i = 0; i < n; i++) {
                        if (endedValid[i]) {
                            lb[i] = Math.max(lambda[i], lb[i]);
                            if (!upperConfirmed[i]) {
                                ub[i] = Math.max(ub[i], lambda[i] * 10);
                            }
                            lambda[i] = ub[i] < 1e9 ? (lb[i] + ub[i]) / 2 : lambda[i] * 10;
                        } else {
                            upperConfirmed[i] = true;
                            ub[i] = Math.min(ub[i], lambda[i]);
                            lambda[i] = lb[i] > 0 ? (lb[i] + ub[i]) / 2 : lambda[i] / 10;
                        }
                    }
                }
            } finally {
                current.close();
            }
            boolean[] valid = new boolean[n];
            for (int i = 0; i < n; i++) {
                valid[i] = best[i] != null;
            }
            return new SearchSpace.BatchResult(best, valid);
        }

        /** Adam with a fresh state over one λ; {@code cf} and the moments live in a rolling manager. */
        private final class Inner {
            NDArray cf;
            NDManager manager;
            final boolean[] active;
            final boolean[] improved;
            private final boolean record;
            private final NDArray lambda;
            private NDArray m;
            private NDArray v;

            Inner(NDArray start, NDManager manager, double[] lambdas, boolean record) {
                this.cf = start;
                this.manager = manager;
                this.record = record;
                this.active = new boolean[n];
                this.improved = new boolean[n];
                Arrays.fill(active, true);
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (float) lambdas[i];
                }
                this.lambda = broadcast(x.getManager().create(values));
            }

            boolean anyActive() {
                for (boolean a : active) {
                    if (a) {
                        return true;
                    }
                }
                return false;
            }

            boolean[] step(int t) {
                NDManager next = x.getManager().newSubManager();
                float rate = (float) (learningRate * (1 - (double) t / maxIterations));
                NDArray gradient = classifier.inputGradient(cf, labels, predictionLoss).mul(mutable);
                NDArray delta = cf.sub(x);
                if (distance == Distance.L2) {
                    NDArray norm = broadcast(delta.reshape(n, -1).norm(new int[] {1}).add(1e-12f));
                    gradient = gradient.add(delta.div(norm).mul(lambda));
                }
                NDArray m1 = m == null ? gradient.mul((float) (1 - BETA1)) : m.mul((float) BETA1).add(gradient.mul((float) (1 - BETA1)));
                NDArray v1 = v == null ? gradient.square().mul((float) (1 - BETA2))
                        : v.mul((float) BETA2).add(gradient.square().mul((float) (1 - BETA2)));
                NDArray mHat = m1.div((float) (1 - Math.pow(BETA1, t + 1)));
                NDArray root = v1.div((float) (1 - Math.pow(BETA2, t + 1))).sqrt();
                // ε relative to each sample's gradient scale: a saturated model's probability gradients can be
                // 1e-15 and smaller, which a fixed ε of 1e-7 would freeze; the fixed points are unchanged
                NDArray epsilon = broadcast(root.reshape(n, -1).max(new int[] {1}).mul((float) ADAM_EPSILON)
                        .add(1e-30f));
                NDArray denominator = root.add(epsilon);
                NDArray moved = delta.sub(mHat.div(denominator).mul(rate));
                if (distance != Distance.L2) {
                    NDArray threshold = denominator.pow(-1f).mul(rate).div(scale).mul(lambda);
                    moved = moved.sign().mul(moved.abs().sub(threshold).maximum(0f));
                }
                NDArray proposed = SearchSpace.constrain(moved.add(x), x, lower, upper, mutable);
                NDArray keep = broadcast(manager.create(activeMask()));
                NDArray updated = proposed.sub(cf).mul(keep).add(cf);
                NDArray probability = targetProbability(classifier.logits(updated));
                float[] p = probability.toFloatArray();
                boolean[] valid = new boolean[n];
                float[][] rows = null;
                double[] distances = null;
                for (int i = 0; i < n; i++) {
                    valid[i] = Math.abs(p[i] - targetProbability) <= tolerance;
                }
                Arrays.fill(improved, false);
                if (record) {
                    for (int i = 0; i < n; i++) {
                        if (valid[i] && active[i]) {
                            if (rows == null) {
                                rows = SearchSpace.rows(updated);
                                distances = distances(rows);
                            }
                            if (distances[i] < bestDistance[i]) {
                                improved[i] = distances[i] < bestDistance[i] * (1 - 1e-4);
                                bestDistance[i] = distances[i];
                                best[i] = rows[i];
                            }
                        }
                    }
                }
                manager = Scopes.advance(manager, next, updated, m1, v1);
                cf = updated;
                m = m1;
                v = v1;
                return valid;
            }

            private float[] activeMask() {
                float[] mask = new float[n];
                for (int i = 0; i < n; i++) {
                    mask[i] = active[i] ? 1f : 0f;
                }
                return mask;
            }
        }

        private double[] distances(float[][] rows) {
            float[] xs = flatInputs;
            int width = rows[0].length;
            double[] result = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < width; j++) {
                    double d = Math.abs((double) rows[i][j] - xs[i * width + j]);
                    sum += distance == Distance.L2 ? d * d : distance == Distance.MAD_L1 ? d / space.mad[j] : d;
                }
                result[i] = distance == Distance.L2 ? Math.sqrt(sum) : sum;
            }
            return result;
        }

        private NDArray broadcast(NDArray perSample) {
            long[] dims = new long[Math.toIntExact(x.getShape().dimension())];
            Arrays.fill(dims, 1);
            dims[0] = n;
            return perSample.reshape(new Shape(dims));
        }
    }

    private static float[] ones(int length) {
        float[] values = new float[length];
        Arrays.fill(values, 1f);
        return values;
    }
}
