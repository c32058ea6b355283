package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.util.List;
import java.util.Locale;

/** Linux signal names and numbers as {@code docker kill -s} accepts them: "KILL", "SIGKILL" or "9". */
final class Signals {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    /** Index = number (x86-64 and arm64 agree on these). */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {
    }

    static int parse(String s) {
        String t = s.trim();
        try {
            int n = Integer.parseInt(t);
            if (n <= 0 || n > 64) {
                throw BerthException.invalid("Invalid signal: " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            String name = t.toUpperCase(Locale.ROOT);
            if (name.startsWith("SIG")) {
                name = name.substring(3);
            }
            int i = NAMES.indexOf(name);
            if (i <= 0) {
                throw BerthException.invalid("Invalid signal: " + s);
            }
            return i;
        }
    }
}
