package io.platformsessions.examples;

import io.platformsessions.SessionStoreException;
import java.util.Locale;

/**
 * Command-line entry point of the demo: {@code java -jar session-examples/target/platform-sessions-demo.jar}.
 * Listens on port 8080 (or {@code PORT}) of 127.0.0.1 (or {@code HOST}), keeps its data in an in-memory H2
 * database or, with {@code PS_DEMO_JDBC_URL}, in PostgreSQL or MariaDB (several nodes can share it), the sessions
 * there too or, with {@code PS_DEMO_REDIS_URI=redis://host:6379}, in Redis, and prints the URL and the
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
        } catch (SessionStoreException | IllegalArgumentException e) {
            System.err.printf(Locale.ROOT, "platform-sessions demo: cannot use the session store (%s). Check %s, %s and %s.%n",
                    e.getMessage(), DemoSettings.JDBC_URL_ENV, DemoSettings.REDIS_URI_ENV, DemoSettings.REDIS_KEY_PREFIX_ENV);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-shutdown"));
        System.out.println(banner(server.url(), server.dataDescription()));
        server.join();
    }

    /**
     * What the demo prints when it is ready: the URL, the demo accounts and where the data lives.
     *
     * @param url the URL to open
     * @param data where the data lives ({@link DemoServer#dataDescription()})
     * @return the text, several lines
     */
    static String banner(String url, String data) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append(nl).append("  Platform Sessions demo is running: ").append(url).append(nl).append(nl)
                .append("  Demo accounts:").append(nl);
        for (DemoServer.Account a : DemoServer.ACCOUNTS) {
            b.append(String.format(Locale.ROOT, "    %-6s / %-20s %s%n", a.username(), a.password(), a.description()));
        }
        b.append(nl)
                .append("  Data: ").append(data).append(".").append(nl)
                .append("  PORT=... changes the port; ").append(DemoSettings.REDIS_URI_ENV)
                .append("=redis://host:6379 keeps the sessions in Redis; ").append(DemoSettings.JDBC_URL_ENV)
                .append("=jdbc:postgresql://... shares a database between nodes.").append(nl)
                .append("  Press Ctrl+C to stop.").append(nl);
        return b.toString();
    }
}
