package dev.gauntlet.certify;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Sound bounds on a classifier's logits over an L∞ ball intersected with the data's value bounds,
 * by interval bound propagation or CROWN ({@link BoundMethod}). A margin lower bound above zero
 * proves that no input in the ball changes the prediction: where it is, no attack can succeed.
 *
 * <p>Works on models with a {@link dev.gauntlet.model.LayerView} whose layers are Linear, Conv2d,
 * ReLU, max or average pooling, flatten, dropout (the identity at inference) or batch norm (the
 * per-channel affine map it is at inference); the layers are read once, into double precision, and
 * each is checked against the model's own output. Other models are refused with an
 * {@link UnsupportedCapabilityException}: bound them with {@link RandomizedSmoothing}, which only
 * needs predictions.
 *
 * <p>The bounds hold in exact arithmetic on the model's float32 weights; the model itself computes
 * in float32, whose rounding is covered by {@link #SLACK} when {@link CertificationEvaluator}
 * decides what is certified. Reference implementations: auto_LiRPA (Xu et al. 2020) computes the
 * same CROWN bounds with the same adaptive lower slope; it keeps intermediate bounds from CROWN
 * alone, where this class also intersects them with the interval ones (never looser). Max pooling
 * is relaxed as DeepPoly (Singh et al. 2019) does: exact where one input dominates its window,
 * else below by the input with the largest lower bound and above by the window's largest upper
 * bound.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.of(mlp);
 * double[] margins = verifier.marginLowerBounds(x, label, 0.03, ValueBounds.unit(), BoundMethod.CROWN);
 * boolean certified = Arrays.stream(margins).min().getAsDouble() > 0;
 * }</pre>
 */
public final class Verifier {

    /**
     * The relative margin a bound must clear, {@code 1e-5 · max(1, largest |logit|)}, so that the
     * float32 rounding of the model's own forward pass cannot undo a certificate.
     */
    public static final double SLACK = 1e-5;

    private final Network network;
    private final int numClasses;
    private final String model;

    private Verifier(Network network, int numClasses, String model) {
        this.network = network;
        this.numClasses = numClasses;
        this.model = model;
    }

    /**
     * Reads a classifier's layers.
     *
     * @param classifier the model; it must offer a layer view of supported layers
     * @return the verifier
     * @throws UnsupportedCapabilityException if the model has no layer view or a layer that cannot
     *     be bounded
     */
    public static Verifier of(Classifier classifier) {
        Objects.requireNonNull(classifier, "classifier");
        Network network = NetworkReader.read(classifier, "certified bounds (IBP, CROWN)");
        if (network.outputSize() != classifier.numClasses()) {
            throw new IllegalStateException("the layers give " + network.outputSize() + " outputs, the model "
                    + classifier.numClasses() + " classes");
        }
        return new Verifier(network, classifier.numClasses(), String.valueOf(classifier));
    }

    /**
     * Returns the bounded layers' names, e.g. {@code [01Linear, 02LambdaBlock, 03Linear]}.
     *
     * @return the names of the layers that are not the identity
     */
    public List<String> layers() {
        return network.names();
    }

    /**
     * Bounds every logit over the ball.
     *
     * @param x one input, flattened
     * @param epsilon the L∞ radius, at least 0
     * @param bounds the value bounds the ball is cut to
     * @param method the bound method
     * @return the lower and upper bounds
     */
    public OutputBounds logitBounds(float[] x, double epsilon, ValueBounds bounds, BoundMethod method) {
        return logitBounds(propagate(x, epsilon, bounds, method), method);
    }

    /**
     * Bounds every logit and every margin over the ball from one propagation: what
     * {@link #logitBounds} and {@link #marginLowerBounds} give, at the cost of one (CROWN's
     * intermediate bounds are most of the cost on a CNN).
     *
     * @param x one input, flattened
     * @param label the class to keep
     * @param epsilon the L∞ radius, at least 0
     * @param bounds the value bounds the ball is cut to
     * @param method the bound method
     * @return both bounds
     */
    public Bounds bounds(float[] x, int label, double epsilon, ValueBounds bounds, BoundMethod method) {
        Objects.checkIndex(label, numClasses);
        Propagation propagation = propagate(x, epsilon, bounds, method);
        return new Bounds(logitBounds(propagation, method), marginLowerBounds(propagation, label, method));
    }

