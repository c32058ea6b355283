import dev.berth.engine.Daemon;
import dev.berth.engine.DaemonOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Stand-in for {@code bin/berth daemon} while that subcommand is not wired up: serves the Docker API
 * on SOCKET with DATA_ROOT until SIGTERM. Run as a single-file program with Berth's jars on the class
 * path (bench/pull/run does this):
 *
 * <pre>java -cp app-cli/target/app-cli-0.1.0-SNAPSHOT.jar:app-cli/target/lib/* bench/pull/BerthDaemon.java SOCKET DATA_ROOT</pre>
 */
public class BerthDaemon {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BerthDaemon SOCKET DATA_ROOT");
            System.exit(2);
        }
        Daemon.run(new DaemonOptions(Path.of(args[0]), Path.of(args[1]), List.of(), false));
    }
}
