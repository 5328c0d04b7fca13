package io.platformsessions.benchmarks.http;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12 (ee10) on 127.0.0.1, one servlet context per {@link Route} at {@code /<name>},
 * all in this process. Request threads are named {@value #THREAD_PREFIX}{@code *} and never retire
 * during a run, so per-thread CPU and allocation counters cover every request. Thread-safe.
 */
final class BenchServer implements AutoCloseable {
    /** Name prefix of Jetty's threads. */
    static final String THREAD_PREFIX = "http-";

    private final Server server;
    private final int port;

    private BenchServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server on a free loopback port.
     * @param routes the contexts
     * @return the running server
     * @throws Exception if Jetty fails to start
     */
    static BenchServer start(List<Route> routes) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 16, 600_000);
        threads.setName(THREAD_PREFIX.substring(0, THREAD_PREFIX.length() - 1));
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (Route r : routes) {
            ServletContextHandler context = new ServletContextHandler("/" + r.name());
            context.addServlet(new ServletHolder(new TrivialServlet(r.requiresSession(), r.served())), "/*");
            if (r.filter() != null) {
                context.addFilter(new FilterHolder(r.filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
            }
            contexts.addHandler(context);
        }
        server.setHandler(contexts);
        server.start();
        return new BenchServer(server, connector.getLocalPort());
    }

    /**
     * The URL the load generator requests for a route.
     * @param r the route
     * @return {@code http://127.0.0.1:<port>/<name>/page}
     */
    String url(Route r) {
        return "http://127.0.0.1:" + port + "/" + r.name() + "/page";
    }

    /** Stops Jetty; a failure to stop is reported, not thrown (the run is over). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("WARN could not stop Jetty: " + e);
        }
    }
}
