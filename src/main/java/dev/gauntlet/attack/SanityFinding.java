package dev.gauntlet.attack;

/**
 * The outcome of one sanity check of an attack evaluation.
 *
 * @param check what was checked, e.g. "iterative attack at least as strong as single-step"
 * @param passed whether the evaluation passed it
 * @param detail the numbers behind the verdict
 */
public record SanityFinding(String check, boolean passed, String detail) {}
