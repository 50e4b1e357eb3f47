package dev.gauntlet.explain;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Small dense least-squares solves for the surrogate models of LIME and KernelSHAP and for TCAV's
 * concept direction, by commons-math's decompositions: Householder QR for least squares (no normal
 * equations, whose condition number is the square of the design's) and LU with partial pivoting
 * for square systems.
 */
final class LinearSolver {

    /** A pivot (or R diagonal) below this magnitude makes a system singular: only exact zeros, as before. */
    private static final double SINGULARITY_THRESHOLD = 1e-300;

    private LinearSolver() {}

    /**
     * Weighted ridge regression with an unpenalised intercept, as scikit-learn's {@code Ridge}
     * with sample weights: centre by the weighted means, then minimise ‖W^½(Zβ − y)‖² + α‖β‖²,
     * solved as the least-squares problem [W^½Z; √α I] β ≈ [W^½y; 0] by QR.
     *
     * @return the coefficients (no intercept)
     */
    static double[] weightedRidge(double[][] z, double[] y, double[] w, double alpha) {
        int n = z.length;
        int d = z[0].length;
        double weightSum = 0;
        double[] meanZ = new double[d];
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            weightSum += w[i];
            meanY += w[i] * y[i];
            for (int j = 0; j < d; j++) {
                meanZ[j] += w[i] * z[i][j];
            }
        }
        meanY /= weightSum;
        for (int j = 0; j < d; j++) {
            meanZ[j] /= weightSum;
        }
        double[][] design = new double[n + d][d];
        double[] target = new double[n + d];
        for (int i = 0; i < n; i++) {
            double root = Math.sqrt(w[i]);
            for (int j = 0; j < d; j++) {
                design[i][j] = root * (z[i][j] - meanZ[j]);
            }
            target[i] = root * (y[i] - meanY);
        }
        double ridge = Math.sqrt(alpha);
        for (int j = 0; j < d; j++) {
            design[n + j][j] = ridge;
        }
        return solveWith(new QRDecomposition(new Array2DRowRealMatrix(design, false), SINGULARITY_THRESHOLD)
                .getSolver(), target);
    }

    /**
     * Solves the square system a x = b.
     *
     * @param a the matrix; not modified
     * @param b the right-hand side; not modified
     * @return x
     * @throws ArithmeticException if the system is singular
     */
    static double[] solve(double[][] a, double[] b) {
        return solveWith(new LUDecomposition(new Array2DRowRealMatrix(a), SINGULARITY_THRESHOLD).getSolver(), b);
    }

    private static double[] solveWith(DecompositionSolver solver, double[] b) {
        try {
            return solver.solve(new ArrayRealVector(b, false)).toArray();
        } catch (SingularMatrixException e) {
            throw new ArithmeticException("the surrogate's equations are singular; add samples");
        }
    }
}
