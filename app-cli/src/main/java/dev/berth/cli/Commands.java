package dev.berth.cli;

import dev.berth.cli.commands.BerthCommand;
import dev.berth.cli.commands.DaemonCommand;
import dev.berth.cli.commands.EventsCommand;
import dev.berth.cli.commands.HistoryCommand;
import dev.berth.cli.commands.ImageInspectCommand;
import dev.berth.cli.commands.ImagePruneCommand;
import dev.berth.cli.commands.ImagesCommand;
import dev.berth.cli.commands.InfoCommand;
import dev.berth.cli.commands.InspectCommand;
import dev.berth.cli.commands.LoadCommand;
import dev.berth.cli.commands.LoginCommand;
import dev.berth.cli.commands.LogoutCommand;
import dev.berth.cli.commands.PullCommand;
import dev.berth.cli.commands.PushCommand;
import dev.berth.cli.commands.RmiCommand;
import dev.berth.cli.commands.SaveCommand;
import dev.berth.cli.commands.SystemDfCommand;
import dev.berth.cli.commands.TagCommand;
import dev.berth.cli.commands.VersionCommand;

import java.util.List;

/**
 * Every command's name, aliases, usage and summary, with a factory. Only the command that runs is
 * instantiated, which keeps startup independent of how many commands exist.
 */
final class Commands {
    enum Section { COMMON, MANAGEMENT, OTHER }

    /** A command or a group of commands ({@code children} non-empty). */
    record Entry(String name, List<String> aliases, String use, String summary, String factory,
                 List<Entry> children, Section section, String aliasHelp) {
        boolean isGroup() {
            return !children.isEmpty();
        }

        boolean matches(String word) {
            return name.equals(word) || aliases.contains(word);
        }
    }

    private static Entry leaf(String name, List<String> aliases, String use, String summary, String f,
                              Section section, String aliasHelp) {
        return new Entry(name, aliases, use, summary, f, List.of(), section, aliasHelp);
    }

    private static final String IMAGES_ALIASES = "berth image ls, berth image list, berth images";
    private static final String RMI_ALIASES = "berth image rm, berth image remove, berth rmi";

    static final List<Entry> IMAGE = List.of(
            leaf("history", List.of(), "[OPTIONS] IMAGE", "Show the history of an image", "History", Section.OTHER,
                    "berth image history, berth history"),
            leaf("inspect", List.of(), "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images",
                    "ImageInspect", Section.OTHER, null),
            leaf("load", List.of(), "[OPTIONS]", "Load an image from a tar archive or STDIN", "Load", Section.OTHER,
                    "berth image load, berth load"),
            leaf("ls", List.of("list"), "[OPTIONS] [REPOSITORY[:TAG]]", "List images", "Images", Section.OTHER,
                    IMAGES_ALIASES),
            leaf("prune", List.of(), "[OPTIONS]", "Remove unused images", "ImagePrune", Section.OTHER, null),
            leaf("pull", List.of(), "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", "Pull",
                    Section.OTHER, "berth image pull, berth pull"),
            leaf("push", List.of(), "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", "Push", Section.OTHER,
                    "berth image push, berth push"),
            leaf("rm", List.of("rmi", "remove"), "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", "Rmi",
                    Section.OTHER, RMI_ALIASES),
            leaf("save", List.of(), "[OPTIONS] IMAGE [IMAGE...]",
                    "Save one or more images to a tar archive (streamed to STDOUT by default)", "Save", Section.OTHER,
                    "berth image save, berth save"),
            leaf("tag", List.of(), "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
                    "Tag", Section.OTHER, "berth image tag, berth tag"));

    static final List<Entry> SYSTEM = List.of(
            leaf("df", List.of(), "[OPTIONS]", "Show Berth disk usage", "SystemDf", Section.OTHER, null),
            leaf("events", List.of(), "[OPTIONS]", "Get real time events from the server", "Events", Section.OTHER,
                    "berth system events, berth events"),
            leaf("info", List.of(), "[OPTIONS]", "Display system-wide information", "Info", Section.OTHER,
                    "berth system info, berth info"));

