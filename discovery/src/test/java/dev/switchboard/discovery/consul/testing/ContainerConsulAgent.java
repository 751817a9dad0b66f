package dev.switchboard.discovery.consul.testing;

import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.consul.ConsulContainer;

/**
 * A {@code hashicorp/consul} container, used only when no binary is found and Docker works.
 * Restarting would map new ports, so it is not restartable.
 */
final class ContainerConsulAgent extends ConsulAgent {

    static final String IMAGE = "hashicorp/consul:1.22";

    private final ConsulContainer container;
    private final String token;

    private ContainerConsulAgent(ConsulContainer container, String token) {
        this.container = container;
        this.token = token;
    }

    /**
     * True if a Docker engine answers; never throws. Without any sign of Docker (no
     * {@code DOCKER_HOST}, no socket, no Testcontainers config) it answers at once instead of letting
     * Testcontainers probe every strategy.
     */
    static boolean dockerAvailable() {
        String home = System.getProperty("user.home");
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static ContainerConsulAgent launch(boolean acl) {
        String token = acl ? UUID.randomUUID().toString() : null;
        ConsulContainer c = new ConsulContainer(IMAGE);
        String limits = "\"limits\":{\"http_max_conns_per_client\":4096}";
        c.withEnv("CONSUL_LOCAL_CONFIG", acl ? "{" + limits + ",\"acl\":{\"enabled\":true,\"default_policy\":\"deny\","
                + "\"tokens\":{\"initial_management\":\"" + token + "\",\"agent\":\"" + token + "\"}}}"
                : "{" + limits + "}");
        c.start();
        return new ContainerConsulAgent(c, token);
    }

    @Override
    public String httpAddress() {
        return container.getHost() + ":" + container.getMappedPort(8500);
    }

    @Override
    public String description() {
        return "container " + IMAGE + " on " + httpAddress();
    }

    @Override
    public String managementToken() {
        return token;
    }

    @Override
    public boolean restartable() {
        return false;
    }

    @Override
    public void close() {
        super.close();
        container.stop();
    }
}
