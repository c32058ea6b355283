package dev.berth.engine;

import dev.berth.engine.api.ApiServer;
import dev.berth.engine.api.Router;
import dev.berth.engine.api.routes.ContainerRoutes;
import dev.berth.engine.api.routes.ImageRoutes;
import dev.berth.engine.api.routes.SystemRoutes;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** {@code berth daemon}: opens the engine and serves the Docker API until told to stop. */
public final class Daemon implements AutoCloseable {
    private final Engine engine;
    private final ApiServer server;

    private Daemon(Engine engine, ApiServer server) {
        this.engine = engine;
        this.server = server;
    }

    public static Daemon start(DaemonOptions options) throws IOException, InterruptedException {
        Engine engine = new Engine(options);
        Router router = new Router()
                .addAll(new SystemRoutes(engine).routes())
                .addAll(new ImageRoutes(engine).routes())
                .addAll(new dev.berth.engine.api.routes.BuildRoutes(engine).routes())
                .addAll(new ContainerRoutes(engine).routes())
                .addAll(new dev.berth.engine.api.routes.VolumeRoutes(engine).routes())
                .addAll(new dev.berth.engine.api.routes.NetworkRoutes(engine).routes())
                .addAll(new dev.berth.engine.api.routes.ContainerInspectRoutes(engine).routes())
                .addAll(new dev.berth.engine.api.routes.ExecRoutes(engine).routes());
        ApiServer server = new ApiServer(router, "Berth/" + Engine.VERSION + " (linux)");
        try {
            server.start(options.socket());
        } catch (IOException | RuntimeException e) {
            server.close();
            engine.close();
            throw e;
        }
        return new Daemon(engine, server);
    }

    /** Runs in the foreground until SIGTERM or SIGINT. */
    public static void run(DaemonOptions options) throws IOException, InterruptedException {
        Daemon daemon = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "berth-shutdown"));
        stopped.await();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
