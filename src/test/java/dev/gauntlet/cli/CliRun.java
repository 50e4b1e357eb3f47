package dev.gauntlet.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the {@code gauntlet} command line, for tests.
 *
 * @param status the exit status
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CliRun(int status, String out, String err) {

    /**
     * Runs a command line.
     *
     * @param args the arguments
     * @return the status and output
     */
    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GauntletCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Parses standard output as one JSON object.
     *
     * @return the object
     */
    JsonObject json() {
        return JsonParser.parseString(out).getAsJsonObject();
    }
}
