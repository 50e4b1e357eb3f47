package dev.gauntlet.junit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose tests judge models: registers Gauntlet's extension, which fills test
 * parameters of type {@link dev.gauntlet.model.Classifier}, {@link dev.gauntlet.data.Dataset}
 * and {@link GauntletConfiguration} from the class's {@link GauntletModel} and
 * {@link GauntletData} declarations, loads each once per class and closes the models after it.
 *
 * <pre>{@code
 * @ModelTest
 * class FashionGateTests {
 *
 *     @GauntletModel
 *     static Classifier cnn(GauntletConfiguration config) {
 *         return DjlClassifier.builder()...optComputeTarget(config.computeTarget()).build();
 *     }
 *
 *     @GauntletData("test")
 *     static Dataset test() { return IdxReader.read(...); }
 *
 *     @Test
 *     void is_accurate(Classifier cnn, @GauntletData("test") Dataset test) {
 *         assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.89);
 *     }
 * }
 * }</pre>
 *
 * <p>Configuration parameters ({@code junit-platform.properties}, or system properties):
 * {@value #SEED}, {@value #ENGINE}, {@value #DEVICE}, {@value #SAMPLE_SIZE},
 * {@value #REPORT_DIR}. Tests of the class are tagged {@code gauntlet}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(GauntletExtension.class)
@Tag("gauntlet")
public @interface ModelTest {

    /** Seed of every random choice a check makes; default 0. */
    String SEED = "gauntlet.seed";
    /** DJL engine the models should run on ({@code MXNet}, {@code PyTorch}); default DJL's default. */
    String ENGINE = "gauntlet.engine";
    /** Device: {@code cpu}, {@code gpu} or {@code gpu:N}; default {@code cpu}. */
    String DEVICE = "gauntlet.device";
    /** Largest number of samples a declared dataset is cut to (seeded sample); default all. */
    String SAMPLE_SIZE = "gauntlet.sampleSize";
    /** Folder the Allure results go to; default {@code allure.results.directory}, else {@code target/allure-results}. */
    String REPORT_DIR = "gauntlet.reportDir";
}
