package dev.gauntlet.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a model runs: a DJL engine (MXNet by default, PyTorch possible) and a device on it.
 *
 * <p>Resolve one from text, as configuration gives it:
 * <pre>{@code
 * ComputeTarget.resolve("MXNet", "cpu");       // the default
 * ComputeTarget.resolve("PyTorch", "gpu:0");   // fails clearly where no GPU is present
 * ComputeTarget.fromSystemProperties();        // -Dgauntlet.engine, -Dgauntlet.device
 * }</pre>
 *
 * <p>A GPU that was asked for and is absent raises {@link ComputeUnavailableException}: there is
 * no silent fallback to the CPU. Resolving a target also sets {@code ai.djl.offline=true} unless
 * it was set explicitly, so DJL never downloads natives or models at run time.
 *
 * @param engineName the DJL engine name, e.g. "MXNet" or "PyTorch"
 * @param device the device on that engine
 */
public record ComputeTarget(String engineName, Device device) {

    /** System property naming the engine; the default is DJL's default engine (MXNet here). */
    public static final String ENGINE_PROPERTY = "gauntlet.engine";
    /** System property naming the device: {@code cpu}, {@code gpu} or {@code gpu:N}; default {@code cpu}. */
    public static final String DEVICE_PROPERTY = "gauntlet.device";

    static {
        ensureOffline();
    }

    /** Sets DJL's {@code ai.djl.offline} to true unless the user chose: nothing downloads at run time. */
    static void ensureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * Validates the target.
     *
     * @throws NullPointerException if an argument is null
     */
    public ComputeTarget {
        Objects.requireNonNull(engineName, "engineName");
        Objects.requireNonNull(device, "device");
    }

    /**
     * Returns the CPU on the default engine.
     *
     * @return the default target
     */
    public static ComputeTarget defaultTarget() {
        return resolve(null, null);
    }

    /**
     * Resolves the target named by the system properties {@value #ENGINE_PROPERTY} and
     * {@value #DEVICE_PROPERTY}.
     *
     * @return the resolved target
     */
    public static ComputeTarget fromSystemProperties() {
        return resolve(System.getProperty(ENGINE_PROPERTY), System.getProperty(DEVICE_PROPERTY));
    }

    /**
     * Resolves an engine and device given as text.
     *
     * @param engine the engine name, or {@code null}/blank for DJL's default engine
     * @param device {@code cpu}, {@code gpu}, {@code gpu:N}, or {@code null}/blank for the CPU
     * @return the target
     * @throws ComputeUnavailableException if the engine is not on the classpath or the GPU is absent
     * @throws IllegalArgumentException if the device text cannot be parsed
     */
    public static ComputeTarget resolve(String engine, String device) {
        String engineName = engine == null || engine.isBlank() ? defaultEngineName() : engine.trim();
        if (!Engine.hasEngine(engineName)) {
            throw new ComputeUnavailableException("engine '" + engineName + "' is not available; engines on the"
                    + " classpath: " + Engine.getAllEngines() + ". Add its DJL artifact (e.g. ai.djl.pytorch:pytorch-engine"
                    + " with pytorch-native-cpu) or choose one of those.");
        }
        String spec = device == null || device.isBlank() ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("cpu")) {
            return new ComputeTarget(engineName, Device.cpu());
        }
        int gpuId;
        if (spec.equals("gpu")) {
            gpuId = 0;
        } else if (spec.startsWith("gpu:")) {
            try {
                gpuId = Integer.parseInt(spec.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + device + "' is not cpu, gpu or gpu:N", e);
            }
        } else {
            throw new IllegalArgumentException("device '" + device + "' is not cpu, gpu or gpu:N");
        }
        int gpus = Engine.getEngine(engineName).getGpuCount();
        if (gpuId < 0 || gpuId >= gpus) {
            throw new ComputeUnavailableException("device '" + spec + "' was requested but engine " + engineName
                    + " sees " + gpus + " GPU(s); use -D" + DEVICE_PROPERTY + "=cpu, or run on a CUDA machine with"
                    + " the PyTorch engine and its CUDA natives");
        }
        return new ComputeTarget(engineName, Device.gpu(gpuId));
    }

    /**
     * Returns the engine.
     *
     * @return the DJL engine of this target
     */
    public Engine engine() {
        return Engine.getEngine(engineName);
    }

    private static String defaultEngineName() {
        try {
            return Engine.getDefaultEngineName();
        } catch (RuntimeException e) {
            throw new ComputeUnavailableException("no DJL engine is on the classpath; add ai.djl.mxnet:mxnet-engine"
                    + " with ai.djl.mxnet:mxnet-native-mkl (classifier linux-x86_64), or the PyTorch engine");
        }
    }

    @Override
    public String toString() {
        return engineName + "/" + device.getDeviceType() + (device.isGpu() ? ":" + device.getDeviceId() : "");
    }
}
