package dev.berth.cli.commands;

import dev.berth.cli.format.TabWriter;
import dev.berth.engine.format.Units;
import dev.berth.cli.Opt;
import dev.berth.cli.format.ImageRows;
import dev.berth.cli.format.RawModels;
import dev.berth.cli.format.TemplateFields;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.ImageSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code berth system df}: space used by images, containers, volumes and build cache, in docker's table. */
public final class SystemDfCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
            Opt.bool('v', "verbose", "Show detailed information on space usage"));

    String format;
    boolean verbose;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "format" -> format = value;
            case "verbose" -> verbose = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    static final String DEFAULT_TABLE = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    static final String VERBOSE_IMAGES = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
    static final String VERBOSE_VOLUMES = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
    static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
            "Size", "SIZE", "Reclaimable", "RECLAIMABLE");
    private static final Set<String> ACTIVE_STATES = Set.of("running", "paused", "restarting");

    @Override
    public int run() {
        noArgs(args);
        DiskUsage du = RawModels.diskUsage(cli.client().diskUsageRaw());
        if (verbose && (format == null || format.isEmpty() || format.equals("table"))) {
            verbose(du);
            return 0;
        }
        String fmt = format == null || format.isEmpty() ? "table" : format;
        if (fmt.equals("table")) {
            fmt = DEFAULT_TABLE;
        }
        out().print(formatRows(fmt, summaries(du), HEADERS));
        return 0;
    }

    /** The four summary rows of docker's {@code DiskUsageContext}. */
    static List<Summary> summaries(DiskUsage du) {
        List<Summary> rows = new ArrayList<>();
        long imagesUsed = 0;
        int imagesActive = 0;
        for (ImageSummary i : du.images()) {
            if (i.containers() > 0) {
                imagesActive++;
            }
            if (i.containers() != 0 && i.size() != -1 && i.sharedSize() != -1) {
                imagesUsed += i.size() - i.sharedSize();
            }
        }
        rows.add(new Summary("Images", du.images().size(), imagesActive, du.layersSize(),
                reclaimable(du.layersSize() - imagesUsed, du.layersSize())));

        long csize = 0;
        long creclaim = 0;
        int cactive = 0;
        for (DiskUsage.ContainerUsage c : du.containers()) {
            boolean active = ACTIVE_STATES.contains(c.state());
            if (active) {
                cactive++;
            } else {
                creclaim += c.sizeRw();
            }
            csize += c.sizeRw();
        }
        rows.add(new Summary("Containers", du.containers().size(), cactive, csize, reclaimable(creclaim, csize)));

        long vsize = 0;
        long vreclaim = 0;
        int vactive = 0;
        for (DiskUsage.VolumeUsage v : du.volumes()) {
            DiskUsage.UsageData u = v.usageData();
            if (u == null) {
                continue;
            }
            if (u.refCount() > 0) {
                vactive++;
            }
            if (u.size() != -1) {
                if (u.refCount() == 0) {
                    vreclaim += u.size();
                }
                vsize += u.size();
            }
        }
        rows.add(new Summary("Local Volumes", du.volumes().size(), vactive, vsize, reclaimable(vreclaim, vsize)));

        long bsize = 0;
        long binUse = 0;
        int bactive = 0;
        for (DiskUsage.BuildCacheUsage b : du.buildCache()) {
            if (!b.shared()) {
                bsize += b.size();
            }
            if (b.inUse()) {
                bactive++;
                if (!b.shared()) {
                    binUse += b.size();
                }
            }
        }
        rows.add(new Summary("Build Cache", du.buildCache().size(), bactive, bsize, Units.humanSize(bsize - binUse)));
        return rows;
    }

    private static String reclaimable(long reclaimable, long total) {
        if (total > 0) {
            return Units.humanSize(reclaimable) + " (" + (reclaimable * 100 / total) + "%)";
        }
        return Units.humanSize(reclaimable);
    }

    record Summary(String type, int total, int active, long size, String reclaimable) implements TemplateFields {
        @Override
        public String typeName() {
            return "*formatter.diskUsageContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Active", Integer.toString(active));
            m.put("Reclaimable", reclaimable);
            m.put("Size", Units.humanSize(size));
            m.put("TotalCount", Integer.toString(total));
            m.put("Type", type);
            return m;
        }
    }

    private void verbose(DiskUsage du) {
        Instant now = cli.io().clock().instant();
        List<ImageRows.Row> images = new ArrayList<>();
        for (ImageSummary i : du.images()) {
            String repo = "<none>";
            String tag = "<none>";
            if (!i.repoTags().isEmpty() && !i.repoTags().getFirst().equals("<none>:<none>")) {
                try {
                    var ref = dev.berth.images.ImageReference.parseNormalizedNamed(i.repoTags().getFirst());
                    if (ref.tag().isPresent()) {
                        repo = ref.familiarName();
                        tag = ref.tag().get();
                    }
                } catch (RuntimeException e) {
                    continue; // docker skips what it cannot parse
                }
            }
            images.add(new ImageRows.Row(i, repo, tag, "", true, now));
        }
        out().print("Images space usage:\n\n");
        out().print(formatRows(VERBOSE_IMAGES, images, ImageRows.HEADERS));
        out().print("\nContainers space usage:\n\n");
        List<Map<String, Object>> containers = new ArrayList<>();
        for (DiskUsage.ContainerUsage c : du.containers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", Units.truncateId(c.id()));
            m.put("Image", c.image());
            m.put("Command", c.command() == null ? "" : "\"" + TabWriter.ellipsis(c.command(), 20) + "\"");
            m.put("LocalVolumes", Long.toString(c.localVolumes()));
            m.put("Size", Units.humanSizeWithPrecision(c.sizeRw(), 3));
            m.put("RunningFor", Units.humanDuration(java.time.Duration.between(Instant.ofEpochSecond(c.created()), now)) + " ago");
            m.put("Status", c.status());
            m.put("Names", c.names() == null || c.names().isEmpty() ? "" : c.names().getFirst().replaceFirst("^/", ""));
            containers.add(m);
        }
        out().print(formatRows("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
                containers, Map.of("ID", "CONTAINER ID", "Image", "IMAGE", "Command", "COMMAND", "LocalVolumes", "LOCAL VOLUMES",
                        "Size", "SIZE", "RunningFor", "CREATED", "Status", "STATUS", "Names", "NAMES")));
        out().print("\nLocal Volumes space usage:\n\n");
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (DiskUsage.VolumeUsage v : du.volumes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", v.name());
            m.put("Links", v.usageData() == null ? "N/A" : Long.toString(v.usageData().refCount()));
            m.put("Size", v.usageData() == null || v.usageData().size() == -1 ? "N/A" : Units.humanSize(v.usageData().size()));
            volumes.add(m);
        }
        out().print(formatRows(VERBOSE_VOLUMES, volumes, Map.of("Name", "VOLUME NAME", "Links", "LINKS", "Size", "SIZE")));
        long builder = du.buildCache().stream().filter(b -> !b.shared()).mapToLong(DiskUsage.BuildCacheUsage::size).sum();
        out().print("\nBuild cache usage: " + Units.humanSize(builder) + "\n\n");
        List<Map<String, Object>> cache = new ArrayList<>();
        for (DiskUsage.BuildCacheUsage b : du.buildCache()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", b.id() == null ? "" : b.id().length() > 12 ? b.id().substring(0, 12) : b.id());
            m.put("CacheType", b.type());
            m.put("Size", Units.humanSizeWithPrecision(b.size(), 3));
            m.put("CreatedSince", ""); // the classic builder's cache records neither time
            m.put("LastUsedSince", "");
            m.put("UsageCount", Long.toString(b.usageCount()));
            m.put("Shared", Boolean.toString(b.shared()));
            cache.add(m);
        }
        // docker 28's defaultBuildCacheVerboseFormat
        out().print(formatRows("table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                cache, Map.of("ID", "CACHE ID", "CacheType", "CACHE TYPE", "Size", "SIZE", "CreatedSince", "CREATED",
                        "LastUsedSince", "LAST USED", "UsageCount", "USAGE", "Shared", "SHARED")));
    }
}
