package dev.gauntlet.assertj;

import dev.gauntlet.attack.Attack;

import java.util.Objects;

/**
 * What a robustness assertion judges: a classifier on a dataset under one attack.
 *
 * @param target the model and data
 * @param attack the attack
 */
public record ModelUnderAttack(ModelOnData target, Attack attack) {

    /** Validates the parts. */
    public ModelUnderAttack {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(attack, "attack");
    }

    @Override
    public String toString() {
        return target + " under " + attack.name();
    }
}
