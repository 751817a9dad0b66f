package dev.switchboard.discovery.consul.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code consul agent -dev} as a child process: loopback only, free ports (HTTP, serf LAN/WAN,
 * server RPC; DNS and gRPC off), a temp data dir and config file. Stop and start again reuse the
 * ports. Dev mode keeps the catalog in memory, so a restarted agent starts empty (and its index
 * starts low again).
 */
final class ProcessConsulAgent extends ConsulAgent {

    private final Path binary;
    private final Path dir;
    private final Path logFile;
    private final int httpPort;
    private final String token;
    private Process process;

    private ProcessConsulAgent(Path binary, Path dir, int httpPort, String token) {
        this.binary = binary;
        this.dir = dir;
        this.logFile = dir.resolve("consul.log");
        this.httpPort = httpPort;
        this.token = token;
    }

    static ProcessConsulAgent launch(Path binary, boolean acl) throws IOException {
        Path dir = Files.createTempDirectory("switchboard-consul-");
        int[] ports = freePorts(4);
        String token = acl ? UUID.randomUUID().toString() : null;
        StringBuilder hcl = new StringBuilder()
                .append("node_name = \"switchboard-test\"\n")
                .append("data_dir = \"").append(dir.resolve("data")).append("\"\n")
                .append("bind_addr = \"127.0.0.1\"\nclient_addr = \"127.0.0.1\"\nadvertise_addr = \"127.0.0.1\"\n")
                .append("disable_update_check = true\nlog_level = \"warn\"\n")
                // one connection per watched service: the default of 200 per client IP is too low for scale tests
                .append("limits {\n  http_max_conns_per_client = 4096\n}\n")
                .append("ports {\n  http = ").append(ports[0]).append("\n  serf_lan = ").append(ports[1])
                .append("\n  serf_wan = ").append(ports[2]).append("\n  server = ").append(ports[3])
                .append("\n  dns = -1\n  grpc = -1\n  grpc_tls = -1\n  https = -1\n}\n");
        if (acl) {
            hcl.append("acl {\n  enabled = true\n  default_policy = \"deny\"\n  enable_token_persistence = false\n")
                    .append("  tokens {\n    initial_management = \"").append(token).append("\"\n")
                    .append("    agent = \"").append(token).append("\"\n  }\n}\n");
        }
        Files.writeString(dir.resolve("agent.hcl"), hcl.toString());
        ProcessConsulAgent agent = new ProcessConsulAgent(binary, dir, ports[0], token);
        agent.start();
        return agent;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary.toString(), "agent", "-dev", "-config-file",
                    dir.resolve("agent.hcl").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        awaitLeader();
    }

    private void awaitLeader() {
        Process p = process;
        try {
            Awaitility.await("consul agent on " + httpAddress() + " has a leader")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("consul exited with " + p.exitValue() + "; log:\n" + logTail());
                        }
                        String leader = get("/v1/status/leader");
                        return leader != null && leader.length() > 2; // "\"127.0.0.1:port\"", not "\"\""
                    });
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("consul on " + httpAddress() + " elected no leader in 30 s; log:\n" + logTail(), e);
        }
    }

    private String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(httpUrl() + path).openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                if (c.getResponseCode() != 200) {
                    return null;
                }
                return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null; // not listening yet
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String httpAddress() {
        return "127.0.0.1:" + httpPort;
    }

    @Override
    public String description() {
        Process p = process;
        return "consul binary " + binary + (p != null && p.isAlive() ? " (pid " + p.pid() + ")" : " (stopped)")
                + " on " + httpAddress() + (token != null ? " with ACLs" : "");
    }

    @Override
    public String managementToken() {
        return token;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public void close() {
        super.close();
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /**
     * Outside the ephemeral range: stop() releases the ports and start() binds them again seconds
     * later, and meanwhile an outgoing connection must not take one as its local port. UDP too, for
     * serf.
     */
    private static int[] freePorts(int n) {
        return LoopbackPorts.free(n, true);
    }
}