    private OutputBounds logitBounds(Propagation propagation, BoundMethod method) {
        int m = network.ops().size();
        double[] lower = propagation.lower[m].clone();
        double[] upper = propagation.upper[m].clone();
        if (method == BoundMethod.CROWN) {
            for (int c = 0; c < numClasses; c++) {
                double[] unit = new double[numClasses];
                unit[c] = 1;
                lower[c] = Math.max(lower[c], propagation.backwardLower(unit, m));
                unit[c] = -1;
                upper[c] = Math.min(upper[c], -propagation.backwardLower(unit, m));
            }
        }
        return new OutputBounds(lower, upper);
    }

    /**
     * Bounds {@code z_label − z_c} from below for every class {@code c}.
     *
     * @param x one input, flattened
     * @param label the class to keep
     * @param epsilon the L∞ radius, at least 0
     * @param bounds the value bounds the ball is cut to
     * @param method the bound method
     * @return one lower bound per class, {@code +∞} at {@code label}
     */
    public double[] marginLowerBounds(float[] x, int label, double epsilon, ValueBounds bounds, BoundMethod method) {
        Objects.checkIndex(label, numClasses);
        return marginLowerBounds(propagate(x, epsilon, bounds, method), label, method);
    }

    private double[] marginLowerBounds(Propagation propagation, int label, BoundMethod method) {
        int m = network.ops().size();
        double[] margins = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (c == label) {
                margins[c] = Double.POSITIVE_INFINITY;
                continue;
            }
            double[] spec = new double[numClasses];
            spec[label] = 1;
            spec[c] = -1;
            double bound = propagation.foldedIntervalLower(spec);
            if (method == BoundMethod.CROWN) {
                bound = Math.max(bound, propagation.backwardLower(spec, m));
            }
            margins[c] = bound;
        }
        return margins;
    }

    private Propagation propagate(float[] x, double epsilon, ValueBounds bounds, BoundMethod method) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(method, "method");
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, got " + epsilon);
        }
        if (x.length != network.inputSize()) {
            throw new IllegalArgumentException("the input has " + x.length + " values, " + model + " takes "
                    + network.inputSize());
        }
        List<Network.Op> ops = network.ops();
        int m = ops.size();
        Propagation p = new Propagation(ops, new double[m + 1][], new double[m + 1][]);
        p.lower[0] = new double[x.length];
        p.upper[0] = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p.lower[0][i] = Math.max(x[i] - epsilon, bounds.lower());
            p.upper[0][i] = Math.min(x[i] + epsilon, bounds.upper());
        }
        boolean exact = true;
        int affine = 0;
        for (int k = 1; k <= m; k++) {
            Network.Op previous = ops.get(k - 1);
            exact &= previous instanceof Network.Affine && ++affine <= 1;
            double[][] interval = interval(previous, p.lower[k - 1], p.upper[k - 1]);
            p.lower[k] = interval[0];
            p.upper[k] = interval[1];
            // back-substitution pays only behind an affine layer: the box image of a ReLU or max pool of
            // CROWN-bounded inputs is already as tight as their relaxations can give
            boolean feedsNonlinear = k < m && !(ops.get(k) instanceof Network.Affine);
            if (method == BoundMethod.CROWN && feedsNonlinear && !exact && previous instanceof Network.Affine) {
                int position = k;
                int size = p.lower[k].length;
                // one back-substitution per neuron and side, independent of each other: spread over the cores
                IntStream.range(0, size).parallel().forEach(i -> {
                    double[] unit = new double[size];
                    unit[i] = 1;
                    double lower = p.backwardLower(unit, position);
                    unit[i] = -1;
                    double upper = -p.backwardLower(unit, position);
                    p.lower[position][i] = Math.max(p.lower[position][i], lower);
                    p.upper[position][i] = Math.min(p.upper[position][i], upper);
                });
            }
        }
        return p;
    }

    /** Interval arithmetic through one layer. */
    static double[][] interval(Network.Op op, double[] lower, double[] upper) {
        if (op instanceof Network.Affine affine) {
            double[] centre = new double[lower.length];
            double[] radius = new double[lower.length];
            for (int i = 0; i < lower.length; i++) {
                centre[i] = (lower[i] + upper[i]) / 2;
                radius[i] = (upper[i] - lower[i]) / 2;
            }
            double[] c = affine.apply(centre);
            double[] r = affine.applyAbs(radius);
            double[] lo = new double[c.length];
            double[] hi = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                lo[i] = c[i] - r[i];
                hi[i] = c[i] + r[i];
            }
            return new double[][] {lo, hi};
        }
        return new double[][] {Network.forward(op, lower), Network.forward(op, upper)};
    }

    /** The bounds at every position ({@code k}: the input of layer {@code k}; {@code m}: the logits). */
    private record Propagation(List<Network.Op> ops, double[][] lower, double[][] upper) {

        /** IBP's bound on {@code spec · logits}, the specification folded into a last affine layer. */
        double foldedIntervalLower(double[] spec) {
            int m = ops.size();
            if (m > 0 && ops.get(m - 1) instanceof Network.Affine last) {
                double constant = last.dotBias(spec);
                return constant + boxMinimum(last.transposeApply(spec), lower[m - 1], upper[m - 1]);
            }
            return boxMinimum(spec, lower[m], upper[m]);
        }

        /**
         * CROWN's lower bound on {@code a · h_k}: {@code a} is carried back to the input through
         * the affine layers exactly and through ReLU and max pooling by their linear relaxations,
         * chosen per neuron by the sign of its coefficient.
         */
        double backwardLower(double[] coefficients, int k) {
            double[] a = coefficients;
            double constant = 0;
            for (int j = k - 1; j >= 0; j--) {
                Network.Op op = ops.get(j);
                double[] l = lower[j];
                double[] u = upper[j];
                if (op instanceof Network.Affine affine) {
                    constant += affine.dotBias(a);
                    a = affine.transposeApply(a);
                } else if (op instanceof Network.Relu) {
                    double[] next = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        double ai = a[i];
                        if (ai == 0 || u[i] <= 0) {
                            continue;
                        }
                        if (l[i] >= 0) {
                            next[i] = ai;
                        } else if (ai > 0) {
                            next[i] = u[i] > -l[i] ? ai : 0; // lower line: slope 1 or 0, the smaller area
                        } else {
                            double slope = u[i] / (u[i] - l[i]); // upper line through (l, 0) and (u, u)
                            next[i] = ai * slope;
                            constant -= ai * slope * l[i];
                        }
                    }
                    a = next;
                } else {
                    Network.MaxPool pool = (Network.MaxPool) op;
                    double[] next = new double[pool.inputSize()];
                    for (int o = 0; o < a.length; o++) {
                        double ao = a[o];
                        if (ao == 0) {
                            continue;
                        }
                        int[] window = pool.windows()[o];
                        int best = window[0];
                        double maxUpper = Double.NEGATIVE_INFINITY;
                        for (int i : window) {
                            best = l[i] > l[best] ? i : best;
                            maxUpper = Math.max(maxUpper, u[i]);
                        }
                        double otherUpper = Double.NEGATIVE_INFINITY;
                        for (int i : window) {
                            otherUpper = i == best ? otherUpper : Math.max(otherUpper, u[i]);
                        }
                        if (ao > 0 || l[best] >= otherUpper) {
                            next[best] += ao; // max ≥ x_best, with equality when x_best dominates the window
                        } else {
                            constant += ao * maxUpper; // max ≤ the largest upper bound
                        }
                    }
                    a = next;
                }
            }
            return constant + boxMinimum(a, lower[0], upper[0]);
        }

        private static double boxMinimum(double[] a, double[] l, double[] u) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 0) {
                    sum += a[i] * l[i];
                } else if (a[i] < 0) {
                    sum += a[i] * u[i];
                }
            }
            return sum;
        }
    }

    /**
     * Both bounds of one input over a ball.
     *
     * @param logits the bounds on each logit
     * @param marginLowerBounds per class {@code c}, the bound on {@code z_label − z_c}; {@code +∞} at the label
     */
    public record Bounds(OutputBounds logits, double[] marginLowerBounds) {

        /** Copies the margins. */
        public Bounds {
            marginLowerBounds = marginLowerBounds.clone();
        }

        @Override
        public double[] marginLowerBounds() {
            return marginLowerBounds.clone();
        }

        /**
         * Returns the smallest margin bound, above 0 when no input in the ball changes the prediction.
         *
         * @return {@code min_c} of the margin bounds
         */
        public double worstMargin() {
            return Arrays.stream(marginLowerBounds).min().orElse(Double.POSITIVE_INFINITY);
        }

        @Override
        public String toString() {
            return "Bounds[logits=" + logits + ", marginLowerBounds=" + Arrays.toString(marginLowerBounds) + "]";
        }
    }

    /**
     * Bounds on each logit over a ball.
     *
     * @param lower one lower bound per class
     * @param upper one upper bound per class
     */
    public record OutputBounds(double[] lower, double[] upper) {

        /** Copies the arrays. */
        public OutputBounds {
            lower = lower.clone();
            upper = upper.clone();
        }

        @Override
        public double[] lower() {
            return lower.clone();
        }

        @Override
        public double[] upper() {
            return upper.clone();
        }

        @Override
        public String toString() {
            return "OutputBounds[lower=" + Arrays.toString(lower) + ", upper=" + Arrays.toString(upper) + "]";
        }
    }
}
