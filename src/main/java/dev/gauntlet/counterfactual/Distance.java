package dev.gauntlet.counterfactual;

/** How far a counterfactual is from its sample. */
public enum Distance {
    /** Σ|δ_j|, alibi's default for Wachter counterfactuals. */
    L1,
    /** Σ|δ_j| / MAD_j: L1 scaled by each feature's median absolute deviation (Wachter et al. 2017). */
    MAD_L1,
    /** ‖δ‖₂, the Euclidean distance. */
    L2;

    /** Reads this distance off a counterfactual. */
    double of(Counterfactual counterfactual) {
        return switch (this) {
            case L1 -> counterfactual.l1();
            case MAD_L1 -> counterfactual.madL1();
            case L2 -> counterfactual.l2();
        };
    }
}
