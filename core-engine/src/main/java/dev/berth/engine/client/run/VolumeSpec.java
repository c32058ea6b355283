package dev.berth.engine.client.run;

import java.nio.file.Path;

/**
 * A {@code -v [SOURCE:]TARGET[:MODE]}: with a source it goes to {@code HostConfig.Binds} as typed
 * (a relative {@code ./dir} made absolute, as docker does); without, it is an anonymous volume.
 */
public record VolumeSpec(String bind, String target) {
    public static VolumeSpec parse(String spec, Path cwd) {
        String[] parts = spec.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw ConfigException.invalid("invalid spec: " + spec + ": empty section between colons");
            }
        }
        if (parts.length > 3) {
            throw ConfigException.invalid("invalid spec: " + spec + ": too many colons");
        }
        if (parts.length == 1) {
            return new VolumeSpec(null, parts[0]);
        }
        String source = parts[0];
        if (source.startsWith(".")) {
            source = cwd.resolve(source).normalize().toAbsolutePath().toString();
        }
        String rest = spec.substring(parts[0].length());
        return new VolumeSpec(source + rest, parts[1]);
    }
}
