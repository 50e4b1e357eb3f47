package dev.gauntlet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The report-to-map mechanism: argument order kept, a repeated or value-less name refused. */
class FieldsTests {

    @Test
    void keeps_the_order_of_the_arguments_and_null_values() {
        Map<String, Object> map = Fields.of("zeta", 1, "alpha", 0.5, "missing", null, "beta", new int[] {2, 3});
        assertThat(new ArrayList<>(map.keySet())).containsExactly("zeta", "alpha", "missing", "beta");
        assertThat(map).containsEntry("zeta", 1).containsEntry("alpha", 0.5).containsEntry("missing", null);
        assertThat(Json.write(map)).isEqualTo("{\"zeta\":1,\"alpha\":0.5,\"missing\":null,\"beta\":[2,3]}");
    }

    @Test
    void an_array_value_stays_one_value() {
        double[] radii = {0.25, 0.5};
        Object[] names = {"a", "b"};
        Map<String, Object> map = Fields.of("radii", radii, "names", names);
        assertThat(map).hasSize(2);
        assertThat(map.get("radii")).isSameAs(radii);
        assertThat(map.get("names")).isSameAs(names);
    }

    @Test
    void returns_a_new_map_the_caller_may_extend() {
        Map<String, Object> first = Fields.of("samples", 10);
        first.put("message", "added by the caller");
        assertThat(Fields.of("samples", 10)).containsOnlyKeys("samples");
        assertThat(new ArrayList<>(first.keySet())).containsExactly("samples", "message");
        assertThat(Fields.of()).isEmpty();
    }

    @Test
    void refuses_a_repeated_name() {
        assertThatThrownBy(() -> Fields.of("samples", 200, "accuracy", 0.9, "samples", 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("field samples is named twice");
    }

    @Test
    void refuses_a_name_without_a_value() {
        assertThatThrownBy(() -> Fields.of("samples", 200, "accuracy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("names and values must alternate, but 3 arguments leave the name accuracy without a value");
    }

    @Test
    void refuses_a_name_that_is_not_a_string() {
        List<Object> arguments = Arrays.asList("samples", 200, 7, "seven");
        assertThatThrownBy(() -> Fields.of(arguments.toArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 2 must be a field name (a string), but is 7");
        assertThatThrownBy(() -> Fields.of(null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 0 must be a field name (a string), but is null");
    }
}
