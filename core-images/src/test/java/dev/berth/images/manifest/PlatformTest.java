package dev.berth.images.manifest;

import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.berth.images.BerthAssertions.assertFails;
import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Platform parsing and matching, and {@link ImageIndex#select} on top of it. */
class PlatformTest {
    private static int counter;

    static Descriptor entry(String platform) {
        return entry(MediaTypes.OCI_MANIFEST, platform == null ? null : Platform.parse(platform), null);
    }

    static Descriptor entry(String mediaType, Platform platform, Map<String, String> annotations) {
        String hex = String.format("%064x", ++counter);
        return new Descriptor(mediaType, Digest.parse("sha256:" + hex), 100, null, annotations, platform, null);
    }

    static ImageIndex index(Descriptor... entries) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, new ArrayList<>(List.of(entries)), null);
    }

    // ---- parse / toString / host ----

    @ParameterizedTest
    @CsvSource(textBlock = """
            linux/amd64,        linux/amd64
            Linux/AMD64,        linux/amd64
            linux/x86_64,       linux/amd64
            linux/x86-64,       linux/amd64
            linux/aarch64,      linux/arm64
            linux/arm64/v8,     linux/arm64/v8
            linux/arm/v7,       linux/arm/v7
            windows/amd64,      windows/amd64
            linux/riscv64,      linux/riscv64
            """)
    void parsesPlatformFlags(String spec, String expected) {
        assertEquals(expected, Platform.parse(spec).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "", "/amd64", "linux//v7", "linux/amd64/v1/extra", "a/b/c/d"})
    void rejectsMalformedPlatforms(String spec) {
        assertInvalid(() -> Platform.parse(spec), "invalid platform", "expected os/arch[/variant]");
    }

    @Test
    void emptyVariantIsNoVariant() {
        assertEquals(Platform.of("linux", "amd64", null), Platform.of("linux", "amd64", ""));
        assertEquals("linux/amd64", Platform.of("linux", "amd64", "").toString());
    }

    @Test
    void hostIsNamedAsGoNamesIt() {
        String saved = System.getProperty("os.arch");
        try {
            for (String[] c : new String[][] {{"amd64", "linux/amd64"}, {"x86_64", "linux/amd64"},
                    {"aarch64", "linux/arm64/v8"}, {"arm", "linux/arm/v7"}, {"i386", "linux/386"}, {"x86", "linux/386"},
                    {"ppc64le", "linux/ppc64le"}, {"s390x", "linux/s390x"}, {"riscv64", "linux/riscv64"}}) {
                System.setProperty("os.arch", c[0]);
                assertEquals(c[1], Platform.host().toString(), c[0]);
            }
        } finally {
            System.setProperty("os.arch", saved);
        }
        assertEquals("linux", Platform.host().os());
        assertTrue(Platform.host().matches(Platform.host()));
    }

    // ---- matches ----

    @ParameterizedTest(name = "host {0} runs {1}: {2}")
    @CsvSource(textBlock = """
            linux/amd64,     linux/amd64,     true
            linux/amd64,     windows/amd64,   false
            linux/amd64,     linux/arm64,     false
            linux/amd64,     linux/386,       false
            linux/arm64/v8,  linux/arm64,     true
            linux/arm64/v8,  linux/arm64/v8,  true
            linux/arm64,     linux/arm64/v8,  true
            linux/arm64,     linux/arm64,     true
            linux/arm/v7,    linux/arm/v7,    true
            linux/arm/v7,    linux/arm/v6,    true
            linux/arm/v7,    linux/arm/v5,    true
            linux/arm/v7,    linux/arm,       true
            linux/arm/v7,    linux/arm/v8,    false
            linux/arm/v6,    linux/arm/v6,    true
            linux/arm/v6,    linux/arm/v5,    true
            linux/arm/v6,    linux/arm/v7,    false
            linux/arm/v6,    linux/arm,       false
            linux/arm/v5,    linux/arm/v6,    false
            linux/arm,       linux/arm/v6,    true
            """)
    void matchesLikeContainerd(String host, String image, boolean runs) {
        assertEquals(runs, Platform.parse(host).matches(Platform.parse(image)));
    }

    @Test
    void incompleteCandidatesNeverMatch() {
        Platform host = Platform.of("linux", "amd64", null);
        assertFalse(host.matches(null));
        assertFalse(host.matches(new Platform("amd64", null, null, null, null)));
        assertFalse(host.matches(new Platform(null, "linux", null, null, null)));
    }

    // ---- ImageIndex.select ----

    @Test
    void selectsTheHostPlatformByDefault() {
        Descriptor amd64 = entry("linux/amd64");
        Descriptor arm64 = entry("linux/arm64/v8");
        Descriptor s390x = entry("linux/s390x");
        ImageIndex idx = index(s390x, arm64, amd64);
        Platform host = Platform.host();
        Descriptor expected = switch (host.architecture()) {
            case "amd64" -> amd64;
            case "arm64" -> arm64;
            case "s390x" -> s390x;
            default -> null;
        };
        assertEquals(Optional.ofNullable(expected), idx.select(host));
        assertEquals(Optional.of(amd64), idx.select(Platform.parse("linux/amd64")));
        assertEquals(Optional.of(s390x), idx.select(Platform.parse("linux/s390x")));
    }

    @Test
    void arm64WithAndWithoutV8AreTheSame() {
        Descriptor bare = entry("linux/arm64");
        assertEquals(Optional.of(bare), index(entry("linux/amd64"), bare).select(Platform.parse("linux/arm64/v8")));
        Descriptor v8 = entry("linux/arm64/v8");
        assertEquals(Optional.of(v8), index(entry("linux/amd64"), v8).select(Platform.parse("linux/arm64")));
    }

    @Test
    void armV7PrefersV7AndFallsBackToTheBestOlderVariant() {
        Descriptor v5 = entry("linux/arm/v5");
        Descriptor v6 = entry("linux/arm/v6");
        Descriptor v7 = entry("linux/arm/v7");
        Platform armV7 = Platform.parse("linux/arm/v7");
        Platform armV6 = Platform.parse("linux/arm/v6");
        // As busybox lists them: v5, v6, v7.
        assertEquals(Optional.of(v7), index(v5, v6, v7).select(armV7));
        assertEquals(Optional.of(v6), index(v5, v6, v7).select(armV6));
        // No v7 image: a v7 CPU runs v6 code, and v6 is closer than v5 whichever comes first.
        assertEquals(Optional.of(v6), index(v5, v6).select(armV7));
        assertEquals(Optional.of(v6), index(v6, v5).select(armV7));
        // A v6 CPU cannot run v7 code.
        assertEquals(Optional.empty(), index(v7).select(armV6));
    }

    @Test
    void attestationManifestsAreSkipped() {
        Descriptor attestationForAmd64 = entry(MediaTypes.OCI_MANIFEST, Platform.of("linux", "amd64", null),
                Map.of("vnd.docker.reference.type", "attestation-manifest",
                        "vnd.docker.reference.digest", "sha256:" + "9".repeat(64)));
        Descriptor unknown = entry(MediaTypes.OCI_MANIFEST, Platform.of("unknown", "unknown", null), null);
        Descriptor amd64 = entry("linux/amd64");
        assertTrue(attestationForAmd64.isAttestation());
        assertTrue(unknown.isAttestation());
        assertFalse(amd64.isAttestation());
        ImageIndex idx = index(attestationForAmd64, unknown, amd64);
        assertEquals(Optional.of(amd64), idx.select(Platform.parse("linux/amd64")));
        assertEquals(Optional.empty(), idx.select(Platform.of("unknown", "unknown", null)));
        assertEquals(Optional.empty(), index(attestationForAmd64, unknown).select(Platform.parse("linux/amd64")));
    }

    @Test
    void entriesOfUnknownTypeOrWithoutPlatformAreSkipped() {
        Descriptor inToto = entry("application/vnd.in-toto+json", Platform.of("linux", "amd64", null), null);
        Descriptor noType = entry(null, Platform.of("linux", "amd64", null), null);
        Descriptor noPlatform = entry(null);
        Descriptor nested = entry(MediaTypes.DOCKER_MANIFEST_LIST, Platform.of("linux", "amd64", null), null);
        assertEquals(Optional.of(nested), index(inToto, noType, noPlatform, nested).select(Platform.parse("linux/amd64")));
        Descriptor docker = entry(MediaTypes.DOCKER_MANIFEST, Platform.of("linux", "amd64", null), null);
        assertEquals(Optional.of(docker), index(inToto, docker).select(Platform.parse("linux/amd64")));
        assertEquals(Optional.empty(), new ImageIndex(2, MediaTypes.OCI_INDEX, null, null).select(Platform.host()));
    }

    @Test
    void noMatchIsNotFoundInDockersWords() {
        ImageIndex idx = index(entry("linux/arm64/v8"), entry("linux/s390x"));
        assertFails(ErrorCategory.NOT_FOUND, () -> idx.selectOrThrow(Platform.parse("linux/amd64"), "busybox:latest"),
                "no matching manifest for linux/amd64 in the manifest list entries");
        assertFails(ErrorCategory.NOT_FOUND, () -> idx.selectOrThrow(Platform.parse("linux/arm/v7"), "x"),
                "no matching manifest for linux/arm/v7 in the manifest list entries");
        assertEquals(idx.manifests().getFirst(), idx.selectOrThrow(Platform.parse("linux/arm64"), "x"));
    }
}
