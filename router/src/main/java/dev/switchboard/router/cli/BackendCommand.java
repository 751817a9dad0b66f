package dev.switchboard.router.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one example backend: what the compose quickstart registers in Consul. */
@Command(name = "backend", mixinStandardHelpOptions = true,
        description = "Run the example backend (answers 'hello from NAME'; GET /health, POST /health/toggle).")
final class BackendCommand implements Callable<Integer> {

    private static volatile boolean running;

    @Option(names = "--name", required = true, description = "name it answers with")
    String name;

    @Option(names = "--port", defaultValue = "9000", description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--address", defaultValue = "0.0.0.0", description = "bind address (default: ${DEFAULT-VALUE})")
    String address;

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() {
        ExampleBackend backend = ExampleBackend.start(name, address, port);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "backend-shutdown"));
        System.out.println(name + " listening on " + address + ":" + port);
        running = true;
        return 0;
    }
}
