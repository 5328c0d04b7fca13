package io.platformsessions.spring.boot;

/**
 * Which store holds the sessions.
 * These are the properties under {@code platform.sessions.store}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsStoreProperties {
    /** Store type; unset: Redis when platform.sessions.redis.uri or cluster-uris is set, else JDBC on the application's DataSource when there is one. */
    private StoreType type;

    /**
     * The store type.
     *
     * @return the type, or {@code null} to detect it
     */
    public StoreType getType() {
        return type;
    }

    /**
     * Sets the store type.
     *
     * @param type the type
     */
    public void setType(StoreType type) {
        this.type = type;
    }

    /** The kinds of store the auto-configuration can build. */
    public enum StoreType {
        /** {@code JdbcSessionStore} on the application's DataSource. */
        JDBC,
        /** {@code RedisSessionStore} (session-redis) on platform.sessions.redis.*. */
        REDIS,
        /** {@code InMemorySessionStore}: one node, sessions lost on restart; for tests and demos. */
        MEMORY
    }
}
