package dev.berth.engine.volumes;

import java.time.Instant;
import java.util.Map;

/**
 * A volume as the catalog keeps it. Its data lives in {@code <dataRoot>/volumes/<name>/_data}, Docker's
 * layout, so tools that know Docker's tree find it where they expect.
 *
 * @param options the local driver's options (type, device, o); empty for a plain directory
 */
public record VolumeRecord(String name, String driver, Map<String, String> labels, Map<String, String> options,
                           Instant created) {
    /** Docker's label on volumes it names itself (moby volume/service AnonymousLabel). */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public VolumeRecord {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
    }

    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }
}
