package com.example.pytorch;

import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.kits.ImageClassifierKit;
import dev.gauntlet.testkits.kits.KitThresholds;

/**
 * The same gate on the ONNX export: ONNX Runtime gives no input gradients, so the gradient checks
 * (FGSM, PGD, the cascade, the sanity checks, counterfactuals, SmoothGrad) are reported as skipped
 * with the reason, and every other check must pass the TorchScript model's bars.
 */
class OnnxGateTest implements ImageClassifierKit {

    @Override
    public Classifier model() {
        return PyTorchReference.model("fashion-cnn.onnx").build();
    }

    @Override
    public DatasetSplit data() {
        return TorchScriptGateTest.fashionMnist();
    }

    @Override
    public KitThresholds thresholds() {
        return TorchScriptGateTest.BARS;
    }
}
