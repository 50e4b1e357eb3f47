package dev.gauntlet.attack;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The attacks, as immutable values to configure fluently:
 * <pre>{@code
 * import static dev.gauntlet.attack.Attacks.*;
 *
 * fgsm().linf(0.1);
 * pgd().linf(0.1).steps(20);                 // Madry et al.: random start, step 2.5·ε/steps
 * pgd().l2(1.5).steps(50).restarts(5);       // keeps each sample's worst case over restarts
 * bim().linf(0.05).steps(10);                // Kurakin et al.: no random start, step ε/steps
 * miFgsm().linf(0.1).steps(10);              // Dong et al.: BIM with momentum 1.0
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

    /**
     * The momentum iterative FGSM (Dong et al. 2018): BIM whose steps follow an accumulated,
     * L1-normalised gradient, which transfers better and escapes poor local maxima.
     *
     * @return MI-FGSM with ε = 0.1 in L∞, 10 steps of ε/steps, momentum 1.0, to configure
     */
    public static PgdAttack miFgsm() {
        return new PgdAttack("mi-fgsm", Norm.LINF, 0.1, 10, Double.NaN, 1, false, -1, 1.0);
    }

    /**
     * DeepFool (Moosavi-Dezfooli et al. 2016), the minimal-perturbation attack: its norms
     * estimate each sample's distance to the decision boundary.
     *
     * @return uncapped L2 DeepFool, 50 iterations, overshoot 0.02, to configure
     */
    public static DeepFoolAttack deepFool() {
        return new DeepFoolAttack(Norm.L2, Double.POSITIVE_INFINITY, 50, 0.02);
    }

    /**
     * The Square attack (Andriushchenko et al. 2020): black-box, L∞, needs only the model's outputs.
     *
     * @return Square with ε = 0.1, 1,000 queries per sample, p_init 0.8, to configure
     */
    public static SquareAttack square() {
        return new SquareAttack(0.1, 1000, 0.8);
    }

    /**
     * Auto-PGD (Croce &amp; Hein 2020), with automatic step-size control and momentum.
     *
     * @return APGD-CE with ε = 0.1 in L∞ and 100 steps, to configure
     */
    public static ApgdAttack apgd() {
        return new ApgdAttack(Norm.LINF, 0.1, 100, ApgdAttack.Loss.CE, 1);
    }

    /**
     * The Carlini–Wagner L2 attack (Carlini &amp; Wagner 2017), a minimal-perturbation attack
     * optimised with Adam in tanh space with a binary search over its constant.
     *
     * @return uncapped C&amp;W L2 with c₀ = 1, 5 × 100 steps, learning rate 0.1, κ = 0, to configure
     */
    public static CarliniWagnerAttack carliniWagner() {
        return new CarliniWagnerAttack(Double.POSITIVE_INFINITY, 1.0, 5, 100, 0.1, 0);
    }

    /**
     * Runs attacks in turn, each only on the samples still classified correctly.
     *
     * @param attacks the attacks, sharing norm and ε, cheapest first
     * @return the cascade
     */
    public static CascadeAttack cascade(Attack... attacks) {
        return new CascadeAttack(List.of(attacks));
    }

    /**
     * An AutoAttack-style cascade in L∞: APGD-CE, then APGD-DLR, then Square (5,000 queries).
     * AutoAttack's own standard version runs targeted APGD-DLR and FAB-T in the middle; this one
     * uses untargeted APGD-DLR and has no FAB, so it can be slightly weaker. For two-class models,
     * where DLR is undefined, the second stage maximises the Carlini–Wagner margin instead.
     *
     * @param epsilon ε, at least 0
     * @return the cascade
     */
    public static CascadeAttack autoAttackStyle(double epsilon) {
        return cascade(apgd().linf(epsilon), apgd().linf(epsilon).loss(ApgdAttack.Loss.DLR_OR_MARGIN),
                square().linf(epsilon).queries(5000));
    }

    static double checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, got " + epsilon);
        }
        return epsilon;
    }

    static String format(double value) {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros()
                .toPlainString();
    }
}
