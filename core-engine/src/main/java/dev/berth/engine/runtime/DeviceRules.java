package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The device cgroup rules of Docker's default spec (moby oci/defaults.go): deny everything, allow the
 * devices every container has (null, zero, full via runc's defaults, random, urandom, tty, console),
 * and deny fuse. runc appends its own default allow list (mknod of any device, /dev/pts, ptmx, tun)
 * and creates the default device nodes (null, zero, full, random, urandom, tty, ptmx) in /dev.
 */
final class DeviceRules {
    private DeviceRules() {
    }

    static void dockerDefaults(ArrayNode rules) {
        rules.addObject().put("allow", false).put("access", "rwm");
        allow(rules, true, 1, 5);   // zero
        allow(rules, true, 1, 3);   // null
        allow(rules, true, 1, 9);   // urandom
        allow(rules, true, 1, 8);   // random
        allow(rules, true, 5, 0);   // tty
        allow(rules, true, 5, 1);   // console
        allow(rules, false, 10, 229); // fuse
    }

    private static void allow(ArrayNode rules, boolean allow, int major, int minor) {
        ObjectNode r = rules.addObject();
        r.put("allow", allow);
        r.put("type", "c");
        r.put("major", major);
        r.put("minor", minor);
        r.put("access", "rwm");
    }

    private static final java.util.regex.Pattern RULE =
            java.util.regex.Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    /** {@code --device-cgroup-rule "c 1:3 rwm"} (moby AppendDevicePermissionsFromCgroupRules). */
    static void cgroupRules(ArrayNode rules, java.util.List<String> given) {
        for (String rule : given) {
            java.util.regex.Matcher m = RULE.matcher(rule);
            if (!m.matches()) {
                throw dev.berth.errors.BerthException.invalid("invalid device cgroup rule format: '" + rule + "'");
            }
            ObjectNode r = rules.addObject();
            r.put("allow", true);
            r.put("type", m.group(1));
            try {
                r.put("major", m.group(2).equals("*") ? -1 : Long.parseLong(m.group(2)));
                r.put("minor", m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3)));
            } catch (NumberFormatException e) {
                throw dev.berth.errors.BerthException.invalid("invalid device cgroup rule format: '" + rule + "'");
            }
            r.put("access", m.group(4));
        }
    }

    /**
     * {@code --device host[:container[:perms]]} (moby DevicesFromPath): the node, or every node under a
     * directory, created in the container and allowed in its device cgroup.
     */
    static void customDevices(ArrayNode devices, ArrayNode rules, java.util.List<HostSettings.DeviceMapping> mappings) {
        for (HostSettings.DeviceMapping dm : mappings) {
            java.nio.file.Path host = java.nio.file.Path.of(dm.pathOnHost());
            java.nio.file.Path resolved = host;
            try {
                resolved = host.toRealPath();
            } catch (java.io.IOException e) {
                // reported below as Docker does
            }
            String inContainer = dm.pathInContainer().isEmpty() ? dm.pathOnHost() : dm.pathInContainer();
            String perms = dm.cgroupPermissions().isEmpty() ? "rwm" : dm.cgroupPermissions();
            java.util.List<ObjectNode> found = new java.util.ArrayList<>();
            ObjectNode one = HostDevices.describe(resolved, inContainer);
            if (one != null) {
                found.add(one);
            } else if (java.nio.file.Files.isDirectory(resolved)) {
                java.nio.file.Path base = resolved;
                try (var walk = java.nio.file.Files.walk(resolved)) {
                    walk.forEach(p -> {
                        ObjectNode d = HostDevices.describe(p, inContainer + (p.equals(base) ? "" : "/" + base.relativize(p)));
                        if (d != null) {
                            found.add(d);
                        }
                    });
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    // an unreadable subtree contributes nothing, as in moby
                }
            }
            if (found.isEmpty()) {
                String why = java.nio.file.Files.exists(resolved) ? "not a device node" : "no such file or directory";
                throw dev.berth.errors.BerthException.invalid("error gathering device information while adding custom device \""
                        + dm.pathOnHost() + "\": " + why);
            }
            for (ObjectNode d : found) {
                devices.add(d);
                ObjectNode r = rules.addObject();
                r.put("allow", true);
                r.put("type", d.path("type").asText());
                r.put("major", d.path("major").asLong());
                r.put("minor", d.path("minor").asLong());
                r.put("access", perms);
            }
        }
    }
}
