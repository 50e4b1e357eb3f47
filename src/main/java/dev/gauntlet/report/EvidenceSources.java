package dev.gauntlet.report;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The {@link EvidenceSource} services on the class path, loaded once; a source that cannot load is left out. */
final class EvidenceSources {

    private static final List<EvidenceSource> SOURCES = load();

    private EvidenceSources() {}

    static Evidence current() {
        for (EvidenceSource source : SOURCES) {
            var sink = source.current();
            if (sink.isPresent()) {
                return sink.get();
            }
        }
        return NoEvidence.INSTANCE;
    }

    private static List<EvidenceSource> load() {
        List<EvidenceSource> sources = new ArrayList<>();
        Iterator<EvidenceSource> found = ServiceLoader.load(EvidenceSource.class, Evidence.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    return List.copyOf(sources);
                }
                sources.add(found.next());
            } catch (ServiceConfigurationError e) {
                // a listed source whose classes cannot load (its report library is missing): no evidence from it
            }
        }
    }
}
