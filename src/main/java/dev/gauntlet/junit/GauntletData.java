package dev.gauntlet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a dataset of a {@link ModelTest} class — on a static field of type
 * {@link dev.gauntlet.data.Dataset}, or a static method returning one (taking no parameter or a
 * {@link GauntletConfiguration}) — or, on a test parameter, names which dataset it wants.
 *
 * <pre>{@code
 * @GauntletData(value = "test", sampleSize = 1000)
 * static Dataset test() { ... }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GauntletData {

    /**
     * The dataset's name, e.g. "test"; by default the field or method name. On a parameter, the
     * dataset to inject.
     *
     * @return the name, or "" for the default
     */
    String value() default "";

    /**
     * Cuts the dataset to at most this many samples, drawn with the configured seed; -1 (the
     * default) defers to the {@value ModelTest#SAMPLE_SIZE} parameter, else keeps all.
     *
     * @return the largest sample size, or -1
     */
    int sampleSize() default -1;
}
