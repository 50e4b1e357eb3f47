package dev.gauntlet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a model of a {@link ModelTest} class — on a static field of type
 * {@link dev.gauntlet.model.Classifier}, or a static method returning one (taking no parameter
 * or a {@link GauntletConfiguration}) — or, on a test parameter, names which model it wants.
 *
 * <p>A declared model is loaded once per test class and closed after it.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GauntletModel {

    /**
     * The model's name; by default the field or method name. On a parameter, the model to inject.
     *
     * @return the name, or "" for the default
     */
    String value() default "";
}
