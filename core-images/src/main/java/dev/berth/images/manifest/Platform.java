package dev.berth.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.errors.BerthException;

import java.util.List;
import java.util.Locale;

/** An OCI platform: os/architecture[/variant]. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant) {

    public static Platform of(String os, String architecture, String variant) {
        return new Platform(architecture, os, null, null, variant == null || variant.isEmpty() ? null : variant);
    }

    /** The platform this JVM runs on, named as Go names it. */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> of("linux", "amd64", null);
            case "aarch64", "arm64" -> of("linux", "arm64", "v8");
            case "arm" -> of("linux", "arm", "v7");
            case "x86", "i386", "i686" -> of("linux", "386", null);
            case "ppc64le", "s390x", "riscv64" -> of("linux", arch, null);
            default -> of("linux", arch, null);
        };
    }

    /** Parses {@code os/arch[/variant]} as {@code --platform} takes it. */
    public static Platform parse(String spec) {
        String[] parts = spec.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw BerthException.invalid("invalid platform \"" + spec + "\": expected os/arch[/variant]");
        }
        return of(parts[0], normaliseArch(parts[1]), parts.length == 3 ? parts[2] : null);
    }

    private static String normaliseArch(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /**
     * True if an image for {@code candidate} runs on this platform. Variants follow containerd's
     * matcher: arm64 without a variant means v8, arm without a variant means v7, an arm vN CPU also
     * runs older variants down to v5, and a wanted variant of "" accepts any.
     */
    public boolean matches(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        String want = effectiveVariant(this);
        String have = effectiveVariant(candidate);
        if (want.isEmpty() || want.equals(have)) {
            return true;
        }
        if (architecture.equals("arm")) {
            int w = armLevel(want);
            int h = armLevel(have.isEmpty() ? "v7" : have);
            return w > 0 && h > 0 && h <= w;
        }
        return have.isEmpty();
    }

    /** 5 to 8 for the arm variants v5 to v8, else 0. */
    static int armLevel(String variant) {
        return switch (variant == null ? "" : variant) {
            case "v5" -> 5;
            case "v6" -> 6;
            case "v7" -> 7;
            case "v8" -> 8;
            default -> 0;
        };
    }

    private static String effectiveVariant(Platform p) {
        String v = p.variant == null ? "" : p.variant;
        if (p.architecture.equals("arm64") && v.equals("v8")) {
            return "";
        }
        return v;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
