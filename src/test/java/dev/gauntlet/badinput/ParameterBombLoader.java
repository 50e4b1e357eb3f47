package dev.gauntlet.badinput;

import ai.djl.nn.core.Linear;

import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ModelLoadException;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Loads a crafted parameter file in a JVM of its own (small heap), for {@link ModelBadInputTests}: exits 3 on
 * the typed error, 4 on an OutOfMemoryError, 5 on any other error, 0 if it loaded; prints the peak heap and
 * direct memory above the baseline measured after the engine started.
 */
public final class ParameterBombLoader {

    private ParameterBombLoader() {}

    public static void main(String[] args) {
        ai.djl.engine.Engine.getInstance(); // the engine's own start-up is the baseline
        System.gc();
        long baseline = heapUsed();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        int code;
        try (DjlClassifier ignored = DjlClassifier.builder().setArchitecture(() -> Linear.builder().setUnits(4).build())
                .setInputShape(3).setNumClasses(4).optParameters(Path.of(args[0]), "linear").build()) {
            code = 0;
        } catch (ModelLoadException e) {
            System.out.println("message: " + e.getMessage());
            code = 3;
        } catch (OutOfMemoryError e) {
            code = 4;
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            code = 5;
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long direct = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(b -> b.getMemoryUsed()).sum();
        System.out.println("peak-above-baseline-bytes: " + (peak - baseline));
        System.out.println("direct-bytes: " + direct);
        System.exit(code);
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
