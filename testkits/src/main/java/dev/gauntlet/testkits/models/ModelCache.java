package dev.gauntlet.testkits.models;

import java.nio.file.Path;

/**
 * The one folder where trained reference models are kept, shared by the library's, the
 * testkits' and every example's build so that each model is trained once per machine.
 *
 * <p>Resolved from the system property {@value #PROPERTY}, then the environment variable
 * {@value #ENV}, then {@code ~/.cache/gauntlet}. Models live in {@code <root>/models/<key>/}.
 */
public final class ModelCache {

    /** System property naming the cache root. */
    public static final String PROPERTY = "gauntlet.cache.dir";
    /** Environment variable naming the cache root. */
    public static final String ENV = "GAUNTLET_CACHE_DIR";

    private ModelCache() {}

    /**
     * Returns the cache root.
     *
     * @return the folder (it may not exist yet)
     */
    public static Path root() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "gauntlet");
    }

    /**
     * Returns the folder of one cached model.
     *
     * @param key the cache key, see {@link ReferenceModel#cacheKey(long)}
     * @return {@code <root>/models/<key>}
     */
    public static Path modelDir(String key) {
        return root().resolve("models").resolve(key);
    }
}
