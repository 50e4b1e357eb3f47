package dev.gauntlet.shift.internal;

import java.util.Arrays;

/**
 * Internal: do not use. Kolmogorov–Smirnov distributions as scipy 1.10 computes them, so that
 * Gauntlet's p-values equal {@code scipy.stats.ks_2samp}'s (asserted by {@code KsParityTests}
 * against {@code src/test/python/parity/ks_parity.py}).
 *
 * <p>{@link #twoSidedSf} is {@code scipy.stats.kstwo.sf(d, n)}, a port of
 * {@code scipy/stats/_ksstats.py::_kolmogn} with Simard and L'Ecuyer's choice of algorithm per
 * region (Simard R., L'Ecuyer P., "Computing the Two-Sided Kolmogorov-Smirnov Distribution",
 * J. Stat. Softw. 39(11), 2011): Ruben–Gambino closed forms near both ends, Durbin's matrix as
 * Marsaglia, Tsang and Wang scale it, Pomeranz's recursion, Pelz–Good's expansion for large n, and
 * twice the one-sided Smirnov tail where the survival function is small, so small p-values are
 * computed directly and keep their relative accuracy instead of coming out of {@code 1 − cdf}.
 * The one-sided tail ({@link #smirnovSf}) sums the Birnbaum–Tingey series in log space; scipy sums
 * it in double-double arithmetic ({@code cephes/kolmogorov.c}), the results agree to about 1e-10
 * relative.
 *
 * <p>{@link #twoSampleExactSf} is {@code ks_2samp(method='exact')}'s two-sided p-value: Hodges'
 * lattice-path count ({@code _compute_prob_outside_square} for equal sizes, Viehmann's stable
 * recursion {@code _compute_outer_prob_inside_method} otherwise).
 */
public final class KolmogorovSmirnov {

    /** scipy's {@code MAX_AUTO_N}: {@code method='auto'} is exact up to this many rows per sample. */
    public static final int MAX_AUTO_N = 10_000;

    private static final double EP128 = 0x1p128;
    private static final double EM128 = 0x1p-128;
    private static final int E128 = 128;
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double SQRT3 = Math.sqrt(3);
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = Math.pow(Math.PI, 4);
    private static final double PI_SIX = Math.pow(Math.PI, 6);
    /** cephes' MINLOG, log(2^-1022): below it scipy's smirnov returns 0. */
    private static final double CEPHES_MINLOG = -7.08396418532264106224E2;
    private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private KolmogorovSmirnov() {}

    /**
     * The two-sample result: the statistic as scipy reports it and the p-value.
     *
     * @param statistic the largest gap between the two empirical CDFs ({@code h/lcm(n₁, n₂)} when exact)
     * @param pValue the two-sided p-value; NaN where scipy's is (asymp with n₁ = n₂ = 1)
     * @param exact whether the exact distribution was used, {@code false} for the asymptotic one
     */
    public record TwoSample(double statistic, double pValue, boolean exact) {}

