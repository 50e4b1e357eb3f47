package dev.gauntlet.shift;

import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The drift tests, as immutable values to configure fluently, and the registry of the tests a gate spec, the
 * {@code drift} command and the kits name ({@link Named}):
 * <pre>{@code
 * import static dev.gauntlet.shift.Drifts.*;
 *
 * ks().fdr();                              // per feature, Benjamini–Hochberg across features
 * mmd().standardized();                    // all features at once, permutation p-value
 * mixed().categorical("sex", "smoker");    // ks on numeric, chi2 on categorical columns
 * bbsd(model);                             // ks on the model's softmax outputs
 * }</pre>
 */
public final class Drifts {

    private Drifts() {}

    /**
     * The Kolmogorov–Smirnov test per feature (alibi-detect's {@code KSDrift}).
     *
     * @return ks with p_val 0.05, Bonferroni, asymptotic p-values, to configure
     */
    public static KsDrift ks() {
        return KsDrift.ks();
    }

    /**
     * The maximum mean discrepancy of all features at once (alibi-detect's {@code MMDDrift}).
     *
     * @return mmd with 100 permutations, p_val 0.05, to configure
     */
    public static MmdDrift mmd() {
        return MmdDrift.mmd();
    }

    /**
     * The chi-squared test per categorical feature (alibi-detect's {@code ChiSquareDrift}).
     *
     * @return chi2 with p_val 0.05, Bonferroni, to configure
     */
    public static Chi2Drift chi2() {
        return Chi2Drift.chi2();
    }

    /**
     * Ks on numeric and chi2 on categorical columns, one correction across all (alibi-detect's
     * {@code TabularDrift}).
     *
     * @return mixed with p_val 0.05, Bonferroni, categorical columns chosen from the data, to configure
     */
    public static MixedDrift mixed() {
        return MixedDrift.mixed();
    }

    /**
     * Black-box shift detection: ks on a model's softmax outputs.
     *
     * @param model the model whose outputs are compared
     * @return BBSD with ks's defaults, to configure
     */
    public static BbsdDrift bbsd(Classifier model) {
        return BbsdDrift.bbsd(model);
    }

    /**
     * The classifier two-sample test: a classifier trained to tell reference from current rows.
     *
     * @return the test with p_val 0.05
     */
    public static ClassifierDrift classifierTwoSample() {
        return ClassifierDrift.classifierTwoSample();
    }

    /**
     * The drift tests a gate spec ({@code test: ks}), the {@code drift} command ({@code --test ks}) and the kits
     * name: one list, so a new named test is one entry here.
     */
    public enum Named {
        /** Ks per feature. */
        KS("ks per feature"),
        /** Mmd of all features at once. */
        MMD("mmd of all features"),
        /** Chi2 per categorical feature; Bonferroni only. */
        CHI2("chi2 per categorical feature"),
        /** Ks on numeric, chi2 on categorical columns. */
        MIXED("ks on numeric and chi2 on categorical columns");

        private final String description;

        Named(String description) {
            this.description = description;
        }

        /**
         * Returns the name a spec or the command line gives, e.g. {@code ks}.
         *
         * @return the lower-case name
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Returns what the test compares, for help and error messages.
         *
         * @return e.g. "ks per feature"
         */
        public String description() {
            return description;
        }

        /**
         * Returns the test as a gate check and the kits run it: p_val 0.05; ks corrects by FDR, mixed and chi2
         * by Bonferroni.
         *
         * @return the test
         */
        public DriftDetector standard() {
            return switch (this) {
                case KS -> ks().fdr();
                case MMD -> mmd();
                case CHI2 -> chi2();
                case MIXED -> mixed();
            };
        }

        /**
         * Returns the test at a significance level and correction, as the {@code drift} command runs it.
         *
         * @param pVal the significance level before correction, in (0, 1)
         * @param correction the correction across features of ks and mixed; chi2 corrects by Bonferroni and mmd
         *     tests all features at once, whatever this says
         * @return the test
         */
        public DriftDetector at(double pVal, KsDrift.Correction correction) {
            boolean fdr = correction == KsDrift.Correction.FDR;
            return switch (this) {
                case KS -> fdr ? ks().pVal(pVal).fdr() : ks().pVal(pVal);
                case MMD -> mmd().pVal(pVal);
                case CHI2 -> chi2().pVal(pVal);
                case MIXED -> fdr ? mixed().pVal(pVal).fdr() : mixed().pVal(pVal);
            };
        }

        /**
         * Finds a named test.
         *
         * @param label e.g. {@code ks}
         * @return the test, or empty if no test has that name
         */
        public static Optional<Named> of(String label) {
            return Arrays.stream(values()).filter(n -> n.label().equals(label)).findFirst();
        }

        /**
         * Lists the names for a message, e.g. {@code ks, mmd, chi2 or mixed}.
         *
         * @return the names, comma-separated, the last after "or"
         */
        public static String labels() {
            Named[] all = values();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < all.length; i++) {
                text.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].label());
            }
            return text.toString();
        }
    }
}
