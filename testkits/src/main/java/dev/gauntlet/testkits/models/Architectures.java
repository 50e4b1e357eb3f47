package dev.gauntlet.testkits.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The DJL blocks of the reference models. Each call returns a new, uninitialised block whose
 * output is the logits; pass the method reference as an architecture factory.
 */
public final class Architectures {

    private Architectures() {}

    /**
     * A small CNN for 28x28 grey images: conv3x3(16)-relu-maxpool, conv3x3(32)-relu-maxpool,
     * fc128-relu, fc10.
     *
     * @return a new block taking {@code (n, 1, 28, 28)}
     */
    public static Block fashionCnn() {
        return cnn(0);
    }

    /**
     * {@link #fashionCnn()} with dropout (rate 0.3) after the 128-unit layer, for MC-dropout
     * uncertainty.
     *
     * @return a new block taking {@code (n, 1, 28, 28)}
     */
    public static Block fashionCnnWithDropout() {
        return cnn(0.3f);
    }

    /**
     * A multilayer perceptron: {@code hidden} ReLU layers, then a linear layer of {@code classes}.
     *
     * @param classes the number of output logits
     * @param hidden the width of each hidden layer
     * @return a new block taking {@code (n, features)}
     */
    public static Block mlp(int classes, int... hidden) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
        }
        return block.add(Linear.builder().setUnits(classes).build());
    }

    private static Block cnn(float dropout) {
        SequentialBlock block = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock());
        if (dropout > 0) {
            block.add(Dropout.builder().optRate(dropout).build());
        }
        return block.add(Linear.builder().setUnits(10).build());
    }
}
