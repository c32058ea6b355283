package dev.berth.cli.format;

import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.ImageHistoryItem;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CLI's fast path must build exactly the records Jackson would, absent and null fields included. */
class RawModelsTest {
    @Test
    void imageSummariesMatchJacksonsBinding() throws Exception {
        String json = """
                [{"Id":"sha256:a","ParentId":"","RepoTags":["busybox:latest"],"RepoDigests":["busybox@sha256:b"],
                  "Created":1700000000,"Size":4261234,"SharedSize":-1,"Labels":{"k":"v"},"Containers":2,"Extra":[1]},
                 {"Id":"sha256:c","RepoTags":null,"Labels":null,"Created":1,"Size":0,"SharedSize":0,"Containers":0}]""";
        List<ImageSummary> viaJackson = Json.MAPPER.readerForListOf(ImageSummary.class).readValue(json);
        assertEquals(viaJackson, RawModels.imageSummaries(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void historyMatchesJacksonsBinding() throws Exception {
        String json = """
                [{"Id":"<missing>","Created":1,"CreatedBy":"ADD x","Tags":null,"Size":5,"Comment":"c"},
                 {"Id":"sha256:d","Created":2,"Tags":["a:1"],"Size":0}]""";
        List<ImageHistoryItem> viaJackson = Json.MAPPER.readerForListOf(ImageHistoryItem.class).readValue(json);
        assertEquals(viaJackson, RawModels.history(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void diskUsageMatchesJacksonsBinding() throws Exception {
        String json = """
                {"LayersSize":10,"Images":[{"Id":"sha256:a","Size":10,"SharedSize":0,"Containers":1,"Created":1,"RepoTags":[],"RepoDigests":[],"Labels":{}}],
                 "Containers":[{"Id":"c","Names":["/n"],"Image":"i","Command":"sh","Created":3,"State":"exited","Status":"Exited (0)","SizeRw":7,"SizeRootFs":9}],
                 "Volumes":[{"Name":"v","Driver":"local","Mountpoint":"/m","UsageData":{"Size":5,"RefCount":1}}],
                 "BuildCache":[{"ID":"b","Type":"regular","Size":3,"InUse":true,"Shared":false,"UsageCount":4}]}""";
        DiskUsage viaJackson = Json.MAPPER.readValue(json, DiskUsage.class);
        assertEquals(viaJackson, RawModels.diskUsage(json.getBytes(StandardCharsets.UTF_8)));
    }
}
