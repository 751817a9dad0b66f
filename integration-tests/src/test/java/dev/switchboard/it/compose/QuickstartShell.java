package dev.switchboard.it.compose;

import dev.switchboard.router.cli.ExampleBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ParseResult;

/**
 * Runs the README's quickstart commands against the local stand-in of the compose project. Only the
 * shapes the quickstart uses are understood ({@code curl}, {@code docker compose exec|run},
 * {@code consul services register}, {@code for … do …; done}, a {@code | jq} stage); anything else
 * is an error, so a new README command needs a deliberate change here.
 *
 * <p>The only rewriting is of addresses: {@code localhost:<published port>} becomes the local port of
 * what Compose would publish there, a container's own {@code localhost:<port>} or a container name
 * ({@code -address=hello-1 -port=9000}) becomes {@code 127.0.0.1} and that container's local port,
 * and a backend id's Consul node ({@code "consul/web-1"} in a request body) becomes the local agent's.
 */
public final class QuickstartShell implements AutoCloseable {

    /** Where the compose project's ports are on this machine. */
    public interface Ports {
        /** The local port for a port Compose publishes on the host ({@code localhost:8080}). */
        int published(int port);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Ports ports;
    private final Path consulBinary;
    private final String consulAddress;
    private final Map<String, Map<Integer, Integer>> containers = new ConcurrentHashMap<>();
    private final Map<String, String> nodes = new ConcurrentHashMap<>();
    private final List<ExampleBackend> started = new ArrayList<>();

    public QuickstartShell(Ports ports, Path consulBinary, String consulAddress) {
        this.ports = ports;
        this.consulBinary = consulBinary;
        this.consulAddress = consulAddress;
    }

    /** Tells the shell that container {@code name}'s port {@code containerPort} is local port {@code localPort}. */
    public void container(String name, int containerPort, int localPort) {
        containers.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(containerPort, localPort);
    }

    /** Backend ids {@code composeNode/<id>} in request bodies become {@code localNode/<id>}. */
    public void node(String composeNode, String localNode) {
        nodes.put(composeNode, localNode);
    }

    public int containerPort(String name, int containerPort) {
        Integer p = containers.getOrDefault(name, Map.of()).get(containerPort);
        if (p == null) {
            throw new IllegalArgumentException("container " + name + " port " + containerPort + ": unknown (expected one of " + containers + ")");
        }
        return p;
    }

    /** Starts an example backend as container {@code container} would run it; returns its local port. */
    public int startBackend(String container, ParseResult backendCommand) throws IOException {
        if (!backendCommand.commandSpec().name().equals("backend")) {
            throw new IllegalArgumentException(container + ": " + backendCommand.originalArgs() + " (expected: switchboard backend …)");
        }
        String name = backendCommand.matchedOptionValue("--name", "");
        int port = backendCommand.matchedOptionValue("--port", 9000);
        int local = FreePorts.one();
        synchronized (started) {
            started.add(ExampleBackend.start(name, "127.0.0.1", local));
        }
        container(container, port, local);
        return local;
    }

    /** Runs one README command; returns what it prints (one entry per {@code curl} it ran). */
    public List<String> run(String command) throws Exception {
        List<String> words = Words.split(command);
        if (words.get(0).equals("for")) {
            // for i in 1 2 3 4; do BODY; done
            int in = words.indexOf("in");
            int semi = words.indexOf(";");
            int doAt = words.indexOf("do");
            int end = words.lastIndexOf("done");
            if (in != 2 || semi < in || doAt != semi + 1 || end != words.size() - 1 || !words.get(end - 1).equals(";")) {
                throw new IllegalArgumentException("unsupported loop: " + command);
            }
            int times = semi - in - 1;
            List<String> body = words.subList(doAt + 1, end - 1);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                out.addAll(pipeline(body));
            }
            return out;
        }
        return pipeline(words);
    }

    private List<String> pipeline(List<String> words) throws Exception {
        int bar = words.indexOf("|");
        if (bar < 0) {
            return List.of(simple(null, words));
        }
        String input = simple(null, words.subList(0, bar));
        List<String> jq = words.subList(bar + 1, words.size());
        if (!jq.get(0).equals("jq") || jq.size() != 2) {
            throw new IllegalArgumentException("unsupported pipe stage: " + jq);
        }
        return List.of(Jq.run(jq.get(1), input));
    }

