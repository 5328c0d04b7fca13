package io.platformsessions.examples;

import io.platformsessions.SessionStoreException;
import io.platformsessions.jdbc.JdbcChangeBus;
import io.platformsessions.jdbc.JdbcPool;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.redis.RedisSessionStore;
import io.platformsessions.spi.SessionStore;
import java.util.List;
import javax.sql.DataSource;

/**
 * Where the demo keeps its data: the application's tables (accounts, platform connections) in the database of
 * {@link DemoSettings#jdbcUrl()} (in-memory H2 by default, or PostgreSQL or MariaDB), and the sessions either there
 * too ({@link JdbcSessionStore}, the default, with the {@link JdbcChangeBus} of
 * {@link DemoSettings#effectiveChangeBus()}) or in Redis ({@link RedisSessionStore}, when
 * {@link DemoSettings#redisUri()} is set). One pool for the database. Closing it closes the session store (and
 * its bus) and then the pool. Thread-safe (the stores and the pool are).
 */
final class DemoStorage implements AutoCloseable {
    private final SessionStore sessions;
    private final DataSource appData;
    private final String description;
    private final List<AutoCloseable> owned;

    private DemoStorage(SessionStore sessions, DataSource appData, String description, List<AutoCloseable> owned) {
        this.sessions = sessions;
        this.appData = appData;
        this.description = description;
        this.owned = owned;
    }

    /**
     * Opens the database and the session store the settings ask for.
     *
     * @param settings the demo settings
     * @return the storage
     * @throws SessionStoreException if the database or Redis does not answer
     * @throws IllegalArgumentException if the Redis URI, a key or table prefix is malformed
     */
    static DemoStorage open(DemoSettings settings) {
        String url = settings.jdbcUrl();
        JdbcPool.Builder poolBuilder = JdbcPool.builder(url).poolName("demo-db");
        if (url.startsWith("jdbc:h2:")) {
            poolBuilder.username("sa").password("");
        }
        JdbcPool pool = poolBuilder.build();
        String database = url.startsWith("jdbc:h2:mem:") ? "an in-memory H2 database, created fresh at every start"
                : "the database at " + withoutPassword(url);
        String tables = " (tables " + settings.tablePrefix() + "*)";
        if (!settings.sessionsInRedis()) {
            // The session store owns the pool and creates its tables; the application's own tables share the pool.
            JdbcSessionStore.Builder builder = JdbcSessionStore.builder()
                    .pool(pool) // closed with the store, also if build() fails
                    .tablePrefix(settings.tablePrefix())
                    .initializeSchema(true);
            DemoSettings.ChangeBus bus = settings.effectiveChangeBus();
            switch (bus) {
                case POSTGRES -> builder.changeBus(JdbcChangeBus.postgres(url));
                case POLLING -> builder.changeBus(JdbcChangeBus.polling());
                default -> { }
            }
            JdbcSessionStore store = builder.build();
            return new DemoStorage(store, store.dataSource(), "sessions, accounts and platform connections in "
                    + database + tables + "; change bus: " + describe(bus), List.of(store));
        }
        RedisSessionStore store = null;
        DemoSettings.ChangeBus bus = settings.effectiveChangeBus();
        try {
            store = RedisSessionStore.builder()
                    .uri(settings.redisUri())
                    .keyPrefix(settings.redisKeyPrefix())
                    .clock(settings.clock()) // the engine's clock: native TTLs are computed from it
                    .changeBus(bus == DemoSettings.ChangeBus.REDIS)
                    .build();
            // the store builds while Redis is down (and would answer 503 until it is up); the demo says so at once
            store.findByUser("demo-startup-check");
            String where = "sessions in Redis at " + withoutCredentials(settings.redisUri()) + " under the key prefix '"
                    + store.keyPrefix() + "' (they outlive the demo); accounts and platform connections in "
                    + database + tables + "; change bus: " + describe(bus);
            return new DemoStorage(store, pool.dataSource(), where, List.of(store, pool));
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            pool.close();
            throw e;
        }
    }

    private static String describe(DemoSettings.ChangeBus bus) {
        return switch (bus) {
            case POSTGRES -> "PostgreSQL LISTEN/NOTIFY";
            case POLLING -> "change-log table polled every " + JdbcChangeBus.DEFAULT_POLL_INTERVAL.toMillis() + " ms";
            case REDIS -> "Redis pub/sub from the store's write scripts";
            default -> "none (another node's change is seen within 2 s)";
        };
    }

    /**
     * A JDBC URL without its password (a {@code password=} parameter, or {@code user:password@}), for messages.
     *
     * @param url a JDBC URL
     * @return the URL with the password replaced by {@code ***}
     */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceFirst("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    /** A Redis URI without its user and password, for messages. */
    static String withoutCredentials(String uri) {
        return uri.replaceFirst("//[^@/]*@", "//");
    }

    /**
     * The session store.
     *
     * @return the store
     */
    SessionStore sessions() {
        return sessions;
    }

    /**
     * The demo's database: the application's tables, and the sessions' when they are not in Redis.
     *
     * @return the data source
     */
    DataSource appData() {
        return appData;
    }

    /**
     * Where the data lives, for people.
     *
     * @return one sentence
     */
    String description() {
        return description;
    }

    /** Closes the session store (and its bus), then the pool. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the demo's storage failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
