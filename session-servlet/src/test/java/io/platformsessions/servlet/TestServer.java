package io.platformsessions.servlet;

import io.platformsessions.tck.MutableClock;
import io.platformsessions.PlatformConnection;
import io.platformsessions.RetryPolicy;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.UserAccount;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InMemoryUserDirectory;
import io.platformsessions.spi.SessionStore;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One embedded Jetty 12 (ee10) on a free port with the filter and {@link AppServlet}, over an
 * in-memory store. Users: alice (platforms 1 default, 2, 3 inactive), bob (platform 4), carol (none).
 */
final class TestServer implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final InMemorySessionStore memoryStore = new InMemorySessionStore();
    final InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory();
    final SessionManager manager;
    final Server server;
    final URI base;

    private TestServer(SessionStore store, UnaryOperator<PlatformSessionFilter.Builder> filterConfig) throws Exception {
        this(store, c -> c, "/", filterConfig, false);
    }

    private TestServer(SessionStore store, UnaryOperator<SessionConfig.Builder> sessionConfig, String contextPath,
                       UnaryOperator<PlatformSessionFilter.Builder> filterConfig, boolean everyDispatch) throws Exception {
        platforms.put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true))
                .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false))
                .put(new PlatformConnection(3, "alice", "alice@old.example", "mastodon", "https://old.example", false, false))
                .put(new PlatformConnection(4, "bob", "bob@mastodon.social", "mastodon", "https://mastodon.social", true, true));
        InMemoryUserDirectory users = new InMemoryUserDirectory()
                .put(new UserAccount("alice", "Alice", true))
                .put(new UserAccount("bob", "Bob", true))
                .put(new UserAccount("carol", "Carol", true));
        SessionConfig config = sessionConfig.apply(SessionConfig.builder().clock(clock).retryPolicy(RetryPolicy.none())
                .maxUnknownTokensPerMinute(10_000)).build();
        manager = SessionManager.builder(store == null ? memoryStore : store).config(config).platformDirectory(platforms)
                .userDirectory(users).build();
        PlatformSessionFilter filter = filterConfig.apply(PlatformSessionFilter.builder(manager)).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(contextPath);
        if (everyDispatch) {
            // what a filter registered before ours sees on the container's request after the chain
            context.addFilter(new FilterHolder(new DispatchServlet.OuterFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            ServletHolder dispatch = new ServletHolder(new DispatchServlet());
            dispatch.setAsyncSupported(true);
            context.addServlet(dispatch, "/dispatch/*");
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            errors.addErrorPage(404, "/dispatch/error-page");
            errors.addErrorPage(Throwable.class, "/dispatch/error-page");
            context.setErrorHandler(errors);
        } else {
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new AppServlet()), "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + ("/".equals(contextPath) ? "/" : contextPath + "/"));
    }

    static TestServer start() throws Exception {
        return start(b -> b);
    }

    static TestServer start(UnaryOperator<PlatformSessionFilter.Builder> filterConfig) throws Exception {
        return new TestServer(null, filterConfig);
    }

    /** A server whose engine config and context path a test chooses (e.g. a small guessing limit, "/app"). */
    static TestServer start(UnaryOperator<SessionConfig.Builder> sessionConfig, String contextPath,
                            UnaryOperator<PlatformSessionFilter.Builder> filterConfig) throws Exception {
        return new TestServer(null, sessionConfig, contextPath, filterConfig, false);
    }

    /**
     * A server whose filter is registered for every dispatcher type, with {@link DispatchServlet} under
     * {@code /dispatch/} (also the error page for 404 and exceptions) and {@link DispatchServlet.OuterFilter}
     * registered before the filter.
     */
    static TestServer startForEveryDispatch() throws Exception {
        return new TestServer(null, c -> c, "/", b -> b, true);
    }

    static TestServer start(SessionStore store, UnaryOperator<PlatformSessionFilter.Builder> filterConfig)
            throws Exception {
        return new TestServer(store, filterConfig);
    }

    /** A server over a given store with a chosen engine config (e.g. a failing store and a small guessing limit). */
    static TestServer start(SessionStore store, UnaryOperator<SessionConfig.Builder> sessionConfig,
                            UnaryOperator<PlatformSessionFilter.Builder> filterConfig) throws Exception {
        return new TestServer(store, sessionConfig, "/", filterConfig, false);
    }

    Browser browser() {
        return new Browser(base);
    }

    String origin() {
        return "http://127.0.0.1:" + base.getPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        manager.close();
    }
}
