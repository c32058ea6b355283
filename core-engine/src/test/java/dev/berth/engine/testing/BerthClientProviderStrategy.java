package dev.berth.engine.testing;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

import java.net.URI;

/**
 * Points Testcontainers at a test daemon without a {@code testcontainers.properties} or an environment
 * variable: the socket of a {@link TestDaemon} is only known once it has started, and Testcontainers reads
 * {@code DOCKER_HOST} from the environment alone. Registered through {@code META-INF/services}, and
 * applicable only while the system property {@value #HOST_PROPERTY} is set, so other tests never see it.
 * <p>
 * Testcontainers keeps its client for the life of the JVM: the first daemon it reaches is the one every
 * later Testcontainers test in the same JVM talks to. Keep those tests in one class with one daemon.
 */
public final class BerthClientProviderStrategy extends DockerClientProviderStrategy {
    public static final String HOST_PROPERTY = "berth.test.docker.host";

    @Override
    public TransportConfig getTransportConfig() {
        return TransportConfig.builder().dockerHost(URI.create(System.getProperty(HOST_PROPERTY))).build();
    }

    @Override
    protected boolean isApplicable() {
        return System.getProperty(HOST_PROPERTY) != null;
    }

    @Override
    protected int getPriority() {
        // Above every built-in strategy (the highest is 100); DOCKER_HOST in the environment still comes first.
        return 1000;
    }

    @Override
    protected boolean isPersistable() {
        // Never written to ~/.testcontainers.properties: the socket is a temporary one.
        return false;
    }

    /**
     * The test daemon runs in this JVM's network namespace, so its published ports are on localhost.
     * Testcontainers would otherwise see {@code /.dockerenv} (the test machines are containers), assume a
     * daemon outside, and take the gateway of the network {@code bridge} instead: TestcontainersTest checks
     * that inspect separately.
     */
    @Override
    public synchronized String getDockerHostIpAddress() {
        return "localhost";
    }

    @Override
    public String getDescription() {
        return "Berth test daemon at " + System.getProperty(HOST_PROPERTY);
    }
}
