package io.platformsessions.jdbc;

import io.platformsessions.spi.SessionChangeBus;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionChangeBus} carried by the session database itself, so that several application nodes sharing
 * one {@link JdbcSessionStore} keep their local caches coherent. The store's own write statements make the
 * announcements, in the same transaction as the write: a change that committed is always announced, and an
 * announcement never precedes its change.
 *
 * <ul>
 * <li>{@link #postgres(DataSource)} / {@link #postgres(String)}: PostgreSQL {@code LISTEN/NOTIFY}. Each write that
 *     changes or ends a session calls {@code pg_notify} inside its own statement (no extra round trip); each node
 *     listens on one dedicated connection outside the store's pool, on one daemon thread.</li>
 * <li>{@link #polling()} / {@link #polling(Duration)}: a change-log table ({@code <prefix>session_changes})
 *     written in the write's transaction and polled by each node on one daemon thread (one indexed query per
 *     poll), pruned in bounded batches. For MariaDB/MySQL and H2, and for PostgreSQL behind a pooler in
 *     transaction mode (PgBouncer), where {@code LISTEN} does not work.</li>
 * </ul>
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder()
 *         .dataSource(appPool)
 *         .changeBus(JdbcChangeBus.postgres(System.getenv("SESSIONS_LISTEN_URL")))  // or JdbcChangeBus.polling()
 *         .build();
 * SessionManager sessions = SessionManager.builder(store).build();           // uses store.changeBus()
 * }</pre>
 *
 * <p>Lifecycle: the bus is given to one store ({@link JdbcSessionStore.Builder#changeBus}); its thread starts when
 * the first engine connects and stops when the last connection closes ({@code SessionManager#close()}) or the bus
 * or its store is closed; a stopped bus starts again on the next connect. Until it has heard from the database
 * (and after any failure until it has again), it is not {@linkplain #isLive() live} and the engines read every
 * session from the store; each time it becomes live it resets them (their caches are dropped). A database that is
 * down when the application starts does not stop it: the bus retries with backoff (100 ms doubling to 5 s).
 *
 * <p>Every announcement carries a random node id chosen when the bus is created: the bus skips its own store's
 * announcements, and delivers what one engine publishes to the other engines connected to the same bus in this
 * JVM. Malformed or foreign announcements are ignored and counted ({@link #malformedMessages()}).
 *
 * <p>Thread-safe.
 */
public abstract sealed class JdbcChangeBus implements SessionChangeBus, AutoCloseable
        permits PostgresChangeBus, PollingChangeBus {
    /** Default {@link #polling(Duration)} interval: 200 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeBus.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** This bus's node id, in every announcement its store makes. */
    final long nodeId = RANDOM.nextLong();
    private final CopyOnWriteArrayList<LocalConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** The store's SQL, once {@link #bind bound}. */
    volatile DialectSql sql;
    /** Whether the bus hears every announcement now. */
    private volatile boolean live;
    private Thread worker; // guarded by this
    /** Whether the current worker should stop; each worker has its own flag. */
    private volatile boolean[] stopFlag = {false};

    JdbcChangeBus() {
    }

    /**
     * A PostgreSQL {@code LISTEN/NOTIFY} bus that opens its one listening connection from {@code dataSource}
     * (give an unpooled data source, for example {@code PGSimpleDataSource}: the connection is held for as long
     * as the bus runs, and reopened after a failure). The store it is given to must be on PostgreSQL, reached
     * directly or through a pooler in session mode.
     *
     * @param dataSource where the listening connection comes from
     * @return the bus
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static JdbcChangeBus postgres(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new PostgresChangeBus(dataSource::getConnection, "a data source");
    }

    /**
     * A PostgreSQL {@code LISTEN/NOTIFY} bus that opens its one listening connection with
     * {@link java.sql.DriverManager} from a JDBC URL ({@code jdbc:postgresql://host:port/db?user=...}).
     *
     * @param jdbcUrl the URL, with credentials as the driver takes them
     * @return the bus
     * @throws NullPointerException if {@code jdbcUrl} is null
     * @throws IllegalArgumentException if it is not a {@code jdbc:postgresql:} URL
     */
    public static JdbcChangeBus postgres(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("JdbcChangeBus.postgres needs a jdbc:postgresql: URL");
        }
        return new PostgresChangeBus(() -> java.sql.DriverManager.getConnection(jdbcUrl), "a JDBC URL");
    }

    /**
     * A change-log bus polling every {@link #DEFAULT_POLL_INTERVAL}.
     *
     * @return the bus
     */
    public static JdbcChangeBus polling() {
        return polling(DEFAULT_POLL_INTERVAL);
    }

    /**
     * A change-log bus polling the store's {@code <prefix>session_changes} table every {@code interval}, through
     * the store's own connections (one borrowed connection per poll). A change made on another node is seen
     * within about one interval (plus the poll's own time).
     *
     * @param interval from 10 ms to 10 s
     * @return the bus
     * @throws IllegalArgumentException if the interval is out of range
     * @throws NullPointerException if {@code interval} is null
     */
    public static JdbcChangeBus polling(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 10 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("poll interval must be from 10 ms to 10 s, was " + interval);
        }
        return new PollingChangeBus(interval);
    }

    // ------------------------------------------------------------------------------------------ public API

    /**
     * Connects an engine (a {@code SessionManager} does this itself when it is built on the store): starts the
     * bus's thread if it is not running. The connection is not live until the bus has heard from the database;
     * then the listener is reset.
     *
     * @param listener receives other nodes' changes and resets, on the bus's thread
     * @return the connection
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if the bus has not been given to a {@link JdbcSessionStore} yet
     */
    @Override
    public Connection connect(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (sql == null) {
            throw new IllegalStateException("give this bus to JdbcSessionStore.Builder.changeBus(...) before "
                    + "connecting an engine to it");
        }
        LocalConnection c = new LocalConnection(listener);
        synchronized (this) {
            connections.add(c);
            if (worker == null) {
                boolean[] stop = {false};
                stopFlag = stop;
                worker = new Thread(() -> {
                    try {
                        run(() -> stop[0]);
                    } finally {
                        live = false;
                    }
                }, threadName());
                worker.setDaemon(true);
                worker.start();
            }
        }
        return c;
    }

    /**
     * Whether the bus hears every announcement now (a volatile read).
     *
     * @return {@code true} if live
     */
    public boolean isLive() {
        return live;
    }

    /**
     * Announcements received from other nodes and delivered.
     *
     * @return the count since the bus was created
     */
    public long changesReceived() {
        return received.get();
    }

    /**
     * Announcements or change-log rows that were malformed, or arrived on a foreign channel, and were ignored.
     *
     * @return the count since the bus was created
     */
    public long malformedMessages() {
        return malformed.get();
    }

    /**
     * Times the engines were reset (the bus became live, or found it may have missed announcements).
     *
     * @return the count since the bus was created
     */
    public long resets() {
        return resets.get();
    }

    /**
     * Failures of the listening or polling connection (each one made the bus not live until it recovered).
     *
     * @return the count since the bus was created
     */
    public long failures() {
        return failures.get();
    }

    /**
     * Stops the thread and releases its database connection; the connected engines then read every session from
     * the store. A later {@link #connect} starts it again. Idempotent.
     */
    @Override
    public synchronized void close() {
        Thread t = worker;
        worker = null;
        stopFlag[0] = true;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        live = false;
    }

    // ------------------------------------------------------------------------------------------ for the store

    /**
     * Ties the bus to a store (once); returns how that store's writes announce changes.
     *
     * @throws IllegalStateException if the bus already belongs to another store
     * @throws IllegalArgumentException if the bus cannot serve the store's database
     */
    final synchronized ChangeWrites bind(DialectSql storeSql, StoreConnections storeConnections) {
        if (sql != null) {
            throw new IllegalStateException("this JdbcChangeBus already belongs to another JdbcSessionStore; "
                    + "create one bus per store");
        }
        ChangeWrites writes = writes(storeSql, storeConnections);
        sql = storeSql;
        return writes;
    }

    /** How the store's writes announce changes on this kind of bus (checks the dialect). */
    abstract ChangeWrites writes(DialectSql storeSql, StoreConnections storeConnections);

    /** The worker: runs until {@code stopping} says so; never throws. */
    abstract void run(java.util.function.BooleanSupplier stopping);

    /** The worker thread's name. */
    abstract String threadName();

    // ------------------------------------------------------------------------------------------ for workers

    /** The bus hears everything from now on: live, then every engine is reset (it may have missed changes). */
    final void becameLive(String why) {
        live = true;
        reset(why);
    }

    /** The bus may have missed announcements: every engine drops its cache. */
    final void reset(String why) {
        resets.incrementAndGet();
        for (LocalConnection c : connections) {
            try {
                c.listener.onReset(why);
            } catch (RuntimeException e) {
                LOG.warn("a change-bus listener failed on reset: {}", e.toString());
            }
        }
    }

    /** The connection failed: not live (engines read the store) until {@link #becameLive} again. */
    final void failed(String what, Exception e) {
        failures.incrementAndGet();
        boolean was = live;
        live = false;
        if (was) {
            LOG.warn("session change bus lost ({}): {}; caches bypassed until it is back", what,
                    SqlFailures.describe(e));
        } else {
            LOG.debug("session change bus still down ({}): {}", what, SqlFailures.describe(e));
        }
    }

    /** Delivers a message from the database: skips this node's own, counts a malformed one ({@code null}). */
    final void deliver(ChangeMessages.Message m) {
        if (m == null) {
            malformed.incrementAndGet();
            return;
        }
        if (m.nodeId() == nodeId) {
            return;
        }
        received.incrementAndGet();
        deliverLocally(m.change(), null);
    }

    /** Counts an announcement that is not ours to read. */
    final void malformed() {
        malformed.incrementAndGet();
    }

    private void deliverLocally(Change change, LocalConnection except) {
        for (LocalConnection c : connections) {
            if (c != except) {
                try {
                    c.listener.onChange(change);
                } catch (RuntimeException e) {
                    LOG.warn("a change-bus listener failed: {}", e.toString());
                }
            }
        }
    }

    /** Sleeps for a backoff step (with jitter); returns the next step. */
    static long backoff(long millis, java.util.function.BooleanSupplier stopping) {
        long sleep = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        sleepQuietly(sleep, stopping);
        return Math.min(MAX_BACKOFF_MILLIS, millis * 2);
    }

    /** Sleeps unless stopping; an interrupt ends the sleep early. */
    static void sleepQuietly(long millis, java.util.function.BooleanSupplier stopping) {
        if (stopping.getAsBoolean()) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // close() interrupts: the loop checks the stop flag next
        }
    }

    /** One engine's connection: live while the bus is; what it publishes goes to the other engines in this JVM. */
    private final class LocalConnection implements Connection {
        final Listener listener;
        private volatile boolean open = true;

        LocalConnection(Listener listener) {
            this.listener = listener;
        }

        /**
         * Other nodes hear this engine's changes from its store's statements; engines on this same bus in this
         * JVM share the node id, so they hear it here.
         */
        @Override
        public void publish(Change change) {
            if (open && connections.size() > 1) {
                deliverLocally(change, this);
            }
        }

        @Override
        public boolean isLive() {
            return open && live;
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            synchronized (JdbcChangeBus.this) {
                connections.remove(this);
                if (connections.isEmpty()) {
                    JdbcChangeBus.this.close();
                }
            }
        }
    }
}
