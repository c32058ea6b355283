package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommitChangesTest {
    @Test
    void dockerfileInstructionsEditTheConfig() throws Exception {
        ObjectNode c = (ObjectNode) Json.MAPPER.readTree("{\"Env\":[\"PATH=/bin\",\"A=1\"],\"Cmd\":[\"sh\"]}");
        CommitChanges.apply(c, List.of("ENV A=2 B=\"two words\"", "CMD [\"echo\",\"hi\"]", "ENTRYPOINT /bin/run x",
                "EXPOSE 80 53/udp", "LABEL k=v", "WORKDIR /srv\nUSER nobody"));
        assertEquals("[\"PATH=/bin\",\"A=2\",\"B=two words\"]", c.get("Env").toString());
        assertEquals("[\"echo\",\"hi\"]", c.get("Cmd").toString());
        assertEquals("[\"/bin/sh\",\"-c\",\"/bin/run x\"]", c.get("Entrypoint").toString());
        assertEquals(Set.of("80/tcp", "53/udp"), Set.copyOf(List.copyOf(iterable(c.get("ExposedPorts").fieldNames()))));
        assertEquals("v", c.get("Labels").get("k").asText());
        assertEquals("/srv", c.get("WorkingDir").asText());
        assertEquals("nobody", c.get("User").asText());
        var e = assertThrows(BerthException.class, () -> CommitChanges.apply(c, List.of("RUN rm -rf /")));
        assertEquals("run is not a valid change command", e.getMessage());
    }

    @Test
    void theContainersSettingsGoOverTheImages() throws Exception {
        ObjectNode image = (ObjectNode) Json.MAPPER.readTree("{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"WorkingDir\":\"/\"}");
        var merged = Committer.mergeConfig(image, Json.MAPPER.readTree("{\"Env\":[\"X=1\"],\"Entrypoint\":[\"top\"]}"));
        assertEquals("[\"PATH=/bin\",\"X=1\"]", merged.get("Env").toString());
        assertEquals("[\"top\"]", merged.get("Entrypoint").toString());
        assertEquals(true, merged.get("Cmd").isNull(), "an entrypoint without a command drops the image's command");
        var keep = Committer.mergeConfig(image, Json.MAPPER.readTree("{\"Cmd\":null}"));
        assertEquals("[\"sh\"]", keep.get("Cmd").toString());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
