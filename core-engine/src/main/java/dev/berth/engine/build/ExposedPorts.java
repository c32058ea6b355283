package dev.berth.engine.build;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;

/** An EXPOSE word as moby's nat.ParsePortSpecs reads it: {@code 8000-8001/udp} is two ports. */
final class ExposedPorts {
    private ExposedPorts() {
    }

    static List<String> expand(String word) {
        String w = word.toLowerCase();
        String proto = "tcp";
        int slash = w.indexOf('/');
        if (slash >= 0) {
            proto = w.substring(slash + 1);
            w = w.substring(0, slash);
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw BerthException.invalid("invalid proto: " + proto);
        }
        int dash = w.indexOf('-');
        int start;
        int end;
        try {
            start = Integer.parseInt(dash < 0 ? w : w.substring(0, dash));
            end = dash < 0 ? start : Integer.parseInt(w.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid containerPort: " + word);
        }
        if (start < 0 || end > 65535 || end < start) {
            throw BerthException.invalid("invalid range specified for container port: " + word);
        }
        List<String> out = new ArrayList<>();
        for (int p = start; p <= end; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }
}
