package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code X-Docker-Container-Path-Stat} header of the archive endpoints (base64 JSON). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                       @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                       @JsonProperty("linkTarget") String linkTarget) {
    /** Go's os.ModeDir bit. */
    public boolean isDirectory() {
        return (mode & (1L << 31)) != 0;
    }

    /** Go's os.ModeSymlink bit. */
    public boolean isSymlink() {
        return (mode & (1L << 27)) != 0;
    }
}
