package dev.berth.engine.volumes;

import dev.berth.engine.runtime.Mounts;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local driver's mount of {@code type}/{@code device}/{@code o} onto a volume's {@code _data}
 * (moby's mount.Mount): flag words in {@code o} become mount(2) flags, the rest is filesystem data;
 * {@code bind} binds the device path, then remounts for flags such as {@code ro}.
 */
final class LocalMount {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    private LocalMount() {
    }

    record Parsed(long flags, String data) {
    }

    static Parsed parse(String o) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String opt : o == null || o.isEmpty() ? new String[0] : o.split(",")) {
            switch (opt) {
                case "ro" -> flags |= MS_RDONLY;
                case "rw" -> flags &= ~MS_RDONLY;
                case "nosuid" -> flags |= MS_NOSUID;
                case "suid" -> flags &= ~MS_NOSUID;
                case "nodev" -> flags |= MS_NODEV;
                case "dev" -> flags &= ~MS_NODEV;
                case "noexec" -> flags |= MS_NOEXEC;
                case "exec" -> flags &= ~MS_NOEXEC;
                case "sync" -> flags |= MS_SYNCHRONOUS;
                case "async" -> flags &= ~MS_SYNCHRONOUS;
                case "dirsync" -> flags |= MS_DIRSYNC;
                case "noatime" -> flags |= MS_NOATIME;
                case "nodiratime" -> flags |= MS_NODIRATIME;
                case "relatime" -> flags |= MS_RELATIME;
                case "strictatime" -> flags |= MS_STRICTATIME;
                case "bind" -> flags |= MS_BIND;
                case "rbind" -> flags |= MS_BIND | MS_REC;
                case "defaults" -> { }
                default -> data.add(opt);
            }
        }
        return new Parsed(flags, String.join(",", data));
    }

    static void mount(Map<String, String> options, Path target) throws IOException {
        String type = options.getOrDefault("type", "");
        String device = options.getOrDefault("device", "");
        Parsed p = parse(options.get("o"));
        try {
            if ((p.flags() & MS_BIND) != 0) {
                if (!Files.exists(Path.of(device))) {
                    throw BerthException.invalid("failed to mount local volume: mount " + device + ":" + target
                            + ", flags: 0x" + Long.toHexString(p.flags()) + ": no such file or directory");
                }
                Mounts.mount(device, target, "none", p.flags(), null);
                long rest = p.flags() & ~(MS_BIND | MS_REC);
                if (rest != 0) {
                    Mounts.mount(device, target, "none", MS_REMOUNT | MS_BIND | rest, null);
                }
                return;
            }
            Mounts.mount(device, target, type, p.flags(), p.data().isEmpty() ? null : p.data());
        } catch (Mounts.MountException e) {
            throw BerthException.system("failed to mount local volume: mount " + device + ":" + target + ", "
                    + "type " + type + ": " + e.getMessage(), e);
        }
    }
}
