package dev.berth.cli.format;

import dev.berth.engine.format.Units;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.errors.BerthException;
import dev.berth.images.ImageReference;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of {@code berth images} as docker makes them from image summaries: one row per
 * repository and tag (and per digest with {@code --digests}), {@code <none>} for dangling images,
 * and the fields {@code --format} can use.
 */
public final class ImageRows {
    public static final String DEFAULT_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public static final String DEFAULT_TABLE_WITH_DIGEST = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public static final String QUIET = "{{.ID}}";

    /** Column titles for table headers. */
    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "IMAGE ID"), Map.entry("Repository", "REPOSITORY"), Map.entry("Tag", "TAG"),
            Map.entry("Digest", "DIGEST"), Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Size", "SIZE"), Map.entry("Containers", "CONTAINERS"), Map.entry("VirtualSize", "SIZE"),
            Map.entry("SharedSize", "SHARED SIZE"), Map.entry("UniqueSize", "UNIQUE SIZE"));

    /** In a holder: building it loads java.time's formatting classes, which the default tables never use. */
    private static final class GoTime {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z", Locale.ROOT);
    }

    private ImageRows() {
    }

    /** docker's {@code NewImageFormat}: which format {@code --format}, {@code -q} and {@code --digests} amount to. */
    public static String format(String source, boolean quiet, boolean digests) {
        if (source.equals(Formatter.TABLE)) {
            return quiet ? QUIET : digests ? DEFAULT_TABLE_WITH_DIGEST : DEFAULT_TABLE;
        }
        if (Formatter.isTable(source) && digests && !source.contains("{{.Digest}}")) {
            return source + "\t{{.Digest}}";
        }
        return source;
    }

    /** One image row; {@code trunc} shortens IDs to 12 digits as the table does. */
    public record Row(ImageSummary image, String repository, String tag, String digest, boolean trunc, Instant now)
            implements TemplateFields {
        @Override
        public String typeName() {
            return "*formatter.imageContext";
        }

        private static final String[] FIELDS = {"Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository",
            "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"};

        @Override
        public Map<String, Object> asMap() {
            return new LazyFields(FIELDS, this::field);
        }

        private Object field(String name) {
            return switch (name) {
                case "Containers" -> image.containers() == -1 ? "N/A" : Long.toString(image.containers());
                case "CreatedAt" -> createdAt(image.created());
                case "CreatedSince" -> Units.humanDuration(Duration.between(Instant.ofEpochSecond(image.created()), now)) + " ago";
                case "Digest" -> digest;
                case "ID" -> trunc ? Units.truncateId(image.id()) : image.id();
                case "Repository" -> repository;
                case "SharedSize" -> image.sharedSize() == -1 ? "N/A" : Units.humanSize(image.sharedSize());
                case "Size" -> Units.humanSizeWithPrecision(image.size(), 3);
                case "Tag" -> tag;
                case "UniqueSize" -> image.size() == -1 || image.sharedSize() == -1 ? "N/A"
                        : Units.humanSize(image.size() - image.sharedSize());
                default -> Units.humanSize(image.size()); // VirtualSize
            };
        }
    }

    /** Go's {@code time.Unix(s, 0).String()} in the local zone. */
    static String createdAt(long epochSeconds) {
        return GoTime.FORMAT.format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
    }

    static boolean isDangling(ImageSummary img) {
        if (img.repoTags().isEmpty() && img.repoDigests().isEmpty()) {
            return true;
        }
        return img.repoTags().size() == 1 && img.repoTags().getFirst().equals("<none>:<none>")
                && img.repoDigests().size() == 1 && img.repoDigests().getFirst().equals("<none>@<none>");
    }

    /**
     * docker's {@code imageFormat}: dangling images as one {@code <none>} row; else a row per tag, each
     * tag repeated per digest of its repository when digests are shown, then rows for repositories
     * known only by digest.
     */
    public static List<Row> rows(List<ImageSummary> images, boolean showDigests, boolean formatUsesDigest, boolean trunc,
                                 Instant now) {
        List<Row> rows = new ArrayList<>();
        boolean needDigest = showDigests || formatUsesDigest;
        for (ImageSummary img : images) {
            if (isDangling(img)) {
                rows.add(new Row(img, "<none>", "<none>", "<none>", trunc, now));
                continue;
            }
            Map<String, List<String>> repoTags = new LinkedHashMap<>();
            Map<String, List<String>> repoDigests = new LinkedHashMap<>();
            for (String ref : img.repoTags()) {
                ImageReference r = parse(ref);
                if (r != null && r.tag().isPresent()) {
                    add(repoTags, r.familiarName(), r.tag().get());
                }
            }
            for (String ref : img.repoDigests()) {
                ImageReference r = parse(ref);
                if (r != null && r.digest().isPresent()) {
                    add(repoDigests, r.familiarName(), r.digest().get().toString());
                }
            }
            for (Map.Entry<String, List<String>> e : repoTags.entrySet()) {
                List<String> digests = repoDigests.remove(e.getKey());
                if (!needDigest || digests == null) {
                    digests = List.of();
                }
                for (String tag : e.getValue()) {
                    if (digests.isEmpty()) {
                        rows.add(new Row(img, e.getKey(), tag, "<none>", trunc, now));
                    } else {
                        for (String d : digests) {
                            rows.add(new Row(img, e.getKey(), tag, d, trunc, now));
                        }
                    }
                }
            }
            for (Map.Entry<String, List<String>> e : repoDigests.entrySet()) {
                if (showDigests) {
                    for (String d : e.getValue()) {
                        rows.add(new Row(img, e.getKey(), "<none>", d, trunc, now));
                    }
                } else {
                    rows.add(new Row(img, e.getKey(), "<none>", "", trunc, now));
                }
            }
        }
        return rows;
    }

    private static void add(Map<String, List<String>> map, String key, String value) {
        List<String> values = map.get(key);
        if (values == null) {
            values = new ArrayList<>();
            map.put(key, values);
        }
        values.add(value);
    }

    private static ImageReference parse(String ref) {
        try {
            return ImageReference.parseNormalizedNamed(ref);
        } catch (BerthException | IllegalArgumentException e) {
            return null; // docker skips references it cannot parse
        }
    }
}