    /**
     * {@code scipy.stats.ks_2samp(a, b)}'s two-sided statistic and p-value.
     *
     * @param a the first sample, not empty
     * @param b the second sample, not empty
     * @param exact {@code null} for scipy's {@code 'auto'} (exact when both samples have at most
     *     {@link #MAX_AUTO_N} values), {@code true} for {@code 'exact'}, {@code false} for {@code 'asymp'}
     * @return the statistic, the p-value and whether the exact method ran; exact falls back to
     *     asymp as in scipy where lcm(n₁, n₂) exceeds 2³¹ − 1 ({@code 'exact'} only) or the
     *     computation fails
     */
    public static TwoSample twoSample(double[] a, double[] b, Boolean exact) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("KS needs two non-empty samples, got " + a.length + " and " + b.length);
        }
        double d = statistic(a, b);
        int n1 = a.length;
        int n2 = b.length;
        boolean tryExact;
        if (exact == null) {
            tryExact = Math.max(n1, n2) <= MAX_AUTO_N;
        } else {
            long g = gcd(n1, n2);
            tryExact = exact && n1 / g < Integer.MAX_VALUE / (double) (n2 / g);
        }
        if (tryExact) {
            double[] result = twoSampleExact(n1, n2, d);
            if (result != null) {
                return new TwoSample(result[0], result[1], true);
            }
        }
        return new TwoSample(d, twoSampleAsympSf(d, n1, n2), false);
    }

    /**
     * The largest absolute difference between the two empirical CDFs, as scipy computes it
     * ({@code searchsorted(side='right') / n} at every pooled value).
     *
     * @param a the first sample
     * @param b the second sample
     * @return the statistic in [0, 1]
     */
    public static double statistic(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /**
     * {@code ks_2samp(method='asymp')}'s two-sided p-value: {@code kstwo.sf(d, n)} with
     * {@code n = np.round(n₁n₂/(n₁ + n₂))}, numpy rounding halves to even (44.5 → 44).
     *
     * @param d the statistic
     * @param n1 the first sample's size
     * @param n2 the second sample's size
     * @return the p-value; NaN for n₁ = n₂ = 1, where n rounds to 0 (as in scipy)
     */
    public static double twoSampleAsympSf(double d, int n1, int n2) {
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = Math.rint(m * n / (m + n));
        if (en < 1) {
            return Double.NaN;
        }
        return clip(twoSidedSf(d, (int) en));
    }

    /**
     * {@code ks_2samp(method='exact')}'s two-sided p-value.
     *
     * @param d the statistic
     * @param n1 the first sample's size
     * @param n2 the second sample's size
     * @return the p-value, or NaN where scipy's exact computation fails and it falls back to asymp
     */
    public static double twoSampleExactSf(double d, int n1, int n2) {
        double[] result = twoSampleExact(n1, n2, d);
        return result == null ? Double.NaN : result[1];
    }

    /** scipy's {@code _attempt_exact_2kssamp} (two-sided): {statistic h/lcm, p}, or null on failure. */
    private static double[] twoSampleExact(int n1, int n2, double d) {
        long g = gcd(n1, n2);
        long lcm = (n1 / g) * n2;
        long h = (long) Math.rint(d * lcm);
        double dh = h * 1.0 / lcm;
        if (h == 0) {
            return new double[] {dh, 1.0};
        }
        double prob = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
        if (!(prob >= 0 && prob <= 1)) {
            return null;
        }
        return new double[] {dh, prob};
    }

    /** scipy's {@code _compute_prob_outside_square}: Pr(D_{n,n} ≥ h/n), a Horner-like alternating sum. */
    static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * scipy's {@code _compute_outer_prob_inside_method}: 1 − the share of lattice paths staying
     * strictly inside |x/m − y/n| &lt; h/lcm, by Viehmann's recursion (arXiv:2102.08037).
     */
    static double outerProbInside(long m0, long n0, long g, long h) {
        long m = Math.max(m0, n0);
        long n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, Math.min(maxj, lenA), 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                Arrays.fill(a, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    /**
     * {@code scipy.stats.kstwo.sf(d, n)}: Pr(D_n &gt; d) for the two-sided one-sample statistic.
     *
     * @param d the statistic
     * @param n the sample size, at least 1
     * @return the survival function in [0, 1]; NaN for n &lt; 1 or NaN d
     */
    public static double twoSidedSf(double d, int n) {
        return kolmogn(n, d, false);
    }

    /**
     * {@code scipy.stats.kstwo.cdf(d, n)}: Pr(D_n ≤ d).
     *
     * @param d the statistic
     * @param n the sample size, at least 1
     * @return the distribution function in [0, 1]; NaN for n &lt; 1 or NaN d
     */
    public static double twoSidedCdf(double d, int n) {
        return kolmogn(n, d, true);
    }

    /** scipy's {@code _kolmogn}: the CDF or SF, each computed where it is accurate. */
    private static double kolmogn(int n, double x, boolean cdf) {
        if (n <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return select(1.0, 0.0, cdf);
        }
        if (x <= 0.0) {
            return select(0.0, 1.0, cdf);
        }
        double t = n * x;
        if (t <= 1.0) { // Ruben–Gambino: 1/2n <= x <= 1/n
            if (t <= 0.5) {
                return select(0.0, 1.0, cdf);
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return select(prob, 1.0 - prob, cdf);
        }
        if (t >= n - 1) { // Ruben–Gambino
            double prob = 2 * Math.pow(1.0 - x, n);
            return select(1 - prob, prob, cdf);
        }
        if (x >= 0.5) { // exact: twice the one-sided tail
            double prob = 2 * smirnovSf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                double prob = durbinMtw(n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            if (nxSquared <= 4) {
                double prob = pomeranz(n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            double prob = 2 * smirnovSf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        if (!cdf) {
            if (nxSquared >= 370.0) {
                return 0.0;
            }
            if (nxSquared >= 2.2) {
                return clip(2 * smirnovSf(n, x));
            }
        }
        double cdfProb;
        if (nxSquared >= 18.0) {
            cdfProb = 1.0;
        } else if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdfProb = durbinMtw(n, x);
        } else {
            cdfProb = pelzGood(n, x);
        }
        return select(cdfProb, 1.0 - cdfProb, cdf);
    }

    private static double select(double cdfProb, double sfProb, boolean cdf) {
        return clip(cdf ? cdfProb : sfProb);
    }

    private static double clip(double p) {
        return p < 0 ? 0 : p > 1 ? 1 : p; // NaN stays NaN, as np.clip
    }

    private static double logNFactorialDivNPowN(int n) {
        double rn = 1.0 / n;
        double x = rn / n;
        double poly = 0;
        for (double c : STIRLING) {
            poly = poly * x + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /**
     * scipy's {@code _kolmogn_DMTW}: Pr(D_n ≤ d) by Durbin's matrix (1968) raised to the n-th power
     * by squaring with the exponent kept apart, as Marsaglia, Tsang and Wang (2003) do.
     */
    static double durbinMtw(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = new double[m][m];
        for (int i = 0; i < m; i++) {
            power[i][i] = 1.0;
        }
        int nn = n;
        int expnt = 0;
        int hExpnt = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= EP128;
                    }
                }
                hExpnt += E128;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= E128;
            }
        }
        if (expnt != 0) {
            p = ldexp(p, expnt);
        }
        return clip(p);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    /** 2^e · x with one rounding, as numpy's ldexp. */
    private static double ldexp(double x, int e) {
        return Math.scalb(x, e);
    }

    /** scipy's {@code _pomeranz_compute_j1j2}: the ends of row i's interval. */
    private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) { // i is odd
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** scipy's {@code _kolmogn_Pomeranz}: Pr(D_n ≤ x) by Pomeranz's recursion (1974). */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = 1.0 * (t - ll);
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] j = pomeranzJ1J2(0, n, ll, ceilf, roundf);
        int j1 = j[0];
        int j2;
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] swap = v0;
            v0 = v1;
            v1 = swap;
            int swapS = v0s;
            v0s = v1s;
            v1s = swapS;
            Arrays.fill(v1, 0.0);
            j = pomeranzJ1J2(i, n, ll, ceilf, roundf);
            j1 = j[0];
            j2 = j[1];
            double[] pwrs = i == 1 || i == 2 * n + 1 ? gpower : i % 2 == 1 ? twogpower : onem2gpower;
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                // np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]), entries conv_start .. + conv_len
                int start = k1 - v0s;
                int aLen = Math.max(0, Math.min(start + ln2, npwrs) - start);
                int bLen = Math.min(ln2, npwrs);
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                int fullLen = aLen + bLen - 1;
                double max = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < convLen; q++) {
                    int c = convStart + q;
                    double sum = 0;
                    if (c >= 0 && c < fullLen) {
                        int lo = Math.max(0, c - bLen + 1);
                        int hi = Math.min(c, aLen - 1);
                        for (int r = lo; r <= hi; r++) {
                            sum += v0[start + r] * pwrs[c - r];
                        }
                    }
                    v1[q] = sum;
                }
                for (double value : v1) {
                    max = Math.max(max, value);
                }
                if (0 < max && max < EM128) {
                    for (int q = 0; q < npwrs; q++) {
                        v1[q] *= EP128;
                    }
                    expnt -= E128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > EP128) {
                ans *= EM128;
                expnt += E128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = ldexp(ans, expnt);
        }
        return clip(ans);
    }

    /**
     * scipy's {@code _kolmogn_PelzGood}: Pelz and Good's (1976) expansion of Pr(D_n ≤ x) in powers
     * of 1/√n, each term transformed by Jacobi theta identities for small √n·x.
     */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double zsquared = z * z;
        double zthree = z * z * z;
        double zfour = Math.pow(z, 4);
        double zsix = Math.pow(z, 6);
        double qlog = -PI_SQUARED / 8 / zsquared;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -zsquared;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;
        double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
        double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.pow(z, 8);
        double[] k0to3 = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double msquared = m * m;
            double mfour = Math.pow(m, 4);
            double msix = Math.pow(m, 6);
            double qpower = Math.pow(q, 8 * k);
            double[] coeffs = {1.0, k1a + k1b * msquared, k2a + k2b * msquared + k2c * mfour,
                k3a + k3b * msquared + k3c * mfour + k3d * msix};
            for (int i = 0; i < 4; i++) {
                k0to3[i] = k0to3[i] * qpower + coeffs[i];
            }
        }
        double[] divisors = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            k0to3[i] = k0to3[i] * q * SQRT2PI / divisors[i];
        }
        q = Math.exp(-PI_SQUARED / 2 / zsquared);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxk; k > 0; k--) {
            double ksquared = (double) k * k;
            double qpwers = Math.pow(q, ksquared);
            double kspi = Math.PI * k;
            k2extra += ksquared * qpwers;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwers;
        }
        k0to3[2] += k2extra * (PI_SQUARED * SQRT2PI / (-36 * zthree));
        k0to3[3] += k3extra * (PI_SQUARED * SQRT2PI / (216 * zsix));
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += k0to3[i] / Math.pow(n * 1.0, i / 2.0);
        }
        return sum;
    }

    /**
     * {@code scipy.special.smirnov(n, x)}: Pr(D⁺_n &gt; x), the one-sided tail, by the
     * Birnbaum–Tingey sum {@code x · Σ_{v < n(1−x)} C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v)}.
     *
     * <p>Every term is positive, so the sum keeps its relative accuracy deep into the tail; terms
     * are summed in log space (scaled by the largest), and {@code 1 − x − v/n} is formed from
     * {@code n·x} split exactly into two doubles, so no term loses digits to cancellation near
     * {@code x + v/n = 1}. Above n = 10⁶ scipy's approximation {@code exp(−(6nx + 1)²/18n)} is used, as there.
     *
     * @param n the sample size, at least 1
     * @param x the statistic in [0, 1]
     * @return the one-sided survival function
     */
    public static double smirnovSf(int n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        double nxHi = n * x;
        double nxLo = Math.fma(n, x, -nxHi);
        if (nxHi <= 1) { // x <= 1/n: sf = 1 - x (1 + x)^(n-1)
            return clip(1 - x * Math.pow(1 + x, n - 1));
        }
        if (-2 * n * x * x < CEPHES_MINLOG) {
            return 0.0;
        }
        if (nxHi >= n - 1) {
            return clip(Math.pow(1 - x, n));
        }
        if (n > 1_000_000) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return clip(logp < -Math.log(2) ? Math.exp(logp) : 1 - -Math.expm1(logp));
        }
        // terms v = 0 .. while 1 - x - v/n > 0
        double logN = Math.log(n);
        double logX = Math.log(x);
        double[] logTerms = new double[n + 1];
        int count = 0;
        double logBinomial = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v <= n; v++) {
            double rest = ((double) (n - v) - nxHi) - nxLo; // n (1 - x - v/n)
            if (!(rest > 0)) {
                break;
            }
            double at = v + nxHi + nxLo; // n (x + v/n)
            double logTerm = logBinomial + (v - 1) * (Math.log(at) - logN) + (n - v) * (Math.log(rest) - logN) + logX;
            logTerms[count++] = logTerm;
            max = Math.max(max, logTerm);
            logBinomial += Math.log((double) (n - v) / (v + 1));
        }
        if (count == 0 || max == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(logTerms[i] - max);
        }
        return clip(Math.exp(max + Math.log(sum)));
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
