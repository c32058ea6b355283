package dev.berth.cli;

import dev.berth.cli.commands.BerthCommand;
import dev.berth.cli.commands.AttachCommand;
import dev.berth.cli.commands.CommitCommand;
import dev.berth.cli.commands.ContainerInspectCommand;
import dev.berth.cli.commands.DiffCommand;
import dev.berth.cli.commands.ExecCommand;
import dev.berth.cli.commands.ExportCommand;
import dev.berth.cli.commands.TopCommand;
import dev.berth.cli.commands.ContainerPruneCommand;
import dev.berth.cli.commands.CpCommand;
import dev.berth.cli.commands.NetworkCommands;
import dev.berth.cli.commands.StatsCommand;
import dev.berth.cli.commands.VolumeCommands;
import dev.berth.cli.commands.KillCommand;
import dev.berth.cli.commands.LogsCommand;
import dev.berth.cli.commands.PauseCommand;
import dev.berth.cli.commands.PortCommand;
import dev.berth.cli.commands.PsCommand;
import dev.berth.cli.commands.RenameCommand;
import dev.berth.cli.commands.UpdateCommand;
import dev.berth.cli.commands.RmCommand;
import dev.berth.cli.commands.RunCommand;
import dev.berth.cli.commands.StartCommand;
import dev.berth.cli.commands.StopCommand;
import dev.berth.cli.commands.WaitCommand;
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
            leaf("build", List.of(), "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", "Build", Section.OTHER,
                    "berth image build, berth build"),
            leaf("history", List.of(), "[OPTIONS] IMAGE", "Show the history of an image", "History", Section.OTHER,
                    "berth image history, berth history"),
            leaf("import", List.of(), "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                    "Import the contents from a tarball to create a filesystem image", "Import", Section.OTHER,
                    "berth image import, berth import"),
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

    private static final String PS_ALIASES = "berth container ls, berth container list, berth container ps, berth ps";

    /** A container command as both {@code berth container NAME} and {@code berth NAME}. */
    private static Entry ctr(String name, String use, String summary, String factory, Section section) {
        return leaf(name, List.of(), use, summary, factory, section, "berth container " + name + ", berth " + name);
    }

    static final List<Entry> CONTAINER = List.of(
            ctr("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
                    "Attach", Section.OTHER),
            ctr("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", "Commit",
                    Section.OTHER),
            ctr("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
                    "Copy files/folders between a container and the local filesystem", "Cp", Section.OTHER),
            ctr("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", "Create", Section.OTHER),
            ctr("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", "Diff",
                    Section.OTHER),
            ctr("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", "Exec",
                    Section.OTHER),
            ctr("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", "Export", Section.OTHER),
            leaf("inspect", List.of(), "[OPTIONS] CONTAINER [CONTAINER...]", "Display detailed information on one or more containers",
                    "ContainerInspect", Section.OTHER, null),
            ctr("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers", "Kill", Section.OTHER),
            ctr("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container", "Logs", Section.OTHER),
            leaf("ls", List.of("list", "ps"), "[OPTIONS]", "List containers", "Ps", Section.OTHER, PS_ALIASES),
            ctr("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", "Pause", Section.OTHER),
            ctr("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", "Port",
                    Section.OTHER),
            leaf("prune", List.of(), "[OPTIONS]", "Remove all stopped containers", "ContainerPrune", Section.OTHER, null),
            ctr("rename", "CONTAINER NEW_NAME", "Rename a container", "Rename", Section.OTHER),
            ctr("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", "Restart", Section.OTHER),
            leaf("rm", List.of("remove"), "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", "Rm",
                    Section.OTHER, "berth container rm, berth container remove, berth rm"),
            ctr("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", "Run", Section.OTHER),
            ctr("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", "Start", Section.OTHER),
            ctr("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", "Stats",
                    Section.OTHER),
            ctr("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", "Stop", Section.OTHER),
            ctr("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", "Top", Section.OTHER),
            ctr("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", "Unpause",
                    Section.OTHER),
            ctr("update", "[OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers", "Update",
                    Section.OTHER),
            ctr("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", "Wait",
                    Section.OTHER));

    static final List<Entry> VOLUME = List.of(
            leaf("create", List.of(), "[OPTIONS] [VOLUME]", "Create a volume", "VolumeCreate", Section.OTHER, null),
            leaf("inspect", List.of(), "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
                    "VolumeInspect", Section.OTHER, null),
            leaf("ls", List.of("list"), "[OPTIONS]", "List volumes", "VolumeLs", Section.OTHER, "berth volume ls, berth volume list"),
            leaf("prune", List.of(), "[OPTIONS]", "Remove unused local volumes", "VolumePrune", Section.OTHER, null),
            leaf("rm", List.of("remove"), "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", "VolumeRm", Section.OTHER,
                    "berth volume rm, berth volume remove"));

    static final List<Entry> NETWORK = List.of(
            leaf("connect", List.of(), "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network", "NetworkConnect",
                    Section.OTHER, null),
            leaf("create", List.of(), "[OPTIONS] NETWORK", "Create a network", "NetworkCreate", Section.OTHER, null),
            leaf("disconnect", List.of(), "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network",
                    "NetworkDisconnect", Section.OTHER, null),
            leaf("inspect", List.of(), "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks",
                    "NetworkInspect", Section.OTHER, null),
            leaf("ls", List.of("list"), "[OPTIONS]", "List networks", "NetworkLs", Section.OTHER, "berth network ls, berth network list"),
            leaf("prune", List.of(), "[OPTIONS]", "Remove all unused networks", "NetworkPrune", Section.OTHER, null),
            leaf("rm", List.of("remove"), "NETWORK [NETWORK...]", "Remove one or more networks", "NetworkRm", Section.OTHER,
                    "berth network rm, berth network remove"));

    static final List<Entry> SYSTEM = List.of(
            leaf("df", List.of(), "[OPTIONS]", "Show Berth disk usage", "SystemDf", Section.OTHER, null),
            leaf("events", List.of(), "[OPTIONS]", "Get real time events from the server", "Events", Section.OTHER,
                    "berth system events, berth events"),
            leaf("info", List.of(), "[OPTIONS]", "Display system-wide information", "Info", Section.OTHER,
                    "berth system info, berth info"),
            leaf("prune", List.of(), "[OPTIONS]", "Remove unused data", "SystemPrune", Section.OTHER, null));

    static final List<Entry> BUILDER = List.of(
            leaf("build", List.of(), "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", "Build", Section.OTHER,
                    "berth image build, berth builder build, berth build"),
            leaf("prune", List.of(), "[OPTIONS]", "Remove build cache", "BuilderPrune", Section.OTHER, null));

    static final List<Entry> TOP = List.of(
            ctr("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", "Run", Section.COMMON),
            ctr("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", "Exec",
                    Section.COMMON),
            leaf("ps", List.of(), "[OPTIONS]", "List containers", "Ps", Section.COMMON, PS_ALIASES),
            leaf("build", List.of(), "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", "Build", Section.COMMON,
                    "berth image build, berth build"),
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
            new Entry("builder", List.of(), "COMMAND", "Manage builds", null, BUILDER, Section.MANAGEMENT, null),
            new Entry("container", List.of(), "COMMAND", "Manage containers", null, CONTAINER, Section.MANAGEMENT, null),
            new Entry("image", List.of(), "COMMAND", "Manage images", null, IMAGE, Section.MANAGEMENT, null),
            new Entry("network", List.of(), "COMMAND", "Manage networks", null, NETWORK, Section.MANAGEMENT, null),
            new Entry("system", List.of(), "COMMAND", "Manage Berth", null, SYSTEM, Section.MANAGEMENT, null),
            new Entry("volume", List.of(), "COMMAND", "Manage volumes", null, VOLUME, Section.MANAGEMENT, null),
            ctr("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
                    "Attach", Section.OTHER),
            ctr("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", "Commit",
                    Section.OTHER),
            ctr("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
                    "Copy files/folders between a container and the local filesystem", "Cp", Section.OTHER),
            ctr("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", "Create", Section.OTHER),
            DaemonMain.ENTRY,
            ctr("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", "Diff",
                    Section.OTHER),
            leaf("events", List.of(), "[OPTIONS]", "Get real time events from the server", "Events", Section.OTHER,
                    "berth system events, berth events"),
            ctr("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", "Export", Section.OTHER),
            leaf("history", List.of(), "[OPTIONS] IMAGE", "Show the history of an image", "History", Section.OTHER,
                    "berth image history, berth history"),
            leaf("import", List.of(), "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                    "Import the contents from a tarball to create a filesystem image", "Import", Section.OTHER,
                    "berth image import, berth import"),
            leaf("inspect", List.of(), "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Berth objects",
                    "Inspect", Section.OTHER, null),
            ctr("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers", "Kill", Section.OTHER),
            leaf("load", List.of(), "[OPTIONS]", "Load an image from a tar archive or STDIN", "Load", Section.OTHER,
                    "berth image load, berth load"),
            ctr("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container", "Logs", Section.OTHER),
            ctr("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", "Pause", Section.OTHER),
            ctr("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", "Port",
                    Section.OTHER),
            ctr("rename", "CONTAINER NEW_NAME", "Rename a container", "Rename", Section.OTHER),
            ctr("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", "Restart", Section.OTHER),
            leaf("rm", List.of(), "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", "Rm",
                    Section.OTHER, "berth container rm, berth container remove, berth rm"),
            leaf("rmi", List.of(), "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", "Rmi", Section.OTHER,
                    RMI_ALIASES),
            leaf("save", List.of(), "[OPTIONS] IMAGE [IMAGE...]",
                    "Save one or more images to a tar archive (streamed to STDOUT by default)", "Save", Section.OTHER,
                    "berth image save, berth save"),
            leaf("search", List.of(), "[OPTIONS] TERM", "Search Docker Hub for images", "Search", Section.OTHER, null),
            ctr("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", "Start", Section.OTHER),
            ctr("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", "Stats",
                    Section.OTHER),
            ctr("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", "Stop", Section.OTHER),
            leaf("tag", List.of(), "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
                    "Tag", Section.OTHER, "berth image tag, berth tag"),
            ctr("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", "Top", Section.OTHER),
            ctr("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", "Unpause",
                    Section.OTHER),
            ctr("update", "[OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers", "Update",
                    Section.OTHER),
            ctr("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", "Wait",
                    Section.OTHER),
            leaf("completion", List.of(), "bash|zsh", "Print a shell completion script", "Completion", Section.OTHER, null));

    /**
     * Makes the command an entry names. A plain string switch rather than constructor references:
     * each method reference would cost a lambda bootstrap at startup for commands that never run.
     */
    static BerthCommand create(String factory) {
        return switch (factory) {
            case "Daemon" -> new DaemonCommand();
            case "Attach" -> new AttachCommand();
            case "Commit" -> new CommitCommand();
            case "ContainerInspect" -> new ContainerInspectCommand();
            case "Diff" -> new DiffCommand();
            case "Exec" -> new ExecCommand();
            case "Export" -> new ExportCommand();
            case "Top" -> new TopCommand();
            case "ContainerPrune" -> new ContainerPruneCommand();
            case "Cp" -> new CpCommand();
            case "Stats" -> new StatsCommand();
            case "VolumeCreate" -> new VolumeCommands.Create();
            case "VolumeInspect" -> new VolumeCommands.Inspect();
            case "VolumeLs" -> new VolumeCommands.Ls();
            case "VolumePrune" -> new VolumeCommands.Prune();
            case "VolumeRm" -> new VolumeCommands.Rm();
            case "NetworkConnect" -> new NetworkCommands.Connect(true);
            case "NetworkCreate" -> new NetworkCommands.Create();
            case "NetworkDisconnect" -> new NetworkCommands.Connect(false);
            case "NetworkInspect" -> new NetworkCommands.Inspect();
            case "NetworkLs" -> new NetworkCommands.Ls();
            case "NetworkPrune" -> new NetworkCommands.Prune();
            case "NetworkRm" -> new NetworkCommands.Rm();
            case "Create" -> new RunCommand(false);
            case "Kill" -> new KillCommand();
            case "Logs" -> new LogsCommand();
            case "Pause" -> new PauseCommand(true);
            case "Port" -> new PortCommand();
            case "Ps" -> new PsCommand();
            case "Rename" -> new RenameCommand();
            case "Restart" -> new StopCommand(true);
            case "Rm" -> new RmCommand();
            case "Run" -> new RunCommand(true);
            case "Start" -> new StartCommand();
            case "Stop" -> new StopCommand(false);
            case "Unpause" -> new PauseCommand(false);
            case "Update" -> new UpdateCommand();
            case "Wait" -> new WaitCommand();
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
            case "SystemPrune" -> new dev.berth.cli.commands.SystemPruneCommand();
            case "BuilderPrune" -> new dev.berth.cli.commands.BuilderPruneCommand();
            case "Tag" -> new TagCommand();
            case "Version" -> new VersionCommand();
            case "Completion" -> new CompletionCommand();
            case "Build" -> new dev.berth.cli.commands.BuildCommand();
            case "Import" -> new dev.berth.cli.commands.ImportCommand();
            case "Search" -> new dev.berth.cli.commands.SearchCommand();
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
