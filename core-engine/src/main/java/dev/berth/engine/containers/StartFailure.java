package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed start in Docker's terms (moby daemon/start.go setExitCodeFromError): a command that is not
 * there gives exit code 127, one that cannot be executed 126, both as a 400 whose message the docker
 * CLI turns into its own exit code; anything else 128 (exitUnknown).
 */
record StartFailure(BerthException error, int exitCode) {
    static final int CMD_NOT_FOUND = 127;
    static final int CMD_NOT_EXECUTABLE = 126;
    static final int UNKNOWN = 128;

    /** The runtime's own words, e.g. {@code runc create failed: unable to start container process: exec: ...}. */
    private static final Pattern RUNTIME_ERROR = Pattern.compile("(?:runc|crun) create failed: .*|unable to start container process: .*");

    static StartFailure of(RuntimeException e) {
        String raw = e.getMessage() == null ? e.toString() : e.getMessage();
        String desc = runtimeMessage(raw);
        String lower = desc.toLowerCase(Locale.ROOT);
        if (lower.contains("executable file not found") || lower.contains("no such file or directory")) {
            return new StartFailure(invalid(desc, e), CMD_NOT_FOUND);
        }
        if (lower.contains("permission denied")) {
            return new StartFailure(invalid(desc, e), CMD_NOT_EXECUTABLE);
        }
        if (lower.contains("is a directory")) {
            // The docker CLI picks 126 by "permission denied" in the message; moby appends it for this reason.
            return new StartFailure(invalid(desc + ": permission denied", e), CMD_NOT_EXECUTABLE);
        }
        return new StartFailure(e instanceof BerthException be ? be : BerthException.system(raw, e), UNKNOWN);
    }

    /** Docker's wording around the runtime's message: {@code OCI runtime create failed: …: unknown}. */
    private static String runtimeMessage(String raw) {
        for (String line : raw.lines().toList().reversed()) {
            Matcher m = RUNTIME_ERROR.matcher(line);
            if (m.find()) {
                String msg = m.group().strip();
                // conmon wraps runc's JSON log line; keep only the message.
                int q = msg.indexOf("\",\"");
                if (q > 0) {
                    msg = msg.substring(0, q);
                }
                return "failed to create task for container: OCI runtime create failed: " + msg.replace("\\\"", "\"") + ": unknown";
            }
        }
        return raw;
    }

    private static BerthException invalid(String msg, Throwable cause) {
        return new BerthException(ErrorCategory.INVALID_ARGUMENT, msg, cause);
    }
}
