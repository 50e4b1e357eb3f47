package dev.gauntlet.cli;

import dev.gauntlet.GauntletException;
import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ShapeMismatchException;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.allure.AllureResults;
import dev.gauntlet.report.Json;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code gauntlet gate spec.yaml}: loads the model and data a YAML spec names, runs its checks,
 * prints a summary table, writes Allure results, a JSON summary and (with {@code --html}) an HTML
 * summary. Exit status 0 when no check fails (a check the model cannot run, such as a gradient attack
 * on an ONNX model, is skipped with its reason), 1 when one fails, 2 for a spec that cannot run: a
 * malformed spec, or a model or data file that does not load (the message names the line and the field).
 */
@Command(name = "gate", mixinStandardHelpOptions = true, description = "Run a quality gate from a YAML spec; exit"
        + " status 0 when no check fails (skipped checks do not), 1 when one fails, 2 for a bad spec or a model or"
        + " data file that does not load.")
final class GateCommand implements Callable<Integer> {

    static final int PASSED = 0;
    static final int FAILED = 1;
    static final int BAD_SPEC = 2;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the gate spec (YAML)")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: gauntlet-out)")
    Path out = Path.of("gauntlet-out");

    @Option(names = "--html", description = "also write an HTML summary, DIR/report.html")
    boolean html;

    @Option(names = "--results", paramLabel = "DIR", description = "Allure results folder (default:"
            + " OUT/runs/<id>/allure-results)")
    Path allureResults;

    @Option(names = "--history", paramLabel = "FILE", description = "headline metrics of the last runs, kept across"
            + " builds for trend charts (default: OUT/history.json; cache it in CI)")
    Path historyFile;

    @Option(names = "--fail-on-warning", description = "exit 1 when a soft bar (warn: true) is missed, too")
    boolean failOnWarning;

    private final PrintStream stdout;
    private final PrintStream stderr;

    GateCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException {
        Plan plan;
        String digest;
        try {
            plan = plan(spec);
            digest = RunFolder.sha256(spec);
        } catch (SpecException e) {
            stderr.println("gauntlet: bad spec " + spec + ": " + e.getMessage());
            return BAD_SPEC;
        }
        RunFolder run;
        try {
            Files.createDirectories(out);
            run = RunFolder.start(out, spec, digest);
        } catch (IOException e) {
            stderr.println("gauntlet: cannot write the results to --out " + out + ": " + Problems.describe(e)
                    + "; name a folder you can write");
            return BAD_SPEC;
        }
        Path results = allureResults != null ? allureResults : run.dir().resolve("allure-results");
        Files.createDirectories(results);
        List<String> warnings = new ArrayList<>(plan.warnings);
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        // the checks record evidence through Allure's global lifecycle: point it at this gate's results for the
        // run, and give the caller's back afterwards (a gate run inside a test must not steal that test's evidence)
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        List<CheckResult> outcomes = new ArrayList<>();
        List<String> resultIds = new ArrayList<>();
        Map<String, Object> provenance;
        long start = System.nanoTime();
        try (Classifier model = plan.model.load();
                Classifier baseline = plan.baseline == null ? null : plan.baseline.load()) {
            Dataset test = Inputs.data(plan.test, plan.base, plan.seed);
            Dataset train = plan.train == null ? null : Inputs.data(plan.train, plan.base, plan.seed);
            requireFits(model, test, plan.test);
            if (train != null) {
                requireFits(model, train, plan.train);
            }
            if (baseline != null) {
                requireFits(baseline, test, plan.test);
            }
            provenance = Provenance.of(model, test, train, plan.seed);
            AllureResults.prepare(results, Provenance.environment(provenance, run.description()));
            List<Label> labels = List.of(new Label().setName("suite").setValue("gauntlet gate"),
                    new Label().setName("model").setValue(model.fingerprint().substring(0, 12)),
                    new Label().setName("engine").setValue(model.computeTarget().engineName()),
                    new Label().setName("run").setValue(run.id()));
            for (GateCheck check : plan.checks) {
                warnings.addAll(check.warnings(test));
            }
            for (String warning : warnings) {
                stderr.println("gauntlet: warning: " + spec + ": " + warning);
            }
            stdout.printf("gauntlet gate %s: %s on %s (%d samples), %d checks; run %s%n", spec.getFileName(), model,
                    test.name(), test.size(), plan.checks.size(), run.id());
            for (int i = 0; i < plan.checks.size(); i++) {
                GateCheck check = plan.checks.get(i);
                progress(i, plan.checks.size(), check.name());
                String id = UUID.randomUUID().toString();
                resultIds.add(id);
                CheckResult outcome = runReported(lifecycle, id, labels, check, model, baseline, test, train,
                        plan.seed);
                outcomes.add(outcome);
                if (outcome.skipped()) {
                    stdout.printf("%-4s  %-58s %s (%s %.4g)  skipped%n", outcome.status().label(),
                            abbreviate(outcome.name(), 58), outcome.metric(), outcome.comparison(),
                            outcome.threshold());
                } else {
                    stdout.printf("%-4s  %-58s %s %.4g (%s %.4g)  %5.1f s%n", outcome.status().label(),
                            abbreviate(outcome.name(), 58), outcome.metric(), outcome.value(), outcome.comparison(),
                            outcome.threshold(), outcome.seconds());
                }
                if (!outcome.passed()) {
                    stdout.println("      " + outcome.message().strip().replace("\n", "\n      "));
                }
            }
        } catch (SpecException e) {
            // with a cause: the model or data the spec names does not load (missing or unreadable file, unknown
            // format, engine or natives missing, a shape that does not fit); the message names the field
            stderr.println("gauntlet: " + (e.getCause() == null ? "bad spec " : "cannot run ") + spec + ": "
                    + e.getMessage() + "; run " + run.id() + " stopped, incomplete");
            run.stop(e.getMessage());
            return BAD_SPEC;
        } catch (GauntletException e) {
            stderr.println("gauntlet: cannot run " + spec + ": " + e.getMessage() + "; run " + run.id()
                    + " stopped, incomplete");
            run.stop(e.getMessage());
            return BAD_SPEC;
        } catch (RuntimeException | Error e) {
            run.stop(String.valueOf(e));
            throw e;
        } finally {
            Allure.setLifecycle(previous);
        }
        try {
            return finish(run, results, lifecycle, outcomes, resultIds, provenance, warnings,
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException e) {
            run.stop("the checks ran but their results could not be written: " + e);
            throw e;
        }
    }

    /** Writes the run's summary, history, report and JUnit XML, prints the totals and returns the exit status. */
    private int finish(RunFolder run, Path results, AllureLifecycle lifecycle, List<CheckResult> outcomes,
            List<String> resultIds, Map<String, Object> provenance, List<String> warnings, double seconds)
            throws IOException {
        long failed = outcomes.stream().filter(CheckResult::failed).count();
        long skipped = outcomes.stream().filter(CheckResult::skipped).count();
        long warned = outcomes.stream().filter(CheckResult::warned).count();
        long passed = outcomes.size() - failed - skipped - warned;
        @SuppressWarnings("unchecked")
        String fingerprint = String.valueOf(((Map<String, Object>) provenance.get("model")).get("fingerprint"));
        Path history = historyFile != null ? historyFile : out.resolve("history.json");
        List<LineChart> trends = List.of();
        try {
            trends = History.append(history, History.entry(run.description(), fingerprint, outcomes), warnings)
                    .trends();
        } catch (IOException e) {
            warnings.add("history " + history + " not updated: " + Problems.describe(e));
        }
        if (!trends.isEmpty()) {
            resultIds.add(reportTrends(lifecycle, trends, run.id()));
        }
        Map<String, Object> summary = Fields.of(
                "spec", spec.toString(),
                "passed", failed == 0 && (warned == 0 || !failOnWarning),
                "counts", Fields.of("passed", passed, "failed", failed, "skipped", skipped, "warned", warned),
                "seconds", seconds,
                "run", run.description(),
                "provenance", provenance,
                "history", history.toString(),
                "warnings", warnings,
                "checks", outcomes.stream().map(CheckResult::toMap).toList());
        run.complete(Json.write(summary), html ? HtmlSummary.render(spec.toString(), run.description(), outcomes,
                results, resultIds) : null, JunitXml.render(spec.getFileName().toString(), run.id(), run.started(),
                seconds, outcomes));
        stdout.printf("%n%d passed, %d failed, %d skipped, %d warned in %.1f s; %d warnings; results in %s%n", passed,
                failed, skipped, warned, seconds, warnings.size(), run.dir().toAbsolutePath());
        return failed == 0 && (warned == 0 || !failOnWarning) ? PASSED : FAILED;
    }

    /** Refuses data whose samples or classes do not fit the model, before any check runs. */
    private static void requireFits(Classifier model, Dataset data, SpecNode node) {
        if (!data.sampleShape().equals(model.inputShape())) {
            throw node.error("holds samples of shape " + data.sampleShape() + " but the model " + model + " takes "
                    + model.inputShape() + "; name the data the model was trained on, or fix inputShape");
        }
        if (data.numClasses() != model.numClasses()) {
            throw node.error("declares " + data.numClasses() + " classes but the model " + model + " has "
                    + model.numClasses() + "; make classes: agree");
        }
    }

    /** Writes an Allure result holding the trend charts of this spec's checks over the last runs; returns its id. */
    private static String reportTrends(AllureLifecycle lifecycle, List<LineChart> trends, String runId) {
        String uuid = UUID.randomUUID().toString();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("trends over the last runs")
                .setFullName("gauntlet gate: trends").setHistoryId("gauntlet-gate-trends")
                .setLabels(new ArrayList<>(List.of(new Label().setName("suite").setValue("gauntlet gate"),
                        new Label().setName("run").setValue(runId)))));
        lifecycle.startTestCase(uuid);
        for (LineChart trend : trends) {
            lifecycle.addAttachment(trend.title(), "image/png", "png", trend.png());
        }
        lifecycle.updateTestCase(uuid, r -> r.setStatus(Status.PASSED));
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        return uuid;
    }

    private void progress(int done, int total, String next) {
        int width = 20;
        int filled = width * done / total;
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        if (System.console() != null) {
            stdout.printf("\r[%s] %d/%d %s ...", bar, done, total, abbreviate(next, 50));
            stdout.print("\r" + " ".repeat(90) + "\r");
        } else {
            stdout.printf("[%s] %d/%d %s%n", bar, done, total, next);
        }
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    /** Runs a check as an Allure test case, so the assertions' evidence lands in the results. */
    private static CheckResult runReported(AllureLifecycle lifecycle, String uuid, List<Label> labels,
            GateCheck check, Classifier model, Classifier baseline, Dataset test, Dataset train, long seed) {
        TestResult result = new TestResult().setUuid(uuid).setName(check.name()).setFullName("gauntlet gate: "
                + check.name()).setHistoryId(Integer.toHexString(check.name().hashCode()))
                .setLabels(new ArrayList<>(labels));
        lifecycle.scheduleTestCase(result);
        lifecycle.startTestCase(uuid);
        CheckResult outcome;
        try {
            outcome = check.run(model, baseline, test, train, seed);
            CheckResult finished = outcome;
            Status status = switch (finished.status()) {
                case PASSED, WARNED -> Status.PASSED;
                case FAILED -> Status.FAILED;
                case SKIPPED -> Status.SKIPPED;
            };
            // a missed soft bar passes with a "warning:" message: the report's soft-bar category picks it up
            String message = finished.warned() ? "warning: " + finished.message() : finished.message();
            lifecycle.updateTestCase(uuid, r -> r.setStatus(status)
                    .setStatusDetails(new StatusDetails().setMessage(message)));
        } catch (ShapeMismatchException | InvalidDataException | DataFormatException e) {
            // the data does not fit the model or the check: bad input, which stops the gate with exit 2
            lifecycle.updateTestCase(uuid, r -> r.setStatus(Status.BROKEN)
                    .setStatusDetails(new StatusDetails().setMessage(String.valueOf(e))));
            throw e;
        } catch (RuntimeException e) {
            lifecycle.updateTestCase(uuid, r -> r.setStatus(Status.BROKEN)
                    .setStatusDetails(new StatusDetails().setMessage(String.valueOf(e))));
            outcome = new CheckResult(check.name(), CheckResult.Status.FAILED, "error", Double.NaN, "", Double.NaN, 0,
                    String.valueOf(e));
        } finally {
            lifecycle.stopTestCase(uuid);
            lifecycle.writeTestCase(uuid);
        }
        return outcome;
    }

    /** A parsed spec: what to load, which checks to run, and what in it deserves a warning. */
    record Plan(Path base, Inputs.ModelSource model, Inputs.ModelSource baseline, SpecNode test, SpecNode train,
            long seed, List<GateCheck> checks, List<String> warnings) {}

    /** A spec is a page of YAML; a larger file is refused before it is parsed. */
    static final long MAX_SPEC_BYTES = 1L << 20;

    static Plan plan(Path file) {
        Node root;
        try {
            if (Files.isDirectory(file)) {
                throw new SpecException(0, "(file)", file + " is a folder; name the spec file (YAML) inside it");
            }
            long size = Files.size(file);
            if (size > MAX_SPEC_BYTES) {
                throw new SpecException(0, "(file)", file + " is " + size + " bytes; a spec is at most "
                        + MAX_SPEC_BYTES + " bytes of YAML (is this the right file?)");
            }
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setNestingDepthLimit(20);
            try (Reader reader = new InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT))) {
                root = new Yaml(options).compose(reader);
            }
        } catch (MarkedYAMLException e) {
            throw new SpecException(e.getProblemMark().getLine() + 1, "(syntax)", e.getProblem());
        } catch (YAMLException e) {
            throw new SpecException(0, "(syntax)", e.getCause() instanceof CharacterCodingException
                    ? file + " is not UTF-8 text; save the spec as UTF-8" : e.getMessage());
        } catch (IOException e) {
            throw new SpecException(0, "(file)", "cannot read " + file + ": " + Problems.describe(e));
        }
        if (root == null) {
            throw new SpecException(1, "(root)", "the spec is empty; it needs model, data and checks");
        }
        SpecNode spec = new SpecNode(root, "");
        spec.only(Set.of("model", "baseline", "data", "seed", "checks"));
        SpecNode data = spec.required("data").only(Set.of("test", "train"));
        SpecNode train = data.optional("train");
        List<GateCheck> checks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<SpecNode> items = spec.required("checks").list();
        if (items.isEmpty()) {
            throw spec.required("checks").error("lists no check");
        }
        SpecNode baselineNode = spec.optional("baseline");
        for (SpecNode item : items) {
            checks.add(GateCheck.parse(item, train != null, baselineNode != null, warnings));
        }
        Path base = file.toAbsolutePath().getParent();
        Inputs.ModelSource model = Inputs.model(spec.required("model"), base);
        Inputs.ModelSource baseline = baselineNode == null ? null : Inputs.model(baselineNode, base);
        SpecNode seed = spec.optional("seed");
        return new Plan(base, model, baseline, data.required("test"), train, seed == null ? 0 : seed.longInteger(),
                checks, List.copyOf(warnings));
    }
}
