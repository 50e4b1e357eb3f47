package dev.gauntlet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Arg-max takes the first of tied values; softmax equals its closed form and stays finite for huge logits. */
class LogitsTests {

    @Test
    void arg_max_takes_the_first_of_ties_and_reads_a_row_of_a_flat_batch() {
        assertThat(Logits.argMax(new float[] {1, 3, 3, 2})).isEqualTo(1);
        assertThat(Logits.argMax(new float[] {-5})).isZero();
        assertThat(Logits.argMax(new float[] {9, 9, 0, 1, 7, 7}, 3, 3)).isEqualTo(1);
    }

    @Test
    void softmax_is_the_normalised_exponential_even_for_logits_that_overflow_float_exp() {
        float[] p = Logits.softmax(new float[] {0f, (float) Math.log(3)});
        assertThat(p[0]).isCloseTo(0.25f, within(1e-7f));
        assertThat(p[1]).isCloseTo(0.75f, within(1e-7f));
        float[] huge = Logits.softmax(new float[] {1000f, 1000f, 0f});
        assertThat(huge).containsExactly(0.5f, 0.5f, 0f);
        float[] input = {2f, 1f};
        Logits.softmax(input);
        assertThat(input).containsExactly(2f, 1f);
    }
}
