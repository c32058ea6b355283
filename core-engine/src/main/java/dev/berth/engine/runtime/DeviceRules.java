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
}
