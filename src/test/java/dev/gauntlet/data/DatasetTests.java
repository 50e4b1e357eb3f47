package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

class DatasetTests {

    /** 100 samples of 2 features: sample i = (i, -i), label i % 4. */
    private static Dataset ramp() {
        float[][] rows = new float[100][];
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            rows[i] = new float[] {i, -i};
            labels[i] = i % 4;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(4).optName("ramp").build();
    }

    @Test
    void the_builder_copies_its_inputs() {
        float[] features = {0.1f, 0.2f};
        int[] labels = {1, 0};
        Dataset data = Dataset.builder().setFeatures(features, 1).setLabels(labels).setNumClasses(2).build();
        features[0] = 0.9f;
        labels[0] = 0;
        assertThat(data.features(0)).containsExactly(0.1f);
        assertThat(data.label(0)).isEqualTo(1);
        data.labels()[0] = 1;
        assertThat(data.label(0)).isEqualTo(1);
    }

    @Test
    void invalid_values_are_reported_with_their_position() {
        var builder = Dataset.builder().setLabels(new int[] {0, 1}).setNumClasses(2).optName("bad");
        assertThatThrownBy(() -> builder.setFeatures(new float[] {0, 1, Float.NaN, 0}, 2).build())
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("feature 0 of sample 1 is NaN").hasMessageContaining("'bad'");
        assertThatThrownBy(() -> builder.setFeatures(new float[] {0, Float.POSITIVE_INFINITY}, 1).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> builder.setFeatures(new float[] {0, 2}, 1).optBounds(ValueBounds.unit()).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("outside the bounds");
        assertThatThrownBy(() -> builder.setFeatures(new float[] {0, 1, 2}, 1).optBounds(ValueBounds.unbounded()).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("need 2");
        assertThatThrownBy(() -> Dataset.builder().setFeatures(new float[0], 1).setLabels(new int[0]).setNumClasses(2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Dataset.builder().setFeatures(new float[] {0}, 1).setLabels(new int[] {-1}).setNumClasses(2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("outside [0, 2)");
        assertThatThrownBy(() -> ValueBounds.of(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inverted");
    }

    @Test
    void split_is_stratified_disjoint_and_seeded() {
        Dataset data = ramp();
        DatasetSplit split = data.split(0.2, 7);
        assertThat(split.test().size()).isEqualTo(20);
        assertThat(split.test().classCounts()).containsExactly(5, 5, 5, 5);
        Set<Float> seen = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertThat(seen.add(part.features(i)[0])).isTrue();
                assertThat((int) part.features(i)[0] % 4).isEqualTo(part.label(i));
            }
        }
        assertThat(seen).hasSize(100);
        assertThat(data.split(0.2, 7).test().labels()).containsExactly(split.test().labels());
        assertThat(firstFeatures(data.split(0.2, 7).test())).containsExactly(firstFeatures(split.test()));
        assertThat(firstFeatures(data.split(0.2, 8).test())).isNotEqualTo(firstFeatures(split.test()));
    }

    @Test
    void sample_draws_distinct_samples_reproducibly() {
        Dataset data = ramp();
        float[] a = firstFeatures(data.sample(30, 1));
        assertThat(a).doesNotHaveDuplicates().hasSize(30);
        assertThat(firstFeatures(data.sample(30, 1))).containsExactly(a);
        assertThat(firstFeatures(data.sample(30, 2))).isNotEqualTo(a);
        assertThatThrownBy(() -> data.sample(101, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 100]");
    }

    @Test
    void batches_cover_every_sample_once_and_become_arrays() {
        Dataset data = ramp();
        List<Batch> batches = data.batches(32);
        assertThat(batches).hasSize(4);
        assertThat(batches.get(3).size()).isEqualTo(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch last = batches.get(3);
            assertThat(last.features(manager).getShape().getShape()).containsExactly(4, 2);
            assertThat(last.features(manager).toFloatArray()).containsExactly(96, -96, 97, -97, 98, -98, 99, -99);
            assertThat(last.labels(manager).toIntArray()).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void standardizer_gives_zero_mean_unit_variance_with_training_statistics() {
        Dataset data = ramp();
        Standardizer standardizer = Standardizer.fit(data);
        assertThat(standardizer.means()[0]).isCloseTo(49.5, within(1e-9));
        // population std of 0..99 = sqrt((100^2 - 1) / 12)
        assertThat(standardizer.stds()[0]).isCloseTo(Math.sqrt((100.0 * 100 - 1) / 12), within(1e-9));
        Dataset scaled = standardizer.transform(data);
        double sum = IntStream.range(0, 100).mapToDouble(i -> scaled.features(i)[1]).sum();
        double sumSq = IntStream.range(0, 100).mapToDouble(i -> Math.pow(scaled.features(i)[1], 2)).sum();
        assertThat(sum / 100).isCloseTo(0, within(1e-5));
        assertThat(sumSq / 100).isCloseTo(1, within(1e-5));
        assertThat(data.features(10)).as("input unchanged").containsExactly(10, -10);
        assertThat(scaled.labels()).containsExactly(data.labels());
    }

    private static float[] firstFeatures(Dataset data) {
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.features(i)[0];
        }
        return Arrays.copyOf(values, values.length);
    }
}
