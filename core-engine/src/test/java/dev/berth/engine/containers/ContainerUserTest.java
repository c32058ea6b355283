package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docker cp -a: the container's User as ids, from the container's own passwd and group. */
class ContainerUserTest {
    @TempDir
    Path root;

    @Test
    void namesAndIdsResolveInsideTheContainer() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nweb:x:33:44::/srv:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
        assertArrayEquals(new int[] {0, 0}, ContainerUser.resolve(root, ""));
        assertArrayEquals(new int[] {33, 44}, ContainerUser.resolve(root, "web"));
        assertArrayEquals(new int[] {33, 44}, ContainerUser.resolve(root, "33"));
        assertArrayEquals(new int[] {33, 50}, ContainerUser.resolve(root, "web:staff"));
        assertArrayEquals(new int[] {1000, 7}, ContainerUser.resolve(root, "1000:7"));
        assertThrows(BerthException.class, () -> ContainerUser.resolve(root, "nobody"));
    }
}