    static final List<Entry> TOP = List.of(
            leaf("pull", List.of(), "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", "Pull",
                    Section.COMMON, "berth image pull, berth pull"),
            leaf("push", List.of(), "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", "Push", Section.COMMON,
                    "berth image push, berth push"),
            leaf("images", List.of(), "[OPTIONS] [REPOSITORY[:TAG]]", "List images", "Images", Section.COMMON,
                    IMAGES_ALIASES),
            leaf("login", List.of(), "[OPTIONS] [SERVER]", "Authenticate to a registry", "Login", Section.COMMON, null),
            leaf("logout", List.of(), "[SERVER]", "Log out from a registry", "Logout", Section.COMMON, null),
            leaf("version", List.of(), "[OPTIONS]", "Show the Berth version information", "Version", Section.COMMON, null),
            leaf("info", List.of(), "[OPTIONS]", "Display system-wide information", "Info", Section.COMMON,
                    "berth system info, berth info"),
            new Entry("image", List.of(), "COMMAND", "Manage images", null, IMAGE, Section.MANAGEMENT, null),
            new Entry("system", List.of(), "COMMAND", "Manage Berth", null, SYSTEM, Section.MANAGEMENT, null),
            leaf("daemon", List.of(), "[OPTIONS]", "Run the Berth engine", "Daemon", Section.OTHER, null),
            leaf("events", List.of(), "[OPTIONS]", "Get real time events from the server", "Events", Section.OTHER,
                    "berth system events, berth events"),
            leaf("history", List.of(), "[OPTIONS] IMAGE", "Show the history of an image", "History", Section.OTHER,
                    "berth image history, berth history"),
            leaf("inspect", List.of(), "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Berth objects",
                    "Inspect", Section.OTHER, null),
            leaf("load", List.of(), "[OPTIONS]", "Load an image from a tar archive or STDIN", "Load", Section.OTHER,
                    "berth image load, berth load"),
            leaf("rmi", List.of(), "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", "Rmi", Section.OTHER,
                    RMI_ALIASES),
            leaf("save", List.of(), "[OPTIONS] IMAGE [IMAGE...]",
                    "Save one or more images to a tar archive (streamed to STDOUT by default)", "Save", Section.OTHER,
                    "berth image save, berth save"),
            leaf("tag", List.of(), "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
                    "Tag", Section.OTHER, "berth image tag, berth tag"));

    /**
     * Makes the command an entry names. A plain string switch rather than constructor references:
     * each method reference would cost a lambda bootstrap at startup for commands that never run.
     */
    static BerthCommand create(String factory) {
        return switch (factory) {
            case "Daemon" -> new DaemonCommand();
            case "Events" -> new EventsCommand();
            case "History" -> new HistoryCommand();
            case "ImageInspect" -> new ImageInspectCommand();
            case "ImagePrune" -> new ImagePruneCommand();
            case "Images" -> new ImagesCommand();
            case "Info" -> new InfoCommand();
            case "Inspect" -> new InspectCommand();
            case "Load" -> new LoadCommand();
            case "Login" -> new LoginCommand();
            case "Logout" -> new LogoutCommand();
            case "Pull" -> new PullCommand();
            case "Push" -> new PushCommand();
            case "Rmi" -> new RmiCommand();
            case "Save" -> new SaveCommand();
            case "SystemDf" -> new SystemDfCommand();
            case "Tag" -> new TagCommand();
            case "Version" -> new VersionCommand();
            default -> throw new IllegalArgumentException("no command " + factory);
        };
    }

    static Entry find(List<Entry> entries, String word) {
        for (Entry e : entries) {
            if (e.matches(word)) {
                return e;
            }
        }
        return null;
    }

    private Commands() {
    }
}
