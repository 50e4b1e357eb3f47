package dev.gauntlet.junit;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models and datasets a test class declares with {@link GauntletModel} and
 * {@link GauntletData}, on static fields or static factory methods of the class, its
 * superclasses and, for nested classes, its enclosing classes. Validated when scanned, so
 * misuse fails the class with a message naming the member and the fix.
 */
final class Declarations {

    /** One declared model or dataset. */
    record Declaration(String name, Member member) {

        Object load(GauntletConfiguration configuration) {
            try {
                if (member instanceof Field field) {
                    field.setAccessible(true);
                    Object value = field.get(null);
                    if (value == null) {
                        throw new ExtensionConfigurationException("field " + describe(member)
                                + " is null; assign it in its declaration or a static initialiser");
                    }
                    return value;
                }
                Method method = (Method) member;
                method.setAccessible(true);
                Object value = method.getParameterCount() == 0 ? method.invoke(null) : method.invoke(null, configuration);
                if (value == null) {
                    throw new ExtensionConfigurationException("method " + describe(member) + " returned null");
                }
                return value;
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new ExtensionConfigurationException("method " + describe(member) + " failed: " + cause, cause);
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot read " + describe(member), e);
            }
        }
    }

    private final Map<String, Declaration> models;
    private final Map<String, Declaration> datasets;

    private Declarations(Map<String, Declaration> models, Map<String, Declaration> datasets) {
        this.models = models;
        this.datasets = datasets;
    }

    static Declarations scan(Class<?> testClass) {
        Map<String, Declaration> models = new LinkedHashMap<>();
        Map<String, Declaration> datasets = new LinkedHashMap<>();
        for (Class<?> type : hierarchy(testClass)) {
            for (Field field : type.getDeclaredFields()) {
                collect(field, field.getType(), models, datasets);
            }
            for (Method method : type.getDeclaredMethods()) {
                collect(method, method.getReturnType(), models, datasets);
            }
        }
        return new Declarations(models, datasets);
    }

    List<Declaration> models() {
        return List.copyOf(models.values());
    }

    List<Declaration> datasets() {
        return List.copyOf(datasets.values());
    }

    private static void collect(Member member, Class<?> type, Map<String, Declaration> models,
            Map<String, Declaration> datasets) {
        AnnotatedElement element = (AnnotatedElement) member;
        GauntletModel model = element.getAnnotation(GauntletModel.class);
        GauntletData data = element.getAnnotation(GauntletData.class);
        if (model != null && data != null) {
            throw new ExtensionConfigurationException(describe(member)
                    + " is annotated both @GauntletModel and @GauntletData; keep one");
        }
        if (model != null) {
            add(member, type, Classifier.class, GauntletModel.class, model.value(), models);
        } else if (data != null) {
            add(member, type, Dataset.class, GauntletData.class, data.value(), datasets);
        }
    }

    private static void add(Member member, Class<?> type, Class<?> required, Class<? extends Annotation> annotation,
            String explicitName, Map<String, Declaration> into) {
        String kind = member instanceof Field ? "field" : "method";
        String at = "@" + annotation.getSimpleName();
        if (!required.isAssignableFrom(type)) {
            throw new ExtensionConfigurationException(kind + " " + describe(member) + " is annotated " + at
                    + " but its type is " + type.getName() + "; it must be a " + required.getName());
        }
        if (!Modifier.isStatic(member.getModifiers())) {
            throw new ExtensionConfigurationException(kind + " " + describe(member) + " is annotated " + at
                    + " but is not static; declare it static so it is loaded once per class");
        }
        if (member instanceof Method method && !(method.getParameterCount() == 0
                || method.getParameterCount() == 1 && method.getParameterTypes()[0] == GauntletConfiguration.class)) {
            throw new ExtensionConfigurationException("method " + describe(member) + " is annotated " + at
                    + " but takes parameters; it may take none or one GauntletConfiguration");
        }
        String name = explicitName.isEmpty() ? member.getName() : explicitName;
        Declaration previous = into.putIfAbsent(name, new Declaration(name, member));
        if (previous != null && previous.member().getDeclaringClass() == member.getDeclaringClass()) {
            throw new ExtensionConfigurationException(at + " name '" + name + "' is declared twice, by "
                    + describe(previous.member()) + " and " + describe(member) + "; give them distinct names");
        }
    }

    private static List<Class<?>> hierarchy(Class<?> testClass) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> enclosing = testClass; enclosing != null; enclosing = enclosing.getEnclosingClass()) {
            for (Class<?> type = enclosing; type != null && type != Object.class; type = type.getSuperclass()) {
                types.add(type);
            }
        }
        return types;
    }

    static String describe(Member member) {
        return member.getDeclaringClass().getSimpleName() + "." + member.getName()
                + (member instanceof Method ? "()" : "");
    }
}
