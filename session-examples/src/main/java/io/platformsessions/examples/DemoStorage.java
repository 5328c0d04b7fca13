package io.platformsessions.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.SessionStoreException;
import io.platformsessions.jdbc.JdbcPool;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.redis.RedisSessionStore;
import io.platformsessions.spi.SessionStore;
import java.util.List;
import javax.sql.DataSource;

/**
 * Where the demo keeps its data: the application's tables (accounts, platform connections) always in the
 * embedded H2 database, and the sessions either there too ({@link JdbcSessionStore}, the default) or in Redis
 * ({@link RedisSessionStore}, when {@link DemoSettings#redisUri()} is set). Closing it closes the session store
 * and then the H2 pool. Thread-safe (the stores and the pool are).
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
     * Opens the H2 database and the session store the settings ask for.
     *
     * @param settings the demo settings
     * @return the storage
     * @throws SessionStoreException if Redis was asked for and does not answer
     * @throws IllegalArgumentException if the Redis URI or key prefix is malformed
     */
    static DemoStorage open(DemoSettings settings) {
        if (!settings.sessionsInRedis()) {
            // The session store owns a HikariCP pool on the embedded H2 database and creates its tables;
            // the application's own tables share that pool.
            JdbcSessionStore store = JdbcSessionStore.builder()
                    .pool(JdbcPool.builder(settings.jdbcUrl()).username("sa").password("").poolName("demo-db").build())
                    .initializeSchema(true)
                    .build();
            return new DemoStorage(store, store.dataSource(), "in-memory H2 database, created fresh at every start",
                    List.of(store));
        }
        HikariConfig h2 = new HikariConfig();
        h2.setPoolName("demo-db");
        h2.setJdbcUrl(settings.jdbcUrl());
        h2.setUsername("sa");
        h2.setPassword("");
        HikariDataSource appData = new HikariDataSource(h2);
        RedisSessionStore store = null;
        try {
            store = RedisSessionStore.builder()
                    .uri(settings.redisUri())
                    .keyPrefix(settings.redisKeyPrefix())
                    .clock(settings.clock()) // the engine's clock: native TTLs are computed from it
                    .build();
            // the store builds while Redis is down (and would answer 503 until it is up); the demo says so at once
            store.findByUser("demo-startup-check");
            String where = "sessions in Redis at " + withoutCredentials(settings.redisUri()) + " under the key prefix '"
                    + store.keyPrefix() + "' (they outlive the demo); accounts and platform connections in an "
                    + "in-memory H2 database, created fresh at every start";
            return new DemoStorage(store, appData, where, List.of(store, appData));
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            appData.close();
            throw e;
        }
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
     * The embedded H2 database: the application's tables, and the sessions' when they are not in Redis.
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

    /** Closes the session store, then the H2 pool. */
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
