package com.example.fashion;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.kits.ImageClassifierKit;
import dev.gauntlet.testkits.kits.KitThresholds;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

/**
 * The whole battery on the Fashion-MNIST reference CNN: three methods, and each check becomes a
 * test in the report (plus the MC-dropout OOD check, with the dropout twin and digits as OOD data).
 */
class FashionCnnGateTest implements ImageClassifierKit {

    @Override
    public Classifier model() {
        return ReferenceModels.load(ReferenceModel.FASHION_CNN);
    }

    @Override
    public DatasetSplit data() {
        DatasetSplit fashion = ReferenceData.fashionMnist();
        return new DatasetSplit(fashion.train(), fashion.test().sample(1_000, 7).renamed("fashion-mnist test, 1,000"));
    }

    @Override
    public KitThresholds thresholds() {
        // a standard-trained CNN: fine at eps 0.004, broken at 0.03 (see examples/adversarial-training)
        return KitThresholds.defaults()
                .withCleanAccuracy(0.88)
                .withRobustness(0.004, 0.75, 0.7, 0.7)
                .withCorruption(2, 0.7)
                .withConfidence(0.03, 0.75, 0.8)
                .withExplanations(0.9, 1.0, 1.0)
                .withSamples(1_000, 20);
    }

    @Override
    public Classifier dropoutModel() {
        return ReferenceModels.load(ReferenceModel.FASHION_CNN_DROPOUT);
    }

    @Override
    public Dataset outOfDistribution() {
        return ReferenceData.digitsAsFashionImages().sample(1_000, 1);
    }
}
