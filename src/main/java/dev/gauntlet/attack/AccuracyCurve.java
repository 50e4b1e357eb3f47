package dev.gauntlet.attack;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

/**
 * Robust accuracy over increasing budgets ε, one attack re-budgeted to each. A sound evaluation
 * gives a curve that does not rise: a larger ball holds every example of a smaller one.
 *
 * @param attackName the attack's name at its own budget
 * @param norm the attack's norm
 * @param epsilons the budgets, increasing
 * @param robustAccuracy the robust accuracy at each budget
 */
public record AccuracyCurve(String attackName, Norm norm, double[] epsilons, double[] robustAccuracy) {

    /** Checks that there is one accuracy per budget and copies both arrays. */
    public AccuracyCurve {
        if (epsilons.length != robustAccuracy.length) {
            throw new IllegalArgumentException("need one accuracy per epsilon, got " + epsilons.length + " and "
                    + robustAccuracy.length);
        }
        epsilons = epsilons.clone();
        robustAccuracy = robustAccuracy.clone();
    }

    /**
     * Measures the curve.
     *
     * @param classifier the model
     * @param data the samples
     * @param attack the attack, re-budgeted with {@link Attack#withEpsilon}
     * @param seed the run seed of every budget's evaluation
     * @param epsilons the budgets, at least two, increasing
     * @return the curve
     */
    public static AccuracyCurve measure(Classifier classifier, Dataset data,
            Attack attack, long seed, double... epsilons) {
        if (epsilons.length < 2) {
            throw new IllegalArgumentException("give at least two epsilons, in increasing order");
        }
        for (int i = 1; i < epsilons.length; i++) {
            if (!(epsilons[i] > epsilons[i - 1])) {
                throw new IllegalArgumentException("epsilons must increase, but " + epsilons[i] + " follows "
                        + epsilons[i - 1]);
            }
        }
        double[] accuracy = new double[epsilons.length];
        for (int i = 0; i < epsilons.length; i++) {
            accuracy[i] = RobustnessEvaluator.evaluate(classifier, data, attack.withEpsilon(epsilons[i]), seed)
                    .robustAccuracy();
        }
        return new AccuracyCurve(attack.name(), attack.norm(), epsilons, accuracy);
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    @Override
    public double[] robustAccuracy() {
        return robustAccuracy.clone();
    }

    /**
     * Returns the largest rise of robust accuracy from one budget to the next.
     *
     * @return 0 for a curve that never rises
     */
    public double largestRise() {
        double worst = 0;
        for (int i = 1; i < robustAccuracy.length; i++) {
            worst = Math.max(worst, robustAccuracy[i] - robustAccuracy[i - 1]);
        }
        return worst;
    }
}