    private String simple(String container, List<String> w) throws Exception {
        if (w.contains(";") || w.contains("|")) {
            throw new IllegalArgumentException("unsupported command list: " + w);
        }
        if (w.size() > 2 && w.get(0).equals("docker") && w.get(1).equals("compose")) {
            return compose(w.subList(2, w.size()));
        }
        return switch (w.get(0)) {
            case "curl" -> curl(container, w.subList(1, w.size()));
            case "consul" -> consul(w.subList(1, w.size()));
            default -> throw new IllegalArgumentException("unsupported command: " + w);
        };
    }

    private String compose(List<String> w) throws Exception {
        switch (w.get(0)) {
            case "exec" -> {
                return simple(w.get(1), w.subList(2, w.size()));
            }
            case "run" -> {
                int i = 1;
                String name = null;
                while (w.get(i).startsWith("-")) {
                    switch (w.get(i)) {
                        case "-d", "--detach", "--no-deps", "--rm" -> i++;
                        case "--name" -> {
                            name = w.get(i + 1);
                            i += 2;
                        }
                        default -> throw new IllegalArgumentException("docker compose run: unsupported option " + w.get(i));
                    }
                }
                String service = w.get(i);
                List<String> args = w.subList(i + 1, w.size());
                startBackend(name != null ? name : service, ComposeTopology.parse(args).subcommand());
                return "";
            }
            default -> throw new IllegalArgumentException("docker compose " + w.get(0) + ": not replayed by this shell");
        }
    }

    private String consul(List<String> w) throws Exception {
        if (w.size() < 2 || !w.get(0).equals("services") || !w.get(1).equals("register")) {
            throw new IllegalArgumentException("consul " + w + ": only 'consul services register' is replayed");
        }
        List<String> args = new ArrayList<>(List.of(consulBinary.toString(), "services", "register", "-http-addr=http://" + consulAddress));
        String address = w.stream().filter(a -> a.startsWith("-address=")).map(a -> a.substring(9)).findFirst().orElse(null);
        for (String a : w.subList(2, w.size())) {
            if (address != null && containers.containsKey(address) && a.startsWith("-address=")) {
                args.add("-address=127.0.0.1");
            } else if (address != null && containers.containsKey(address) && a.startsWith("-port=")) {
                args.add("-port=" + containerPort(address, Integer.parseInt(a.substring(6))));
            } else {
                args.add(a);
            }
        }
        return exec(args);
    }

    /** Runs a process to completion (10 s at most); fails on a non-zero exit with its output. */
    public static String exec(List<String> args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(args + ": still running after 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(args + ": exit " + p.exitValue() + ": " + out);
            }
            return out;
        } finally {
            p.destroy();
        }
    }

    private String curl(String container, List<String> w) throws Exception {
        String method = null;
        String body = null;
        boolean fail = false;
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(5));
        String url = null;
        for (int i = 0; i < w.size(); i++) {
            String a = w.get(i);
            switch (a) {
                case "-s", "-S", "-sS" -> { }
                case "-f", "-fsS", "-fs", "-sf" -> fail = true;
                case "-X" -> method = w.get(++i);
                case "-H" -> {
                    String h = w.get(++i);
                    int colon = h.indexOf(':');
                    b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
                }
                case "-d", "--data", "--data-binary" -> {
                    String d = w.get(++i);
                    body = d.startsWith("@") ? Files.readString(Repo.path(d.substring(1))) : d;
                    for (Map.Entry<String, String> n : nodes.entrySet()) {
                        body = body.replace("\"" + n.getKey() + "/", "\"" + n.getValue() + "/");
                    }
                }
                default -> {
                    if (a.startsWith("-") || url != null) {
                        throw new IllegalArgumentException("curl: unsupported argument " + a);
                    }
                    url = a;
                }
            }
        }
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String host = uri.getHost();
        int local;
        if (host.equals("localhost") || host.equals("127.0.0.1")) {
            local = container == null ? ports.published(port) : containerPort(container, port);
        } else {
            local = containerPort(host, port);
        }
        URI target = URI.create("http://127.0.0.1:" + local + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        String m = method != null ? method : body != null ? "POST" : "GET";
        b.uri(target).method(m, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (fail && r.statusCode() >= 400) {
            throw new IllegalStateException("curl -f " + url + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    @Override
    public void close() {
        synchronized (started) {
            started.forEach(ExampleBackend::close);
            started.clear();
        }
    }
}
