package com.example.pytorch;

import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.kits.ImageClassifierKit;
import dev.gauntlet.testkits.kits.KitThresholds;

/**
 * The release gate of the PyTorch model as its TorchScript file: the whole image battery, one
 * test per check, from three methods.
 */
class TorchScriptGateTest implements ImageClassifierKit {

    /**
     * Bars a few points under what this standard-trained CNN measured (1,000 held-out images, 100 for
     * the attacks, corruptions, drift and trust score, 20 for the searches; seed 0): clean accuracy
     * 0.860; robust accuracy 0.76 under FGSM, PGD-20 and the cascade at ε = 0.01 (2.5 grey levels; at
     * 0.1 PGD leaves 9%); accuracy 0.85 under noise and blur but 0.52 under contrast, the weak spot, which
     * the one corruption bar must admit; ECE 0.034; trust-score AUROC 0.91; every counterfactual valid,
     * median L2 3.88; SmoothGrad max-sensitivity 0.32.
     */
    static final KitThresholds BARS = KitThresholds.defaults()
            .withCleanAccuracy(0.83)
            .withRobustness(0.01, 0.72, 0.72, 0.72)
            .withCorruption(2, 0.47)
            .withConfidence(0.06, 0.85, 0.7)
            .withExplanations(0.9, 3.5, 0.4)
            .withSamples(100, 20);

    @Override
    public Classifier model() {
        return PyTorchReference.model("fashion-cnn.pt").build();
    }

    @Override
    public DatasetSplit data() {
        return fashionMnist();
    }

    @Override
    public KitThresholds thresholds() {
        return BARS;
    }

    static DatasetSplit fashionMnist() {
        DatasetSplit fashion = ReferenceData.fashionMnist();
        return new DatasetSplit(fashion.train(), fashion.test().sample(1_000, 7).renamed("fashion-mnist test, 1,000"));
    }
}
