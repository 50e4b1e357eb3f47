package dev.gauntlet.model.internal;

import ai.djl.engine.Engine;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises gradient recording where the engine allows only one gradient collector at a time in
 * the whole process (DJL's PyTorch engine: "Only one can be collecting at a time"), so that tests
 * sharing a model across threads get the same results as sequential ones. MXNet records per
 * thread and runs unlocked.
 */
public final class GradientLock {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private GradientLock() {}

    /**
     * Runs {@code body}, holding the process-wide lock unless the engine records gradients per thread.
     *
     * @param engine the engine that will record
     * @param body the work that opens a gradient collector
     * @param <T> the result type
     * @return the body's result
     */
    public static <T> T around(Engine engine, Supplier<T> body) {
        if ("MXNet".equals(engine.getEngineName())) {
            return body.get();
        }
        LOCK.lock();
        try {
            return body.get();
        } finally {
            LOCK.unlock();
        }
    }
}
