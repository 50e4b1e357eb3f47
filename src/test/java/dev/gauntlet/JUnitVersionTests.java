package dev.gauntlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The build really runs on the JUnit it was asked for (5.14 by default, 6 with -Pjunit6). */
class JUnitVersionTests {

    @Test
    void runs_on_the_requested_junit_version() {
        String expected = System.getProperty("gauntlet.expectedJunitVersion");
        String actual = Test.class.getPackage().getImplementationVersion();
        System.out.printf("[gauntlet] JUnit Jupiter %s (requested %s)%n", actual, expected);
        assertThat(expected).as("surefire passes the requested version").isNotBlank();
        assertThat(actual).isEqualTo(expected);
    }
}
