package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run dialog's input turned into docker run's create request, and the words for input that cannot work. */
class DeskRunRequestTest {
    private static RunRequest req(String ports, String env, String volumes, String network, String restart) {
        return new RunRequest("busybox:latest", "web", "sleep  300", ports, env, volumes, network, restart);
    }

    @Test
    void fieldsBecomeTheCreateRequestAsDockerRunBuildsIt() {
        RunRequest r = req("8080:80, 127.0.0.1:5353:53/udp 9000", "A=1\n\n  B=two words  \n", "data:/data\n/srv:/srv:ro",
                "backend", "unless-stopped");
        assertNull(r.problem());
        JsonNode b = r.body();
        assertEquals("busybox:latest", b.path("Image").asText());
        assertEquals("[\"sleep\",\"300\"]", b.path("Cmd").toString());
        assertEquals("[\"A=1\",\"B=two words\"]", b.path("Env").toString());
        assertEquals("{\"80/tcp\":{},\"53/udp\":{},\"9000/tcp\":{}}", b.path("ExposedPorts").toString());
        JsonNode pb = b.path("HostConfig").path("PortBindings");
        assertEquals("[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]", pb.path("80/tcp").toString());
        assertEquals("[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"5353\"}]", pb.path("53/udp").toString());
        assertEquals("[{\"HostIp\":\"\",\"HostPort\":\"\"}]", pb.path("9000/tcp").toString(), "container port only: any host port");
        assertEquals("[\"data:/data\",\"/srv:/srv:ro\"]", b.path("HostConfig").path("Binds").toString());
        assertEquals("backend", b.path("HostConfig").path("NetworkMode").asText());
        assertEquals("unless-stopped", b.path("HostConfig").path("RestartPolicy").path("Name").asText());
    }

    @Test
    void emptyOptionalFieldsSendNothingAndNoIsTheDefaultPolicy() {
        JsonNode b = new RunRequest("busybox", "", "", "", "", "", "", "no").body();
        assertFalse(b.has("Cmd") || b.has("Env") || b.has("ExposedPorts"), b.toString());
        assertFalse(b.path("HostConfig").has("Binds"), b.toString());
        assertEquals("default", b.path("HostConfig").path("NetworkMode").asText(), "as docker run sends it");
        assertEquals("no", b.path("HostConfig").path("RestartPolicy").path("Name").asText("no"));
        assertFalse(b.path("AttachStdout").asBoolean() || b.path("AttachStderr").asBoolean(), "started detached");
    }

    @Test
    void inputThatCannotWorkIsSaidBeforeAnythingIsSentInTheCliWords() {
        assertTrue(new RunRequest(" ", "", "", "", "", "", "", "").problem().startsWith("Which image?"));
        assertEquals("Port \"80:80:80:80\": invalid IP address: 80:80. Write host:container, e.g. 8080:80, or 127.0.0.1:8080:80/tcp.",
                req("80:80:80:80", "", "", "", "").problem());
        assertTrue(req("8080:http", "", "", "", "").problem().startsWith("Port \"8080:http\": invalid containerPort: http."),
                "the words berth run says for -p 8080:http");
        assertTrue(req("", "NOVALUE", "", "", "").problem().startsWith("Environment \"NOVALUE\""));
        assertTrue(req("", "=x", "", "", "").problem().startsWith("Environment \"=x\""));
        assertTrue(req("", "", "data::ro", "", "").problem()
                .startsWith("Volume \"data::ro\": invalid spec: data::ro: empty section between colons."));
        assertTrue(req("", "", "a:/b:ro:x", "", "").problem().startsWith("Volume \"a:/b:ro:x\": invalid spec: a:/b:ro:x: too many colons."));
        assertTrue(req("", "", "", "", "sometimes").problem().startsWith("Restart policy \"sometimes\": one of no, always"));
        assertTrue(req("", "", "", "", "on-failure:x").problem().startsWith("Restart policy \"on-failure:x\": "));
        assertEquals(null, req("", "", "", "", "on-failure:3").problem());
        RunRequest unclosed = new RunRequest("busybox", "", "sh -c 'echo hi", "", "", "", "", "");
        assertEquals("Command: a single quote is not closed.", unclosed.problem());
    }

    @Test
    void theCommandSplitsAsAShellWouldWithoutExpanding() {
        assertEquals(List.of("sh", "-c", "echo \"hi there\"; sleep 5"),
                RunRequest.CommandWords.split("sh -c 'echo \"hi there\"; sleep 5'"));
        assertEquals(List.of("echo", "a b", "$HOME", "c\\d", "it's"),
                RunRequest.CommandWords.split("  echo \"a b\" '$HOME' \"c\\\\d\" it\\'s  "));
        assertEquals(List.of("", "x"), RunRequest.CommandWords.split("'' x"), "an empty quoted word is a word");
        assertEquals(List.of(), RunRequest.CommandWords.split("   "));
        JsonNode b = new RunRequest("busybox", "", "sh -c 'sleep 1; echo done'", "", "", "", "", "").body();
        assertEquals("[\"sh\",\"-c\",\"sleep 1; echo done\"]", b.path("Cmd").toString());
    }
}
