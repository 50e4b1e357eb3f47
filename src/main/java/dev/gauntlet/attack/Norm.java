package dev.gauntlet.attack;

/** The norm a perturbation budget ε is measured in. */
public enum Norm {
    /** The largest absolute change of any feature. */
    LINF,
    /** The Euclidean length of the change. */
    L2;

    /** @return a short label, {@code linf} or {@code l2} */
    public String label() {
        return this == LINF ? "linf" : "l2";
    }
}
