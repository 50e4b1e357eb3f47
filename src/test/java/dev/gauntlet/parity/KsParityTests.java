package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.shift.FeatureTest;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.internal.KolmogorovSmirnov;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauntlet's Kolmogorov–Smirnov p-values against scipy 1.10.1's, case by case, from
 * {@code src/test/resources/parity/ks.json} (written by {@code src/test/python/parity/ks_parity.py};
 * its header says how to rerun it).
 */
class KsParityTests {

    private static JsonObject reference;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = KsParityTests.class.getResourceAsStream("/parity/ks.json")) {
            assertThat(in).as("parity/ks.json on the test classpath").isNotNull();
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        assertThat(reference.get("scipy").getAsString()).isEqualTo("1.10.1");
    }

    /** kstwo.sf(d, n): 1e-6 absolute everywhere, 1e-6 relative wherever scipy's sf exceeds 1e-300. */
    @Test
    void kolmogorov_sf_matches_scipy_kstwo_sf() {
        JsonArray cases = reference.getAsJsonArray("kstwo");
        assertThat(cases.size()).isGreaterThan(2000);
        Map<String, double[]> worst = new TreeMap<>(); // regime -> {max abs, max rel, count}
        List<String> failures = new ArrayList<>();
        for (JsonElement element : cases) {
            JsonArray c = element.getAsJsonArray();
            int n = c.get(0).getAsInt();
            double d = c.get(1).getAsDouble();
            double expected = c.get(2).getAsDouble();
            double actual = KolmogorovSmirnov.twoSidedSf(d, n);
            double abs = Math.abs(actual - expected);
            double rel = expected > 1e-300 ? abs / expected : 0;
            double[] w = worst.computeIfAbsent(regime(n, d), k -> new double[3]);
            w[0] = Math.max(w[0], abs);
            w[1] = Math.max(w[1], rel);
            w[2]++;
            if (!(abs <= 1e-6 && rel <= 1e-6)) {
                failures.add(String.format(Locale.ROOT, "n=%d d=%s: scipy %s, ours %s (rel %.2e)", n, d, expected,
                        actual, rel));
            }
        }
        report("kstwo.sf", worst);
        assertThat(failures).as("kstwo.sf cases off scipy").isEmpty();
    }

    /** ks_2samp through KsDrift on float32 data: statistic to 1e-12, p-value to 1e-6, same method. */
    @Test
    void drift_test_matches_scipy_ks_2samp_for_every_method() {
        JsonArray cases = reference.getAsJsonArray("ks2samp");
        assertThat(cases.size()).isGreaterThan(50);
        Map<String, double[]> worst = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            Dataset a = dataset(c.getAsJsonArray("a"));
            Dataset b = dataset(c.getAsJsonArray("b"));
            for (String method : List.of("asymp", "exact", "auto")) {
                if (c.get(method).isJsonNull()) {
                    continue;
                }
                JsonObject expected = c.getAsJsonObject(method);
                KsDrift test = switch (method) {
                    case "asymp" -> KsDrift.ks().asymp();
                    case "exact" -> KsDrift.ks().exact();
                    default -> KsDrift.ks().auto();
                };
                DriftResult result = test.test(a, b);
                FeatureTest feature = result.features().get(0);
                double statistic = expected.get("statistic").getAsDouble();
                double p = expected.get("pvalue").isJsonNull() ? Double.NaN : expected.get("pvalue").getAsDouble();
                double statisticError = Math.abs(feature.statistic() - statistic);
                double pError = Double.isNaN(p) && Double.isNaN(feature.pValue()) ? 0 : Math.abs(feature.pValue() - p);
                double[] w = worst.computeIfAbsent(method + " → " + expected.get("method").getAsString(),
                        k -> new double[3]);
                w[0] = Math.max(w[0], pError);
                w[1] = Math.max(w[1], statisticError);
                w[2]++;
                checked++;
                if (!(statisticError <= 1e-12 && pError <= 1e-6)
                        || !feature.method().equals(expected.get("method").getAsString())) {
                    failures.add(String.format(Locale.ROOT, "%s, %s: scipy (%s, %s, %s), ours (%s, %s, %s)",
                            c.get("name").getAsString(), method, statistic, p, expected.get("method").getAsString(),
                            feature.statistic(), feature.pValue(), feature.method()));
                }
            }
        }
        report("ks_2samp (p abs, statistic abs)", worst);
        assertThat(checked).isGreaterThan(150);
        assertThat(failures).as("ks_2samp cases off scipy").isEmpty();
    }

    /** Which of scipy's _kolmogn algorithms computes sf(d, n). */
    private static String regime(int n, double x) {
        double t = n * x;
        if (x >= 1 || x <= 0 || t <= 0.5) {
            return "0 or 1";
        }
        if (t <= 1) {
            return "Ruben-Gambino low";
        }
        if (t >= n - 1) {
            return "Ruben-Gambino high";
        }
        if (x >= 0.5) {
            return "2 smirnov";
        }
        double nxSquared = t * x;
        if (n <= 140) {
            return nxSquared <= 0.754693 ? "Durbin" : nxSquared <= 4 ? "Pomeranz" : "2 smirnov";
        }
        if (nxSquared >= 370) {
            return "0 or 1";
        }
        if (nxSquared >= 2.2) {
            return "2 smirnov";
        }
        return n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4 ? "Durbin" : "Pelz-Good";
    }

    private static void report(String what, Map<String, double[]> worst) {
        StringBuilder text = new StringBuilder("largest deviation from scipy, " + what + ":");
        worst.forEach((regime, w) -> text.append(String.format(Locale.ROOT, "%n  %-28s %9.2e %9.2e  (%d cases)",
                regime, w[0], w[1], (int) w[2])));
        System.out.println(text);
    }

    private static Dataset dataset(JsonArray values) {
        float[][] rows = new float[values.size()][1];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = Float.parseFloat(values.get(i).getAsString());
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2).build();
    }
}
