package dev.gauntlet.testkits.bench;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Prints a SHA-256 digest of seeded results — PGD with random start, Square, SmoothGrad, an MMD
 * permutation p-value, a counterfactual search — so two JVM runs can be compared bit for bit.
 */
public final class DeterminismProbe {

    private DeterminismProbe() {}

    /**
     * Runs the probe.
     *
     * @param args ignored
     * @throws Exception if SHA-256 is missing
     */
    public static void main(String[] args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Dataset test = ReferenceModel.DIGITS_MLP.data().test().head(64);
        Dataset train = ReferenceModel.DIGITS_MLP.data().train();
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP); NDManager scope = mlp.newScope()) {
            var x = test.features(scope, 0, test.size());
            var y = test.labels(scope, 0, test.size());
            update(sha, Attacks.pgd().linf(0.05).steps(10).restarts(2).generate(mlp, x, y, test.bounds(), 11)
                    .toFloatArray());
            update(sha, Attacks.square().linf(0.05).queries(50).generate(mlp, x, y, test.bounds(), 12).toFloatArray());
            for (float[] row : Explainers.smoothGrad(0.15, 5).explain(mlp, test.head(8), 13).attributions()) {
                update(sha, row);
            }
            sha.update(ByteBuffer.allocate(8).putDouble(MmdDrift.mmd().test(train.head(100), test, 14).pValue())
                    .array());
            for (var cf : Counterfactuals.wachter().budget(2, 100).explain(mlp, test.head(4), train).counterfactuals()) {
                update(sha, cf.counterfactual());
            }
        }
        System.out.println("digest " + HexFormat.of().formatHex(sha.digest()));
    }

    private static void update(MessageDigest sha, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
        for (float v : values) {
            bytes.putFloat(v);
        }
        sha.update(bytes.array());
    }
}
