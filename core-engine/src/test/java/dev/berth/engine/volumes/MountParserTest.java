package dev.berth.engine.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountParserTest {
    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String error(Runnable r) {
        BerthException e = assertThrows(BerthException.class, r::run);
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        return e.getMessage();
    }

    @Test
    void bindsFollowDockersGrammar() {
        MountPoint named = MountParser.parseBind("data:/var/lib/x");
        assertEquals(MountPoint.VOLUME, named.type());
        assertEquals("data", named.name());
        assertEquals("/var/lib/x", named.destination());
        assertEquals("z", named.mode());
        assertTrue(named.rw());
        assertTrue(named.copyData());
        assertFalse(named.anonymous());

        MountPoint ro = MountParser.parseBind("/host/dir/:/c/../d:ro,rshared");
        assertEquals(MountPoint.BIND, ro.type());
        assertEquals("/host/dir", ro.source());
        assertEquals("/d", ro.destination());
        assertFalse(ro.rw());
        assertEquals("rshared", ro.propagation());
        assertEquals("ro,rshared", ro.mode());

        MountPoint nocopy = MountParser.parseBind("v2:/x:nocopy");
        assertFalse(nocopy.copyData());
        assertTrue(MountParser.parseBind("/only").anonymous());
        assertEquals("rprivate", MountParser.parseBind("/a:/b").propagation());
    }

    @Test
    void badBindsGetDockersMessages() {
        assertEquals("invalid volume specification: '/foo:rw'", error(() -> MountParser.parseBind("/foo:rw")));
        assertEquals("invalid volume specification: ':/x'", error(() -> MountParser.parseBind(":/x")));
        assertEquals("invalid volume specification: 'a:b:c:d'", error(() -> MountParser.parseBind("a:b:c:d")));
        assertEquals("invalid mode: bogus", error(() -> MountParser.parseBind("/a:/b:bogus")));
        assertEquals("invalid mode: ro,rw", error(() -> MountParser.parseBind("/a:/b:ro,rw")));
        assertEquals("invalid volume specification: 'v:rel': invalid mount path: 'rel' mount path must be absolute",
                error(() -> MountParser.parseBind("v:rel")));
        assertEquals("invalid volume specification: '/a:/': invalid specification: destination can't be '/'",
                error(() -> MountParser.parseBind("/a:/")));
    }

    @Test
    void mountSpecs() throws Exception {
        MountPoint tmpfs = MountParser.parseMount(json("""
                {"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":2097152,"Mode":1023,"Options":[["exec"]]}}"""));
        assertEquals("mode=1777,size=2m,exec", tmpfs.data());
        MountPoint vol = MountParser.parseMount(json("""
                {"Type":"volume","Source":"v","Target":"/v","ReadOnly":true,
                 "VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"},"DriverConfig":{"Name":"local","Options":{"type":"tmpfs","device":"tmpfs"}}}}"""));
        assertFalse(vol.rw());
        assertFalse(vol.copyData());
        assertEquals(Map.of("a", "b"), vol.volumeLabels());
        assertEquals(Map.of("type", "tmpfs", "device", "tmpfs"), vol.volumeOptions());

        assertEquals("invalid mount config for type \"bind\": bind source path does not exist: /does/not/exist/volumes",
                error(() -> MountParser.parseMount(json("{\"Type\":\"bind\",\"Source\":\"/does/not/exist/volumes\",\"Target\":\"/x\"}"))));
        assertEquals("invalid mount config for type \"volume\": field Target must not be empty",
                error(() -> MountParser.parseMount(json("{\"Type\":\"volume\",\"Source\":\"v\"}"))));
        assertEquals("invalid mount config for type \"bind\": field VolumeOptions must not be specified",
                error(() -> MountParser.parseMount(json("{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/x\",\"VolumeOptions\":{}}"))));
        assertEquals("invalid mount config for type \"tmpfs\": field Source must not be specified",
                error(() -> MountParser.parseMount(json("{\"Type\":\"tmpfs\",\"Source\":\"x\",\"Target\":\"/x\"}"))));
        assertEquals("invalid mount config for type \"npipe\": mount type unknown",
                error(() -> MountParser.parseMount(json("{\"Type\":\"npipe\",\"Source\":\"x\",\"Target\":\"/x\"}"))));
        assertEquals("invalid mount config for type \"tmpfs\": invalid option: size",
                error(() -> MountParser.parseMount(json("{\"Type\":\"tmpfs\",\"Target\":\"/x\",\"TmpfsOptions\":{\"Options\":[[\"size\",\"1\"]]}}"))));
    }

    @Test
    void requestMergesBindsMountsTmpfsAndAnonymousVolumes() throws Exception {
        JsonNode config = json("{\"Volumes\":{\"/user\":{},\"/data\":{}}}");
        JsonNode hc = json("""
                {"Binds":["named:/data"],"Mounts":[{"Type":"tmpfs","Target":"/m"}],"Tmpfs":{"/run":"size=1m"}}""");
        MountParser.Parsed p = MountParser.parse(config, hc, Map.of("/image/", Map.of(), "/run", Map.of()));
        assertEquals(List.of("/data", "/image", "/m", "/user"), p.mounts().stream().map(MountPoint::destination).sorted().toList());
        assertEquals("named", p.mounts().stream().filter(m -> m.destination().equals("/data")).findFirst().orElseThrow().name());
        assertEquals(Map.of("/run", "size=1m"), p.tmpfs());
        assertTrue(p.mounts().stream().filter(m -> m.destination().equals("/image")).findFirst().orElseThrow().anonymous());

        assertEquals("Duplicate mount point: /x", error(() -> MountParser.parse(json("{}"), json("{\"Binds\":[\"a:/x\",\"/b:/x\"]}"), null)));
        assertEquals("Duplicate mount point: /x", error(() -> MountParser.parse(json("{}"), json("{\"Binds\":[\"a:/x\"],\"Tmpfs\":{\"/x\":\"\"}}"), null)));
        assertEquals("invalid mount path: 'rel' mount path must be absolute", error(() -> MountParser.parse(json("{}"), json("{\"Tmpfs\":{\"rel\":\"\"}}"), null)));
    }

    @Test
    void cleanIsGosPathClean() {
        assertEquals("/", MountParser.clean("/../.."));
        assertEquals("/a/c", MountParser.clean("/a/b/../c/."));
        assertEquals("a", MountParser.clean("a/"));
        assertEquals("../x", MountParser.clean("../x"));
    }

    @Test
    void tmpfsOptionsMergeOverDockersDefaults() {
        assertEquals(List.of("noexec", "nosuid", "nodev", "rprivate"), ContainerMounts.mergeTmpfs(""));
        assertEquals(List.of("nosuid", "nodev", "rprivate", "exec", "size=1m"), ContainerMounts.mergeTmpfs("size=2m,exec,size=1m"));
        assertEquals(List.of("noexec", "nosuid", "nodev", "rshared", "ro"), ContainerMounts.mergeTmpfs("rshared,ro"));
    }

    @Test
    void specMountsReplaceDefaultsAndAreSortedByDepth() throws Exception {
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) json("""
                {"mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev/shm","type":"tmpfs","source":"shm"}]}""");
        List<MountPoint> mounts = List.of(
                new MountPoint("bind", "", "/h/deep", "/a/b/c", "", "ro", false, "rprivate", false, false, null, false, null, null),
                new MountPoint("volume", "v", "/vol/_data", "/a", "local", "z", true, "", true, false, null, false, null, null));
        ContainerMounts.applyMounts(spec, mounts, Map.of("/dev/shm", "size=1m"));
        assertEquals(List.of("/proc", "/a", "/dev/shm", "/a/b/c"),
                spec.path("mounts").valueStream().map(m -> m.path("destination").asText()).toList());
        assertEquals("[\"rbind\",\"ro\",\"rprivate\"]", spec.path("mounts").get(3).path("options").toString());
        assertEquals("[\"rbind\",\"rprivate\"]", spec.path("mounts").get(1).path("options").toString());
        assertEquals("tmpfs", spec.path("mounts").get(2).path("type").asText());
    }
}
