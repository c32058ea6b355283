package dev.berth.engine.api;

import dev.berth.errors.BerthException;

/** A Docker API version such as 1.44, compared numerically (1.9 < 1.10). */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** The newest version whose shapes Berth implements; the docker CLI 29 refuses anything older than 1.44. */
    public static final ApiVersion CURRENT = new ApiVersion(1, 44);
    /** Testcontainers pins 1.32; nothing older than 1.24 is worth the shapes. */
    public static final ApiVersion MINIMUM = new ApiVersion(1, 24);

    public static ApiVersion parse(String s) {
        int dot = s.indexOf('.');
        try {
            if (dot > 0) {
                return new ApiVersion(Integer.parseInt(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the error below.
        }
        throw BerthException.invalid("invalid API version \"" + s + "\"");
    }

    public boolean atLeast(int maj, int min) {
        return compareTo(new ApiVersion(maj, min)) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
