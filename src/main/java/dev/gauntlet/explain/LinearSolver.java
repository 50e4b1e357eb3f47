package dev.gauntlet.explain;

/** Small dense least-squares helpers for the surrogate models of LIME and KernelSHAP. */
final class LinearSolver {

    private LinearSolver() {}

    /**
     * Weighted ridge regression with an unpenalised intercept, as scikit-learn's {@code Ridge}
     * with sample weights: centre by the weighted means, then solve (ZᵀWZ + αI)β = ZᵀWy.
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
        double[][] a = new double[d][d];
        double[] b = new double[d];
        for (int i = 0; i < n; i++) {
            double[] centred = new double[d];
            for (int j = 0; j < d; j++) {
                centred[j] = z[i][j] - meanZ[j];
            }
            double yc = y[i] - meanY;
            for (int j = 0; j < d; j++) {
                double wj = w[i] * centred[j];
                b[j] += wj * yc;
                for (int k = j; k < d; k++) {
                    a[j][k] += wj * centred[k];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            a[j][j] += alpha;
            for (int k = 0; k < j; k++) {
                a[j][k] = a[k][j];
            }
        }
        return solve(a, b);
    }

    /** Solves a x = b by Gaussian elimination with partial pivoting (a and b are overwritten). */
    static double[] solve(double[][] a, double[] b) {
        int d = b.length;
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] row = a[col];
            a[col] = a[pivot];
            a[pivot] = row;
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-300) {
                throw new ArithmeticException("the surrogate's normal equations are singular; add samples");
            }
            for (int r = col + 1; r < d; r++) {
                double factor = a[r][col] / a[col][col];
                if (factor == 0) {
                    continue;
                }
                for (int k = col; k < d; k++) {
                    a[r][k] -= factor * a[col][k];
                }
                b[r] -= factor * b[col];
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double sum = b[r];
            for (int k = r + 1; k < d; k++) {
                sum -= a[r][k] * x[k];
            }
            x[r] = sum / a[r][r];
        }
        return x;
    }
}
