package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The registry of named drift tests: the names the gate and the drift command accept and what each runs. */
class DriftsTests {

    @Test
    void names_are_the_ones_a_spec_and_the_drift_command_accept() {
        assertThat(Drifts.Named.labels()).isEqualTo("ks, mmd, chi2 or mixed");
        assertThat(Drifts.Named.of("mmd")).contains(Drifts.Named.MMD);
        assertThat(Drifts.Named.of("KS")).isEmpty();
        assertThat(Drifts.Named.of("bbsd")).isEmpty();
    }

    @Test
    void a_gate_runs_ks_with_fdr_and_the_others_at_their_defaults() {
        assertThat(Drifts.Named.KS.standard().name()).isEqualTo("ks(p_val=0.05, fdr, asymp)");
        assertThat(Drifts.Named.MMD.standard().name()).isEqualTo("mmd(permutations=100, p_val=0.05)");
        assertThat(Drifts.Named.CHI2.standard().name()).isEqualTo("chi2(p_val=0.05, bonferroni)");
        assertThat(Drifts.Named.MIXED.standard().name())
                .isEqualTo("mixed(p_val=0.05, bonferroni, ks numeric, chi2 categorical)");
    }

    @Test
    void the_drift_command_sets_level_and_correction_where_the_test_has_one() {
        assertThat(Drifts.Named.KS.at(0.01, KsDrift.Correction.BONFERRONI).name())
                .isEqualTo("ks(p_val=0.01, bonferroni, asymp)");
        assertThat(Drifts.Named.MIXED.at(0.01, KsDrift.Correction.FDR).name())
                .isEqualTo("mixed(p_val=0.01, fdr, ks numeric, chi2 categorical)");
        assertThat(Drifts.Named.CHI2.at(0.01, KsDrift.Correction.FDR).name()).isEqualTo("chi2(p_val=0.01, bonferroni)");
        assertThat(Drifts.Named.MMD.at(0.2, KsDrift.Correction.FDR).name())
                .isEqualTo("mmd(permutations=100, p_val=0.2)");
    }
}
