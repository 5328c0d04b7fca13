package io.platformsessions.examples;

import io.platformsessions.SessionConfig;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.JdbcPlatformDirectory;
import io.platformsessions.jdbc.JdbcUserDirectory;
import io.platformsessions.servlet.PlatformSessionFilter;
import io.platformsessions.spi.SessionStore;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo web application: embedded Jetty 12 (ee10) with an embedded H2 database (or PostgreSQL or MariaDB),
 * wired the way an application uses Platform Sessions: a {@link SessionManager} over a store, a platform
 * directory and the app's user directory, the {@link PlatformSessionFilter} in front of every
 * request, and the app's own servlets for login, dashboard and posting. The sessions live in the database
 * ({@code JdbcSessionStore}, with a change bus on PostgreSQL and MariaDB so that several demo nodes can share it)
 * or, when {@link DemoSettings#redisUri()} is set, in Redis ({@code RedisSessionStore}); the accounts and platform
 * connections always live in the database.
 *
 * <p>Start it with {@link #start(DemoSettings)} and stop it with {@link #close()}. Thread-safe.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    /** How long a session lives without activity. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

    /**
     * A demo account, as printed at start. Immutable.
     *
     * @param username the login name (also the user id)
     * @param password the demo password (stored only as a PBKDF2 hash)
     * @param description its platform connections, for people
     */
    public record Account(String username, String password, String description) {
    }

    /** The demo accounts created at every start. */
    public static final List<Account> ACCOUNTS = List.of(
            new Account("alice", "alice-demo-password",
                    "alice@mastodon.social (Mastodon, default), alice@pixelfed.social (Pixelfed), one inactive"),
            new Account("bob", "bob-demo-password", "bob@fosstodon.org (Mastodon)"));

    private final Server jetty;
    private final DemoStorage storage;
    private final SessionManager manager;
    private final ScheduledExecutorService cleanup;
    private final DemoAccounts accounts;
    private final JdbcPlatformDirectory platforms;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final HashingLimit hashing;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoServer(Server jetty, DemoStorage storage, SessionManager manager, ScheduledExecutorService cleanup,
                       DemoAccounts accounts, JdbcPlatformDirectory platforms, PasswordHasher hasher,
                       LoginThrottle throttle, HashingLimit hashing) {
        this.jetty = jetty;
        this.storage = storage;
        this.manager = manager;
        this.cleanup = cleanup;
        this.accounts = accounts;
        this.platforms = platforms;
        this.hasher = hasher;
        this.throttle = throttle;
        this.hashing = hashing;
    }

    /**
     * Creates the database and demo data, builds the session manager and filter, and starts Jetty.
     *
     * @param settings where to listen, which database to use and where the sessions live
     * @return the running server
     * @throws Exception if the database, Redis (when asked for: a transient
     *     {@link io.platformsessions.SessionStoreException} when it does not answer) or the server cannot start
     *     (the port is taken, say); whatever was started is stopped again
     */
    public static DemoServer start(DemoSettings settings) throws Exception {
        // The sessions in the database (JdbcSessionStore) or in Redis (RedisSessionStore); the app's tables in the
        // database (in-memory H2 by default).
        DemoStorage storage = DemoStorage.open(settings);
        SessionStore store = storage.sessions();
        DataSource appData = storage.appData();
        Server jetty = null;
        SessionManager manager = null;
        ScheduledExecutorService cleanup = null;
        try {
            // The application's own tables: its accounts (with PBKDF2 hashes; a node sharing the database with
            // another finds them there already)...
            PasswordHasher hasher = new PasswordHasher(settings.passwordIterations());
            DemoAccounts accounts = new DemoAccounts(appData, hasher, settings.tablePrefix());
            for (Account a : ACCOUNTS) {
                accounts.addIfAbsent(a.username(), a.username(), a.password());
            }
            // ...which the engine reads through a JdbcUserDirectory query,
            JdbcUserDirectory users = JdbcUserDirectory.builder(appData)
                    .query(accounts.userQuery())
                    .build();
            // and the users' platform connections, in the library's managed table.
            JdbcPlatformDirectory platforms = JdbcPlatformDirectory.builder(appData)
                    .tablePrefix(settings.tablePrefix())
                    .initializeSchema(true)
                    .clock(settings.clock())
                    .build();
            seedPlatforms(platforms);

            manager = SessionManager.builder(store)
                    .config(SessionConfig.builder().idleTimeout(IDLE_TIMEOUT).clock(settings.clock()).build())
                    .userDirectory(users)
                    .platformDirectory(platforms)
                    .listener(DemoServer::logEvent)
                    .build();

            PlatformSessionFilter filter = PlatformSessionFilter.builder(manager)
                    // The demo runs over plain HTTP on localhost, so it explicitly asks for the
                    // non-secure development cookie (the filter logs a warning about it).
                    .secureCookie(false)
                    .loginPage("/login")
                    .platformPickerPage("/")
                    .platformRequiredPaths("/api/posts")
                    .build();

            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            context.setContextPath("/");
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            // Login throttling and the bound on concurrent password checks are the application's job.
            LoginThrottle throttle = new LoginThrottle(settings.loginPolicy(), settings.clock());
            HashingLimit hashing = new HashingLimit(settings.loginPolicy().hashingPermits(),
                    settings.loginPolicy().hashingWait());
            context.addServlet(new ServletHolder("login", new LoginServlet(accounts, throttle, hashing)), "/login");
            context.addServlet(new ServletHolder("posts", new PostServlet()), "/api/posts");
            context.addServlet(new ServletHolder("static", new StaticServlet()), "/static/*");
            context.addServlet(new ServletHolder("dashboard", new DashboardServlet(manager)), "/");

            QueuedThreadPool threads = new QueuedThreadPool(32, 4);
            threads.setName("demo-http");
            jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            jetty.addConnector(connector);
            ErrorHandler errors = new ErrorHandler();
            errors.setShowStacks(false);
            errors.setShowMessageInTitle(false);
            jetty.setErrorHandler(errors);
            jetty.setHandler(context); // the filter, mapped to /*, answers TRACE with 405 on every path
            jetty.setStopAtShutdown(false);
            jetty.start();

            SessionManager m = manager;
            cleanup = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-session-cleanup");
                t.setDaemon(true);
                return t;
            });
            cleanup.scheduleWithFixedDelay(() -> {
                try {
                    int n = m.cleanupExpired();
                    if (n > 0) {
                        LOG.info("cleanup removed {} expired sessions", n);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("session cleanup failed; will retry: {}", e.toString());
                }
            }, 5, 5, TimeUnit.MINUTES);
            LOG.info("demo data: {}", storage.description());
            return new DemoServer(jetty, storage, manager, cleanup, accounts, platforms, hasher, throttle, hashing);
        } catch (Exception | Error e) {
            if (cleanup != null) {
                cleanup.shutdownNow();
            }
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception stop) {
                    e.addSuppressed(stop);
                }
            }
            if (manager != null) {
                manager.close();
            }
            storage.close();
            throw e;
        }
    }

    /** Adds the demo's platform connections of each user who has none (the first node on a database does). */
    private static void seedPlatforms(JdbcPlatformDirectory platforms) {
        if (!platforms.findByUser("alice").isEmpty()) {
            return;
        }
        platforms.add("alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true);
        platforms.add("alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", false);
        long inactive = platforms.add("alice", "alice@mastodon.online", "mastodon", "https://mastodon.online", false).id();
        platforms.deactivate(inactive);
        if (platforms.findByUser("bob").isEmpty()) {
            platforms.add("bob", "bob@fosstodon.org", "mastodon", "https://fosstodon.org", true);
        }
    }

    private static void logEvent(SessionEvent event) {
        if (LOG.isInfoEnabled()) {
            LOG.info("session event {} user={} session={} key={}…", event.getClass().getSimpleName(), event.userId(),
                    event.sessionId(), event.key() == null ? "-" : event.key().prefix());
        }
    }

    /**
     * The port the server listens on (useful when started on port 0).
     *
     * @return the local port
     */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /**
     * The URL to open in a browser, such as {@code http://localhost:8080/}.
     *
     * @return the base URL with a trailing slash
     */
    public String url() {
        return "http://localhost:" + port() + "/";
    }

    /**
     * The session manager the demo uses (for tests and for curious readers).
     *
     * @return the manager
     */
    public SessionManager manager() {
        return manager;
    }

    /**
     * The session store: a {@code JdbcSessionStore} on the demo's database, or a {@code RedisSessionStore}.
     *
     * @return the store
     */
    public SessionStore store() {
        return storage.sessions();
    }

    /**
     * The demo's database (in-memory H2 by default): its accounts and platform connections, and the sessions
     * unless they are in Redis.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return storage.appData();
    }

    /**
     * Where the demo keeps its data, for people (the startup banner prints it).
     *
     * @return one sentence
     */
    public String dataDescription() {
        return storage.description();
    }

    /**
     * The demo's accounts (with password hashes, never plain passwords).
     *
     * @return the accounts
     */
    public DemoAccounts accounts() {
        return accounts;
    }

    /**
     * The password hasher (tests read its {@link PasswordHasher#derivations()} count).
     *
     * @return the hasher
     */
    public PasswordHasher passwordHasher() {
        return hasher;
    }

    /** The login back-off tables (package-private: for tests). */
    LoginThrottle loginThrottle() {
        return throttle;
    }

    /** The bound on concurrent password checks (package-private: for tests). */
    HashingLimit hashingLimit() {
        return hashing;
    }

    /**
     * Where the demo's platform connections live.
     *
     * @return the directory
     */
    public JdbcPlatformDirectory platforms() {
        return platforms;
    }

    /**
     * Blocks until the server stops.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops Jetty, the cleanup task, the manager, the session store (and its change bus) and the pool. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cleanup.shutdownNow();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping Jetty failed: {}", e.toString());
        }
        manager.close();
        storage.close();
    }
}
