package dev.berth.desktop.push;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushTargetTest {
    @Test
    void dockerHubTargetsAreTheUsersNamespaceWithHubsNameRules() {
        PushTarget t = PushTarget.dockerHub("Alice", "my-app", "");
        assertEquals("docker.io/alice/my-app:latest", t.reference());
        assertEquals("docker pull alice/my-app@sha256:abc", t.pullCommand("sha256:abc"));
        for (String bad : new String[] {"a", "My-App", "-app", "app-", "a/b", "app!"}) {
            BerthException e = assertThrows(BerthException.class, () -> PushTarget.dockerHub("alice", bad, "1"));
            assertTrue(e.getMessage().contains("not a valid Docker Hub repository name"), e.getMessage());
        }
        assertThrows(BerthException.class, () -> PushTarget.dockerHub(null, "app", "1"));
        assertThrows(BerthException.class, () -> PushTarget.dockerHub("alice", "app", ".bad"));
    }

    @Test
    void otherRegistriesTakeNestedRepositories() {
        PushTarget t = PushTarget.on("127.0.0.1:5000", "team/tools/app", "v1.2");
        assertEquals("127.0.0.1:5000/team/tools/app:v1.2", t.reference());
        assertEquals("docker pull 127.0.0.1:5000/team/tools/app@sha256:abc", t.pullCommand("sha256:abc"));
        assertThrows(BerthException.class, () -> PushTarget.on("ghcr.io", "Team/app", "1"));
        assertThrows(BerthException.class, () -> PushTarget.on("ghcr.io", "team//app", "1"));
        assertEquals("docker.io/bob/app:1", PushTarget.on("docker.io", "bob/app", "1").reference());
    }
}
