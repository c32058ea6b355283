package dev.berth.desktop.store;

import java.util.List;
import java.util.Map;

/** One build from the wizard, as the Builds view lists it; {@code result} is succeeded, failed or cancelled. */
public record BuildRecord(long id, long startedMillis, String context, String dockerfile, List<String> tags,
                          Map<String, String> buildArgs, String target, boolean noCache, boolean pull,
                          String result, String imageId, long durationMillis, String log) {
    /** The catalog keeps at most this much of a build's log: its tail, where a failure shows. */
    public static final int MAX_LOG_CHARS = 256 * 1024;

    public BuildRecord {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        target = target == null ? "" : target;
        imageId = imageId == null ? "" : imageId;
        if (log.length() > MAX_LOG_CHARS) {
            log = "[… earlier output not kept …]\n" + log.substring(log.length() - MAX_LOG_CHARS);
        }
    }
}
