package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

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
        assertFalse(b.has("Cmd") || b.has("Env") || b.has("ExposedPorts"));
        assertFalse(b.path("HostConfig").has("RestartPolicy") || b.path("HostConfig").has("NetworkMode")
                || b.path("HostConfig").has("Binds"));
    }

    @Test
    void inputThatCannotWorkIsSaidBeforeAnythingIsSent() {
        assertTrue(new RunRequest(" ", "", "", "", "", "", "", "").problem().startsWith("Which image?"));
        assertTrue(req("80:80:80:80", "", "", "", "").problem().startsWith("Port \"80:80:80:80\""));
        assertTrue(req("", "NOVALUE", "", "", "").problem().startsWith("Environment \"NOVALUE\""));
        assertTrue(req("", "=x", "", "", "").problem().startsWith("Environment \"=x\""));
        assertTrue(req("", "", "data", "", "").problem().startsWith("Volume \"data\""));
        assertTrue(req("", "", "data:relative", "", "").problem().startsWith("Volume \"data:relative\""));
        assertTrue(req("", "", "", "", "sometimes").problem().startsWith("Restart policy \"sometimes\": one of no, always"));
    }
}
