package io.platformsessions.examples;

import java.util.Locale;

/**
 * Command-line entry point of the demo: {@code java -jar session-examples/target/platform-sessions-demo.jar}.
 * Listens on port 8080 (or {@code PORT}) of 127.0.0.1 (or {@code HOST}), and prints the URL and the
 * demo accounts when ready. Stop it with Ctrl+C.
 */
public final class DemoApp {

    private DemoApp() {
    }

    /**
     * Starts the demo and waits until the JVM is stopped.
     *
     * @param args ignored
     * @throws Exception if the server cannot start (for example the port is in use)
     */
    public static void main(String[] args) throws Exception {
        DemoSettings settings;
        try {
            settings = DemoSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("platform-sessions demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        DemoServer server;
        try {
            server = DemoServer.start(settings);
        } catch (java.io.IOException e) {
            System.err.printf(Locale.ROOT, "platform-sessions demo: cannot listen on %s:%d (%s). Set PORT to another port.%n",
                    settings.host(), settings.port(), e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-shutdown"));
        StringBuilder b = new StringBuilder();
        b.append(System.lineSeparator())
                .append("  Platform Sessions demo is running: ").append(server.url()).append(System.lineSeparator())
                .append(System.lineSeparator())
                .append("  Demo accounts:").append(System.lineSeparator());
        for (DemoServer.Account a : DemoServer.ACCOUNTS) {
            b.append(String.format(Locale.ROOT, "    %-6s / %-20s %s%n", a.username(), a.password(), a.description()));
        }
        b.append(System.lineSeparator())
                .append("  Data: in-memory H2 database, created fresh at every start (PORT=... to change the port).")
                .append(System.lineSeparator())
                .append("  Press Ctrl+C to stop.").append(System.lineSeparator());
        System.out.println(b);
        server.join();
    }
}
