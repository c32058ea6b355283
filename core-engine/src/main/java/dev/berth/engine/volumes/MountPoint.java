package dev.berth.engine.volumes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One mount of a container, as persisted in its catalog row (moby's volume/mounts.MountPoint).
 *
 * @param type        bind, volume or tmpfs
 * @param name        the volume's name; empty for binds, and for a volume not yet created (anonymous)
 * @param source      the host path: the bind source, or the volume's {@code _data}
 * @param mode        what the user wrote after the second colon of {@code -v}, "z" for named volumes as Docker shows
 * @param propagation rprivate etc. for binds; empty for volumes, as Docker shows them
 * @param copyData    populate an empty volume from the image's content at the destination
 * @param anonymous   the volume was named by the engine: {@code rm -v} and {@code --rm} remove it
 * @param data        tmpfs mount options (size=…, mode=…)
 * @param createSource a {@code -v} bind whose missing host path is created as a directory
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountPoint(
        @JsonProperty("Type") String type,
        @JsonProperty("Name") String name,
        @JsonProperty("Source") String source,
        @JsonProperty("Destination") String destination,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Mode") String mode,
        @JsonProperty("RW") boolean rw,
        @JsonProperty("Propagation") String propagation,
        @JsonProperty("CopyData") boolean copyData,
        @JsonProperty("Anonymous") boolean anonymous,
        @JsonProperty("Data") String data,
        @JsonProperty("CreateSource") boolean createSource,
        @JsonProperty("VolumeLabels") Map<String, String> volumeLabels,
        @JsonProperty("VolumeOptions") Map<String, String> volumeOptions) {

    public static final String BIND = "bind";
    public static final String VOLUME = "volume";
    public static final String TMPFS = "tmpfs";

    public MountPoint withVolume(String volumeName, String dataPath, String volumeDriver) {
        return new MountPoint(type, volumeName, dataPath, destination, volumeDriver, mode, rw, propagation, copyData,
                anonymous, data, createSource, volumeLabels, volumeOptions);
    }

    /** The entry of inspect's {@code Mounts}, in Docker's shape (types.MountPoint). */
    public Map<String, Object> toInspect() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", type);
        if (name != null && !name.isEmpty()) {
            m.put("Name", name);
        }
        m.put("Source", source == null ? "" : source);
        m.put("Destination", destination);
        if (driver != null && !driver.isEmpty()) {
            m.put("Driver", driver);
        }
        m.put("Mode", mode == null ? "" : mode);
        m.put("RW", rw);
        m.put("Propagation", propagation == null ? "" : propagation);
        return m;
    }
}
