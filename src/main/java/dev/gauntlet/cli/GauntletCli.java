package dev.gauntlet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code gauntlet} command line.
 *
 * <pre>
 * gauntlet gate spec.yaml [--out DIR] [--html]      results in DIR/runs/ID/, the last complete run's summary in DIR
 * exit status of every command: 0 passed, 1 a check failed, 2 bad usage, spec, data or model
 * gauntlet drift --reference a.csv --current b.csv [--test ks|mmd|chi2]
 * gauntlet calibration --probabilities p.csv --labels y.csv
 * gauntlet trust --train train.csv --test scored.csv --classes N
 * gauntlet --verbose ...                             log at info level (default: errors only)
 * </pre>
 *
 * <p>Logging: the distribution ships slf4j-simple (the library itself binds no logger), and
 * {@link #main(String[])} and {@code bin/gauntlet} set it to errors only; {@code --verbose}
 * raises it to info, before DJL or anything else creates a logger.
 */
@Command(name = "gauntlet", mixinStandardHelpOptions = true, version = "gauntlet 0.1.0",
        description = "Robustness quality gates for machine-learning models.")
public final class GauntletCli {

    /** slf4j-simple's level property, read once when the first logger is created. */
    static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private GauntletCli() {}

    /**
     * Raises logging to info; a global option, accepted before or after the command's name.
     *
     * @param verbose whether {@code --verbose} was given
     */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "log at info level (DJL's engine, model loading); default: errors only")
    void verbose(boolean verbose) {
        if (verbose) {
            System.setProperty(LOG_LEVEL, "info");
        }
    }

    /**
     * Runs a command and returns its exit status (for tests and embedding).
     *
     * @param stdout where results go
     * @param stderr where errors go
     * @param args the command line
     * @return the exit status
     */
    public static int run(PrintStream stdout, PrintStream stderr, String... args) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        CommandLine line = new CommandLine(new GauntletCli());
        line.addSubcommand("gate", new GateCommand(stdout, stderr));
        line.addSubcommand("drift", new MetricCommands.Drift(stdout, stderr));
        line.addSubcommand("calibration", new MetricCommands.CalibrationCommand(stdout, stderr));
        line.addSubcommand("trust", new MetricCommands.Trust(stdout, stderr));
        line.setOut(new PrintWriter(stdout, true));
        line.setErr(new PrintWriter(stderr, true));
        // exit 1 means a check failed, and only that: a command that throws could not judge its input
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = e instanceof IOException io ? Problems.describe(io)
                    : e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            stderr.println("gauntlet " + cmd.getCommandName() + ": " + message);
            return GateCommand.BAD_SPEC;
        });
        try {
            return line.execute(args);
        } catch (OutOfMemoryError e) {
            // the size checks should make this unreachable; if input still outgrows the heap, say so instead of a
            // JVM crash with status 1 (which would read as "a check failed")
            stderr.println("gauntlet: out of memory (" + e.getMessage() + "); the input is larger than the JVM's"
                    + " heap allows: subsample it (the data's limit:, --sample) or raise -Xmx (JAVA_OPTS)");
            return GateCommand.BAD_SPEC;
        } catch (StackOverflowError | LinkageError e) {
            // a native library that does not load, a nesting too deep: not a failed check, so not exit 1
            stderr.println("gauntlet: cannot run: " + e);
            return GateCommand.BAD_SPEC;
        }
    }

    /**
     * The entry point.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "error");
        }
        System.exit(run(System.out, System.err, args));
    }
}
