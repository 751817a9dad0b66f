package dev.switchboard.router.cli;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigLoader;
import dev.switchboard.router.config.SwitchboardConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A first touch without Consul: three small HTTP backends in this process that answer with their
 * own name, and the router in front of them.
 */
@Command(name = "demo", description = "Start three demo backends and a router in front of them.", mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "router port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--admin-port", defaultValue = "8081", description = "admin port (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Option(names = "--backend-port", defaultValue = "9001", description = "first backend port; the others follow (default: ${DEFAULT-VALUE})")
    int backendPort;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SwitchboardConfig config;
        ConfigLoader loader = new ConfigLoader(main.env());
        try {
            config = loader.parse(demoConfig());
        } catch (ConfigException e) {
            ConfigProblems.print(err, "demo config", e);
            return 2;
        }
        DemoBackends backends;
        try {
            backends = DemoBackends.start(backendPort, 3);
        } catch (RuntimeException e) {
            err.println("demo backends failed to start on ports " + backendPort + ".." + (backendPort + 2)
                    + ": " + e.getMessage() + " (try --backend-port)");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(backends::close, "demo-backends-shutdown"));
        int code = RunCommand.start(config, null, loader, err);
        if (code != 0) {
            backends.close();
        } else {
            out.println();
            out.println("Switchboard demo is running. Try:");
            out.println("  curl -s http://localhost:" + port + "/hello        # answered by backend-1, -2, -3 in turn (backend-3 twice as often)");
            out.println("  curl -s http://localhost:" + port + "/api/hello    # /api is stripped before forwarding");
            out.println("  curl -s http://127.0.0.1:" + adminPort + "/api/v1/backends   # admin API");
            out.println("Stop with Ctrl-C.");
        }
        return code;
    }

    String demoConfig() {
        return """
                listen: {address: 0.0.0.0, port: %d}
                admin: {address: 127.0.0.1, port: %d}
                services:
                  demo:
                    strategy: weighted_round_robin
                    instances:
                      - {address: "127.0.0.1:%d", weight: 1}
                      - {address: "127.0.0.1:%d", weight: 1}
                      - {address: "127.0.0.1:%d", weight: 2}
                routes:
                  - {name: api, path: /api, service: demo, rewrite: {strip_prefix: true}}
                  - {name: root, path: /, service: demo}
                """.formatted(port, adminPort, backendPort, backendPort + 1, backendPort + 2);
    }
}
