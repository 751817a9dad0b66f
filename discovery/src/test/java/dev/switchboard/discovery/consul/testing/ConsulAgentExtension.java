package dev.switchboard.discovery.consul.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Gives a test class a real Consul agent, injected as a {@link ConsulAgent} parameter (constructor,
 * {@code @BeforeAll}, test or lifecycle methods). One agent per test class, stopped after it.
 *
 * <p>Where the agent comes from, first match wins:
 * <ol>
 *   <li>{@code CONSUL_HTTP_ADDR}: an agent that is already running (not for
 *       {@link ConsulAgentOptions#acl() ACL} classes; not restartable);</li>
 *   <li>a {@code consul} binary: {@code CONSUL_BIN}, then {@code PATH}, then the cache of
 *       {@code integration-tests/consul/install-consul.sh}, started as {@code consul agent -dev}
 *       on free loopback ports;</li>
 *   <li>a {@code hashicorp/consul} container, if Docker is available.</li>
 * </ol>
 * With none the class is skipped with a message saying how to get Consul, except when the
 * environment has {@code CI=true}: then it fails.
 */
public final class ConsulAgentExtension implements BeforeAllCallback, ParameterResolver {

    static final String HOW_TO = "no Consul agent: run integration-tests/consul/install-consul.sh (builds and caches"
            + " a consul binary), or put consul on PATH, set CONSUL_BIN=/path/to/consul, or CONSUL_HTTP_ADDR=host:port"
            + " of a running agent";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ConsulAgentExtension.class);

    private final Map<String, String> env;

    public ConsulAgentExtension() {
        this(System.getenv());
    }

    ConsulAgentExtension(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        agent(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == ConsulAgent.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        try {
            return agent(extension);
        } catch (TestAbortedException | AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("no consul agent: " + e.getMessage(), e);
        }
    }

    /** The agent of the test class of {@code context}, started on first use. */
    private ConsulAgent agent(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        boolean acl = AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), ConsulAgentOptions.class)
                .map(ConsulAgentOptions::acl).orElse(false);
        return classContext.getStore(NS).getOrComputeIfAbsent("agent", k -> provide(acl), ConsulAgent.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    ConsulAgent provide(boolean acl) {
        String addr = env.get("CONSUL_HTTP_ADDR");
        if (addr != null && !addr.isBlank() && !acl) {
            return new ExternalConsulAgent(addr, env.get("CONSUL_HTTP_TOKEN"));
        }
        Optional<Path> binary = findBinary();
        if (binary.isPresent()) {
            try {
                return ProcessConsulAgent.launch(binary.get(), acl);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + binary.get() + ": " + e.getMessage(), e);
            }
        }
        if (ContainerConsulAgent.dockerAvailable()) {
            return ContainerConsulAgent.launch(acl);
        }
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
            throw new AssertionError(HOW_TO + " (CI=true: failing instead of skipping)");
        }
        throw new TestAbortedException(HOW_TO);
    }

    /** {@code CONSUL_BIN}, then {@code consul} on {@code PATH}, then the newest install-script cache entry. */
    Optional<Path> findBinary() {
        String bin = env.get("CONSUL_BIN");
        if (bin != null && !bin.isBlank()) {
            Path p = Path.of(bin.trim());
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("CONSUL_BIN: " + bin + " (expected: an executable consul binary)");
            }
            return Optional.of(p);
        }
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path p = Path.of(dir, "consul");
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return cachedBinary();
    }

    private Optional<Path> cachedBinary() {
        String cacheHome = env.get("XDG_CACHE_HOME");
        Path root = (cacheHome != null && !cacheHome.isBlank() ? Path.of(cacheHome)
                : Path.of(System.getProperty("user.home"), ".cache")).resolve("switchboard/consul");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("consul")).filter(Files::isExecutable)
                    .max(Comparator.comparing(p -> versionKey(p.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 1.22.5} → sortable {@code 00001.00022.00005}. */
    static String versionKey(String v) {
        StringBuilder sb = new StringBuilder();
        for (String part : v.split("\\.")) {
            String digits = part.replaceAll("\\D.*$", "");
            sb.append(String.format("%05d.", digits.isEmpty() ? 0 : Integer.parseInt(digits)));
        }
        return sb.toString();
    }
}
