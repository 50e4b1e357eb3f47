package dev.gauntlet.junit;

import dev.gauntlet.assertj.GauntletAssertions;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.Declarations.Declaration;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.report.allure.AllureResults;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link ModelTest}: scans the class's declarations before its tests,
 * resolves {@link Classifier}, {@link Dataset} and {@link GauntletConfiguration} parameters,
 * loads each declared model and dataset once per class (thread-safely, through the class's
 * store) and closes the models when the class ends.
 */
final class GauntletExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(GauntletExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        declarations(context);
        GauntletConfiguration configuration = configuration(context);
        AllureResults.prepare(configuration.reportDir(), GauntletReporting.facts(configuration));
    }

    /** Refreshes the report's per-model overview with every bar judged so far in this JVM. */
    @Override
    public void afterAll(ExtensionContext context) {
        AllureResults.writeOverview(configuration(context).reportDir());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        GauntletAssertions.setTestSeed(configuration(context).seed());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        GauntletAssertions.setTestSeed(null);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Classifier.class || type == Dataset.class || type == GauntletConfiguration.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == GauntletConfiguration.class) {
            return configuration(context);
        }
        Declarations declarations = declarations(context);
        if (type == Classifier.class) {
            String wanted = parameter.findAnnotation(GauntletModel.class).map(GauntletModel::value).orElse("");
            Declaration declaration = choose(declarations.models(), wanted, "model", "@GauntletModel", parameter);
            return loaded(context, declaration, LoadedModel.class).classifier();
        }
        String wanted = parameter.findAnnotation(GauntletData.class).map(GauntletData::value).orElse("");
        Declaration declaration = choose(declarations.datasets(), wanted, "dataset", "@GauntletData", parameter);
        return loaded(context, declaration, Dataset.class);
    }

    private static Declaration choose(List<Declaration> candidates, String wanted, String kind, String annotation,
            ParameterContext parameter) {
        String where = "parameter [" + parameter.getParameter() + "] of " + parameter.getDeclaringExecutable();
        List<Declaration> matching = wanted.isEmpty() ? candidates
                : candidates.stream().filter(d -> d.name().equals(wanted)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String declared = candidates.stream().map(Declaration::name).collect(Collectors.joining(", ", "[", "]"));
        if (matching.isEmpty() && candidates.isEmpty()) {
            throw new ParameterResolutionException("No " + kind + " for " + where + ": declare a static field or"
                    + " static method annotated " + annotation + " in the test class");
        }
        if (matching.isEmpty()) {
            throw new ParameterResolutionException("No " + kind + " named '" + wanted + "' for " + where
                    + "; declared: " + declared);
        }
        throw new ParameterResolutionException(matching.size() + " " + kind + "s could fill " + where + ": "
                + declared + "; name one with " + annotation + "(\"name\") on the parameter");
    }

    private static <T> T loaded(ExtensionContext context, Declaration declaration, Class<T> type) {
        ExtensionContext classContext = classContext(context);
        GauntletConfiguration configuration = configuration(context);
        Object value = classContext.getStore(NAMESPACE).getOrComputeIfAbsent(
                type.getSimpleName() + ":" + declaration.name(),
                key -> type == LoadedModel.class
                        ? new LoadedModel((Classifier) declaration.load(configuration))
                        : sampled((Dataset) declaration.load(configuration), declaration, configuration));
        return type.cast(value);
    }

    private static Dataset sampled(Dataset data, Declaration declaration, GauntletConfiguration configuration) {
        int annotated = ((AnnotatedElement) declaration.member())
                .getAnnotation(GauntletData.class).sampleSize();
        int limit = annotated > 0 ? annotated : configuration.sampleSize().orElse(Integer.MAX_VALUE);
        return data.size() > limit ? data.sample(limit, configuration.seed()) : data;
    }

    private static Declarations declarations(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Declarations.class,
                key -> Declarations.scan(classContext.getRequiredTestClass()), Declarations.class);
    }

    private static GauntletConfiguration configuration(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(GauntletConfiguration.class,
                key -> GauntletConfiguration.from(context::getConfigurationParameter), GauntletConfiguration.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent()) {
            current = current.getParent().orElseThrow();
        }
        return current;
    }

    /** A model owned by a class's store, closed when the class ends. */
    record LoadedModel(Classifier classifier) implements AutoCloseable {

        @Override
        public void close() {
            classifier.close();
        }
    }
}
