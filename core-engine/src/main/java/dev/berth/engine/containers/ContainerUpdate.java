package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.runtime.CreateOptions;
import dev.berth.engine.runtime.HostSettings;
import dev.berth.engine.runtime.ResourceLimits;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /containers/{id}/update}, planned the way moby's daemon/update.go and
 * container.UpdateContainer do it: the request alone is checked with create's rules (400s), then
 * against what is already set (409s, "Cannot update container ID: ..."), then merged field by field (a
 * zero leaves a value as it was). Nothing is written until every check has passed.
 *
 * @param config    the container's catalog config with the merged HostConfig
 * @param resources the merged {@code linux.resources} memory/cpu/pids, for runc and config.json
 */
public record ContainerUpdate(ObjectNode config, ObjectNode resources, List<String> warnings) {
    /** The Resources fields Docker's update merges when non-zero (container.UpdateContainer). */
    private static final List<String> LONGS = List.of("CpuShares", "NanoCpus", "CpuPeriod", "CpuQuota", "Memory",
            "MemorySwap", "MemoryReservation", "BlkioWeight");
    private static final List<String> STRINGS = List.of("CpusetCpus", "CpusetMems");

    public static ContainerUpdate plan(ContainerRecord r, JsonNode request, ResourceLimits limits) {
        List<String> warnings = new ArrayList<>();
        JsonNode rq = request == null || !request.isObject() ? Json.MAPPER.createObjectNode() : request;
        // verifyContainerSettings(update=true): create's checks, except that swap alone is allowed.
        ObjectNode alone = ((ObjectNode) rq).deepCopy();
        if (alone.path("Memory").asLong(0) == 0) {
            alone.remove("MemorySwap");
        }
        resources(alone, limits, warnings);
        JsonNode rp = rq.path("RestartPolicy");
        String policy = rp.path("Name").asText("");
        if (!policy.isEmpty()) {
            RestartPolicy.validate(rq);
        }

        ObjectNode config = r.config().deepCopy();
        ObjectNode hc = config.has("HostConfig") && config.get("HostConfig").isObject()
                ? (ObjectNode) config.get("HostConfig") : config.putObject("HostConfig");
        long nano = rq.path("NanoCpus").asLong(0);
        long period = rq.path("CpuPeriod").asLong(0);
        long quota = rq.path("CpuQuota").asLong(0);
        if (nano > 0 && hc.path("CpuPeriod").asLong(0) > 0) {
            throw cannot(r, "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        }
        if (nano > 0 && hc.path("CpuQuota").asLong(0) > 0) {
            throw cannot(r, "Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        }
        if (period > 0 && hc.path("NanoCpus").asLong(0) > 0) {
            throw cannot(r, "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        }
        if (quota > 0 && hc.path("NanoCpus").asLong(0) > 0) {
            throw cannot(r, "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }
        long memory = rq.path("Memory").asLong(0);
        if (memory != 0 && memory > hc.path("MemorySwap").asLong(0) && rq.path("MemorySwap").asLong(0) == 0) {
            throw cannot(r, "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
        if (!policy.isEmpty() && hc.path("AutoRemove").asBoolean(false) && !policy.equals(RestartPolicy.NO)) {
            throw cannot(r, "Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
        for (String f : LONGS) {
            if (rq.path(f).asLong(0) != 0) {
                hc.put(f, rq.path(f).asLong());
            }
        }
        for (String f : STRINGS) {
            if (!rq.path(f).asText("").isEmpty()) {
                hc.put(f, rq.path(f).asText());
            }
        }
        if (rq.hasNonNull("PidsLimit")) {
            hc.put("PidsLimit", rq.path("PidsLimit").asLong());
        }
        if (!policy.isEmpty()) {
            hc.set("RestartPolicy", rp.deepCopy());
        }
        // Docker's warnings are the request's; the merged values were warned about when first set.
        ObjectNode merged = resources(hc, limits, new ArrayList<>());
        // Create leaves unlimited swap out of the spec (nothing was set yet); a live update must lift the old limit.
        if (hc.path("MemorySwap").asLong(0) == -1 && merged.path("memory").isObject() && limits.swapLimit()) {
            ((ObjectNode) merged.get("memory")).put("swap", -1);
        }
        return new ContainerUpdate(config, merged, List.copyOf(warnings));
    }

    /** Create's checks and spec shape for one HostConfig's limits (ResourceLimits.apply). */
    private static ObjectNode resources(JsonNode hc, ResourceLimits limits, List<String> warnings) {
        HostSettings hs = HostSettings.from(hc, hc.path("NetworkMode").asText(""));
        CreateOptions opts = CreateOptions.defaults().withResources(hc.path("Memory").asLong(0),
                hc.path("NanoCpus").asLong(0) / 1e9, Math.max(0, hc.path("PidsLimit").asLong(0))).withHost(hs);
        ObjectNode out = Json.MAPPER.createObjectNode();
        limits.apply(out, opts, hs, warnings);
        return out;
    }

    private static BerthException cannot(ContainerRecord r, String why) {
        return new BerthException(ErrorCategory.CONFLICT, "Cannot update container " + r.id() + ": " + why);
    }

    /** Puts the merged limits into the bundle's config.json, so the next start (and restart) keeps them. */
    public void rewriteSpec(Path bundle) throws IOException {
        Path file = bundle.resolve("config.json");
        if (!Files.exists(file)) {
            return;
        }
        ObjectNode spec = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        ObjectNode linux = spec.has("linux") ? (ObjectNode) spec.get("linux") : spec.putObject("linux");
        ObjectNode res = linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
        for (String k : List.of("memory", "cpu", "pids")) {
            res.remove(k);
            if (resources.has(k)) {
                res.set(k, resources.get(k).deepCopy());
            }
        }
        dev.berth.images.store.AtomicFile.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
    }
}
