package dev.gauntlet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** Parameters saved on one engine load on the other (runs where both are on the classpath: -Ppytorch). */
class CrossEngineTests {

    @TempDir
    Path dir;

    @Test
    void parameters_saved_on_mxnet_give_the_same_logits_on_pytorch() throws IOException {
        Assumptions.assumeTrue(Engine.hasEngine("MXNet") && Engine.hasEngine("PyTorch"),
                "needs both engines: run with -Ppytorch");
        try (Model mxnet = Model.newInstance("linear", Device.cpu(), "MXNet")) {
            Block block = Linear.builder().setUnits(4).build();
            mxnet.setBlock(block);
            block.initialize(mxnet.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            float[] flat = new float[12];
            for (int c = 0; c < 4; c++) {
                System.arraycopy(LinearModels.W[c], 0, flat, 3 * c, 3);
            }
            block.getParameters().get("weight").getArray().set(flat);
            block.getParameters().get("bias").getArray().set(LinearModels.B);
            mxnet.save(dir, "linear");
        }
        try (DjlClassifier pytorch = DjlClassifier.builder().setArchitecture(() -> Linear.builder().setUnits(4).build())
                .setInputShape(3).setNumClasses(4).optParameters(dir, "linear")
                .optComputeTarget(ComputeTarget.resolve("PyTorch", "cpu")).build();
                NDManager scope = pytorch.newScope()) {
            assertThat(pytorch.computeTarget().engineName()).isEqualTo("PyTorch");
            float[] x = {0.2f, -0.4f, 1.0f};
            float[] logits = pytorch.logits(scope.create(x, new Shape(1, 3))).toFloatArray();
            for (int c = 0; c < 4; c++) {
                double expected = LinearModels.B[c];
                for (int j = 0; j < 3; j++) {
                    expected += LinearModels.W[c][j] * x[j];
                }
                assertThat((double) logits[c]).isCloseTo(expected, within(1e-6));
            }
        }
    }
}
