package dev.gauntlet.counterfactual;

/**
 * Entry points for counterfactual methods, each with its reference implementation's defaults.
 *
 * <pre>{@code
 * CounterfactualReport report = Counterfactuals.wachter().distance(Distance.MAD_L1).explain(model, test, train);
 * }</pre>
 */
public final class Counterfactuals {

    private Counterfactuals() {}

    /**
     * Wachter et al. (2017) counterfactuals with alibi's defaults (L1, any other class, p 1 ± 0.05).
     *
     * @return the method
     */
    public static Wachter wachter() {
        return new Wachter();
    }

    /**
     * Prototype-guided counterfactuals (Van Looveren &amp; Klaise 2019), prototypes from class-wise
     * nearest neighbours.
     *
     * @return the method
     */
    public static ElasticNetCounterfactual prototypeGuided() {
        return ElasticNetCounterfactual.defaults(ElasticNetCounterfactual.Mode.PROTOTYPE);
    }

    /**
     * CEM pertinent negatives (Dhurandhar et al. 2018): what must be added to change the class.
     *
     * @return the method
     */
    public static ElasticNetCounterfactual pertinentNegatives() {
        return ElasticNetCounterfactual.defaults(ElasticNetCounterfactual.Mode.PERTINENT_NEGATIVE);
    }

    /**
     * CEM pertinent positives (Dhurandhar et al. 2018): the least of the sample that keeps its class.
     *
     * @return the method
     */
    public static ElasticNetCounterfactual pertinentPositives() {
        return ElasticNetCounterfactual.defaults(ElasticNetCounterfactual.Mode.PERTINENT_POSITIVE);
    }
}
