package dev.berth.engine.attach;

import dev.berth.errors.BerthException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Docker's detach keys: a comma-separated list of single characters and {@code ctrl-<x>} names (moby
 * term.ToBytes), {@code ctrl-p,ctrl-q} by default. A {@link Matcher} filters the stdin stream: the
 * sequence itself never reaches the container, a partial match that breaks off is passed on whole.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] keys;

    private DetachKeys(byte[] keys) {
        this.keys = keys;
    }

    /** Null or empty means the default; an unknown key is the caller's error, as in Docker. */
    public static DetachKeys parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            spec = DEFAULT;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String key : spec.split(",", -1)) {
            if (key.length() == 1) {
                b.write(key.charAt(0));
                continue;
            }
            String k = key.toLowerCase(Locale.ROOT);
            if (k.length() == 6 && k.startsWith("ctrl-")) {
                char c = k.charAt(5);
                if (c >= 'a' && c <= 'z') {
                    b.write(c - 'a' + 1);
                    continue;
                }
                int code = "@[\\]^_".indexOf(c);
                if (code >= 0) {
                    b.write(code == 0 ? 0 : 26 + code);
                    continue;
                }
            }
            throw BerthException.invalid("Invalid detach keys (" + spec + ") provided");
        }
        return new DetachKeys(b.toByteArray());
    }

    public byte[] bytes() {
        return keys.clone();
    }

    public Matcher matcher() {
        return new Matcher();
    }

    /** Stateful across reads: the sequence may arrive split over several reads, as typed keys do. */
    public final class Matcher {
        private int matched;
        private boolean detached;

        /** The bytes of {@code in[0..len)} to pass on; after it returns, {@link #detached()} tells whether to stop. */
        public byte[] filter(byte[] in, int len) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(len + keys.length);
            for (int i = 0; i < len && !detached; i++) {
                byte c = in[i];
                if (keys.length > 0 && c == keys[matched]) {
                    matched++;
                    if (matched == keys.length) {
                        detached = true;
                    }
                    continue;
                }
                if (matched > 0) {
                    out.write(keys, 0, matched);
                    matched = 0;
                    if (c == keys[0]) {
                        matched = 1;
                        if (keys.length == 1) {
                            detached = true;
                        }
                        continue;
                    }
                }
                out.write(c);
            }
            return out.toByteArray();
        }

        public boolean detached() {
            return detached;
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(keys);
    }
}
