package dev.gauntlet.attack;

/**
 * The attacks, as immutable values to configure fluently:
 * <pre>{@code
 * import static dev.gauntlet.attack.Attacks.*;
 *
 * fgsm().linf(0.1);
 * pgd().linf(0.1).steps(20);                 // Madry et al.: random start, step 2.5·ε/steps
 * pgd().l2(1.5).steps(50).restarts(5);       // keeps each sample's worst case over restarts
 * bim().linf(0.05).steps(10);                // Kurakin et al.: no random start, step ε/steps
 * }</pre>
 */
public final class Attacks {

    private Attacks() {}

    /**
     * The fast gradient sign method (Goodfellow et al. 2015), one step of size ε; with
     * {@code l2(ε)} the fast gradient method, one step along the normalised gradient.
     *
     * @return FGSM with ε = 0.1 in L∞, to configure
     */
    public static FgsmAttack fgsm() {
        return new FgsmAttack(Norm.LINF, 0.1, -1);
    }

    /**
     * Projected gradient descent (Madry et al. 2018): a random start in the ε-ball, then steps
     * of size α along the gradient's sign (L∞) or direction (L2), projected back onto the ball
     * and the bounds after each.
     *
     * @return PGD with ε = 0.1 in L∞, 10 steps, α = 2.5·ε/steps, 1 restart, to configure
     */
    public static PgdAttack pgd() {
        return new PgdAttack("pgd", Norm.LINF, 0.1, 10, Double.NaN, 1, true, -1);
    }

    /**
     * The basic iterative method (Kurakin et al. 2017): PGD from the clean input, with step ε/steps.
     *
     * @return BIM with ε = 0.1 in L∞, 10 steps, to configure
     */
    public static PgdAttack bim() {
        return new PgdAttack("bim", Norm.LINF, 0.1, 10, Double.NaN, 1, false, -1);
    }

    static double checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, got " + epsilon);
        }
        return epsilon;
    }

    static String format(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString();
    }
}
