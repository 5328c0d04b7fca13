package io.platformsessions.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link JdbcChangeBus#postgres}: the store's writes call {@code pg_notify} on channel
 * {@code <prefix>session_changes} ({@link ChangeWrites.Notify}); one daemon thread holds one connection that
 * {@code LISTEN}s there and reads notifications with {@link PGConnection#getNotifications(int)}. The connection is
 * checked with {@code SELECT 1} every {@link #CHECK_INTERVAL_MILLIS} under a {@link #CHECK_TIMEOUT_MILLIS} network
 * timeout, so a silently dead link is found within their sum; a broken or terminated connection is found at once.
 * After any failure the bus is not live, and reconnects with backoff. Thread-safe.
 */
final class PostgresChangeBus extends JdbcChangeBus {
    /** How long one wait for notifications lasts: bounds how long {@link #close()} waits for the thread. */
    static final int WAIT_MILLIS = 250;
    /**
     * How often the idle listening connection is checked: a link that died silently must not leave the node serving
     * stale copies for longer than the no-bus default ({@code maxCacheStaleness}, 2 s) by much.
     */
    static final long CHECK_INTERVAL_MILLIS = 1_000;
    /** The network timeout of the listening connection (bounds the check on a hung link). */
    static final int CHECK_TIMEOUT_MILLIS = 2_000;
    private static final Executor DIRECT = Runnable::run;

    /** Opens the listening connection. */
    @FunctionalInterface
    interface Opener {
        java.sql.Connection open() throws SQLException;
    }

    private final Opener opener;
    private final String source;
    private volatile String channel;

    PostgresChangeBus(Opener opener, String source) {
        this.opener = opener;
        this.source = source;
    }

    @Override
    ChangeWrites writes(DialectSql storeSql, StoreConnections storeConnections) {
        if (storeSql.dialect != JdbcDialect.POSTGRESQL) {
            throw new IllegalArgumentException("JdbcChangeBus.postgres needs a PostgreSQL store, not "
                    + storeSql.dialect + "; use JdbcChangeBus.polling()");
        }
        channel = storeSql.table.changes;
        return new ChangeWrites.Notify(storeSql, channel, nodeId);
    }

    @Override
    String threadName() {
        return "ps-pg-change-listener-" + channel;
    }

    @Override
    void run(BooleanSupplier stopping) {
        long backoff = MIN_BACKOFF_MILLIS;
        while (!stopping.getAsBoolean()) {
            try (java.sql.Connection c = opener.open()) {
                listen(c, stopping);
            } catch (SQLException | RuntimeException e) {
                if (!stopping.getAsBoolean()) {
                    failed("PostgreSQL LISTEN connection", e);
                }
            } catch (LinkageError e) {
                failed("PostgreSQL LISTEN connection", new IllegalStateException("JdbcChangeBus.postgres needs the "
                        + "PostgreSQL JDBC driver (org.postgresql:postgresql) on the class path", e));
            }
            if (!stopping.getAsBoolean()) {
                backoff = backoff(backoff, stopping);
            }
        }
    }

    /** Listens on {@code c} until it fails or the bus stops; the caller closes it. */
    private void listen(java.sql.Connection c, BooleanSupplier stopping) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        c.setAutoCommit(true);
        c.setNetworkTimeout(DIRECT, CHECK_TIMEOUT_MILLIS);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel); // the prefix is checked: [a-z][a-z0-9_]*
        }
        if (stopping.getAsBoolean()) {
            return;
        }
        becameLive("listening on PostgreSQL channel " + channel);
        long checked = System.nanoTime();
        while (!stopping.getAsBoolean()) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    if (channel.equals(n.getName())) {
                        deliver(ChangeMessages.parse(n.getParameter()));
                    } else {
                        malformed();
                    }
                }
            }
            if (System.nanoTime() - checked >= CHECK_INTERVAL_MILLIS * 1_000_000) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                checked = System.nanoTime();
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcChangeBus.postgres(" + source + ", channel " + channel + ")";
    }
}
