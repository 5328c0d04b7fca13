package io.platformsessions.examples;

import io.platformsessions.jdbc.JdbcSessionStore;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How the demo server starts. Immutable.
 *
 * @param host the interface to listen on ({@code 127.0.0.1} by default: the demo runs over plain
 *     HTTP with a non-secure cookie, so it is not exposed to the network unless asked)
 * @param port the TCP port, {@code 0} for any free port
 * @param jdbcUrl the database of the demo's tables and (unless in Redis) its sessions: a {@code jdbc:h2:},
 *     {@code jdbc:postgresql:} or {@code jdbc:mariadb:} URL, credentials in the URL; in-memory H2 by default,
 *     created fresh at every start
 * @param passwordIterations PBKDF2 iterations for the demo passwords
 * @param loginPolicy login throttling and the bound on concurrent password checks
 * @param clock the time source for sessions, platform connections and login throttling (the
 *     system UTC clock; tests use a clock they can move)
 * @param redisUri where the sessions live instead of H2: a Redis URI ({@code redis://}, {@code rediss://} or
 *     {@code redis-sentinel://}) for {@code RedisSessionStore}, or {@code null} for the JDBC store on H2 (the
 *     default); the accounts and platform connections stay on H2 either way
 * @param redisKeyPrefix the key prefix of the sessions in Redis (ignored without {@code redisUri})
 * @param tablePrefix the prefix of every table the demo creates (sessions, platform connections, accounts)
 * @param changeBus which change bus keeps several demo nodes on one database (or one Redis) coherent: a
 *     {@code JdbcChangeBus} for the JDBC store, the store's own Redis bus for {@code RedisSessionStore}
 */
public record DemoSettings(String host, int port, String jdbcUrl, int passwordIterations, LoginPolicy loginPolicy,
                           Clock clock, String redisUri, String redisKeyPrefix, String tablePrefix,
                           ChangeBus changeBus) {
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Default interface. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default database: a private in-memory H2 database that lives as long as the server. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:mem:platform-sessions-demo;DB_CLOSE_DELAY=-1";
    /** Environment variable: a Redis URI puts the demo's sessions in Redis. */
    public static final String REDIS_URI_ENV = "PS_DEMO_REDIS_URI";
    /** Environment variable: the key prefix in Redis (default {@value #DEFAULT_REDIS_KEY_PREFIX}). */
    public static final String REDIS_KEY_PREFIX_ENV = "PS_DEMO_REDIS_KEY_PREFIX";
    /** Default key prefix of the demo's sessions in Redis. */
    public static final String DEFAULT_REDIS_KEY_PREFIX = "ps-demo:";
    /** Environment variable: the JDBC URL of the demo's database (default: in-memory H2). */
    public static final String JDBC_URL_ENV = "PS_DEMO_JDBC_URL";
    /** Environment variable: the prefix of the demo's tables (default {@value #DEFAULT_TABLE_PREFIX}). */
    public static final String TABLE_PREFIX_ENV = "PS_DEMO_TABLE_PREFIX";
    /** Default prefix of the demo's tables (the library's default). */
    public static final String DEFAULT_TABLE_PREFIX = "ps_";
    /** Environment variable: {@code auto}, {@code postgres}, {@code polling}, {@code redis} or {@code none}. */
    public static final String CHANGE_BUS_ENV = "PS_DEMO_CHANGE_BUS";

    /** Which change bus the demo gives its session store. */
    public enum ChangeBus {
        /**
         * By the store: {@link #REDIS} with the sessions in Redis; else by the URL, {@link #POSTGRES} on
         * PostgreSQL, {@link #POLLING} on MariaDB, {@link #NONE} on H2.
         */
        AUTO,
        /** {@code JdbcChangeBus.postgres(jdbcUrl)}: LISTEN/NOTIFY (PostgreSQL only). */
        POSTGRES,
        /** {@code JdbcChangeBus.polling()}: the change-log table, polled every 200 ms. */
        POLLING,
        /** {@code RedisSessionStore.builder().changeBus(true)}: Redis pub/sub from the store's write scripts (Redis only). */
        REDIS,
        /** No bus: another node's change is seen within the engine's {@code maxCacheStaleness} (2 s). */
        NONE
    }

    /**
     * Validates the components.
     *
     * @param host the {@code host} component
     * @param port the {@code port} component
     * @param jdbcUrl the {@code jdbcUrl} component
     * @param passwordIterations the {@code passwordIterations} component
     * @param loginPolicy the {@code loginPolicy} component
     * @param clock the {@code clock} component
     * @param redisUri the {@code redisUri} component
     * @param redisKeyPrefix the {@code redisKeyPrefix} component
     * @param tablePrefix the {@code tablePrefix} component
     * @param changeBus the {@code changeBus} component
     * @throws IllegalArgumentException if the port is outside 0..65535, the URL is not an H2, PostgreSQL or
     *     MariaDB URL, the table prefix is not one {@code JdbcSessionStore} accepts, the bus is {@code POSTGRES} on
     *     another database, a JDBC bus with the sessions in Redis or {@code REDIS} without them, or the Redis URI does not start with
     *     {@code redis://}, {@code rediss://} or {@code redis-sentinel://}
     * @throws NullPointerException if host, jdbcUrl, loginPolicy, clock, redisKeyPrefix, tablePrefix or changeBus
     *     is null
     */
    public DemoSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        Objects.requireNonNull(changeBus, "changeBus");
        Objects.requireNonNull(loginPolicy, "loginPolicy");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(redisKeyPrefix, "redisKeyPrefix");
        if (redisUri != null && !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://")
                || redisUri.startsWith("redis-sentinel://"))) {
            throw new IllegalArgumentException(REDIS_URI_ENV + " must be a redis://, rediss:// or redis-sentinel:// URI");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (!(jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:postgresql:")
                || jdbcUrl.startsWith("jdbc:mariadb:"))) {
            throw new IllegalArgumentException(JDBC_URL_ENV + " must be a jdbc:h2:, jdbc:postgresql: or jdbc:mariadb: URL");
        }
        try {
            JdbcSessionStore.builder().tablePrefix(tablePrefix); // the library's rule for table prefixes
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TABLE_PREFIX_ENV + ": " + e.getMessage(), e);
        }
        if (redisUri != null && (changeBus == ChangeBus.POSTGRES || changeBus == ChangeBus.POLLING)) {
            throw new IllegalArgumentException(CHANGE_BUS_ENV + "=" + changeBus.name().toLowerCase(java.util.Locale.ROOT)
                    + " is a JDBC bus, but the sessions are in Redis (" + REDIS_URI_ENV + "): use redis, auto or none");
        }
        if (redisUri == null && changeBus == ChangeBus.REDIS) {
            throw new IllegalArgumentException(CHANGE_BUS_ENV + "=redis needs the sessions in Redis (" + REDIS_URI_ENV + ")");
        }
        if (redisUri == null && changeBus == ChangeBus.POSTGRES && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(CHANGE_BUS_ENV + "=postgres needs a jdbc:postgresql: URL");
        }
    }

    /**
     * The bus the demo really uses: {@link #changeBus()}, with {@link ChangeBus#AUTO} resolved by the store
     * and the URL.
     *
     * @return {@code REDIS} or {@code NONE} with the sessions in Redis; else {@code POSTGRES}, {@code POLLING} or
     *     {@code NONE}
     */
    public ChangeBus effectiveChangeBus() {
        if (changeBus != ChangeBus.AUTO) {
            return changeBus;
        }
        if (redisUri != null) {
            return ChangeBus.REDIS;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return ChangeBus.POSTGRES;
        }
        return jdbcUrl.startsWith("jdbc:mariadb:") ? ChangeBus.POLLING : ChangeBus.NONE;
    }

    /**
     * The defaults: 127.0.0.1:8080, in-memory H2 (sessions included), {@link PasswordHasher#DEFAULT_ITERATIONS},
     * {@link LoginPolicy#defaults()}, the system UTC clock.
     *
     * @return the default settings
     */
    public static DemoSettings defaults() {
        return new DemoSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_JDBC_URL, PasswordHasher.DEFAULT_ITERATIONS,
                LoginPolicy.defaults(), Clock.systemUTC(), null, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_TABLE_PREFIX,
                ChangeBus.AUTO);
    }

    /**
     * Reads {@code PORT}, {@code HOST}, {@value #REDIS_URI_ENV}, {@value #REDIS_KEY_PREFIX_ENV},
     * {@value #JDBC_URL_ENV}, {@value #TABLE_PREFIX_ENV} and {@value #CHANGE_BUS_ENV} from an environment map,
     * defaults otherwise.
     *
     * @param env the environment (usually {@link System#getenv()})
     * @return the settings
     * @throws IllegalArgumentException if {@code PORT} is not a number in 0..65535, {@value #REDIS_URI_ENV} is
     *     not a Redis URI, {@value #JDBC_URL_ENV} is not an H2, PostgreSQL or MariaDB URL, or
     *     {@value #CHANGE_BUS_ENV} is not one of {@code auto}, {@code postgres}, {@code polling},
     *     {@code redis}, {@code none} (or does not fit where the sessions are: {@code postgres} without a PostgreSQL
     *     URL, {@code postgres} or {@code polling} with {@value #REDIS_URI_ENV}, {@code redis} without it), or {@value #TABLE_PREFIX_ENV} is malformed
     */
    public static DemoSettings fromEnvironment(Map<String, String> env) {
        DemoSettings d = defaults();
        String port = env.get("PORT");
        int p = d.port();
        if (port != null && !port.isBlank()) {
            try {
                p = Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PORT must be a number, was '" + port + "'", e);
            }
        }
        String host = env.get("HOST");
        String redis = env.get(REDIS_URI_ENV);
        String prefix = env.get(REDIS_KEY_PREFIX_ENV);
        return new DemoSettings(host == null || host.isBlank() ? d.host() : host.strip(), p,
                or(env.get(JDBC_URL_ENV), d.jdbcUrl()), d.passwordIterations(), d.loginPolicy(), d.clock(),
                redis == null || redis.isBlank() ? null : redis.strip(), or(prefix, d.redisKeyPrefix()),
                or(env.get(TABLE_PREFIX_ENV), d.tablePrefix()), changeBus(env.get(CHANGE_BUS_ENV)));
    }

    private static String or(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    private static ChangeBus changeBus(String value) {
        if (value == null || value.isBlank()) {
            return ChangeBus.AUTO;
        }
        try {
            return ChangeBus.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CHANGE_BUS_ENV + " must be auto, postgres, polling, redis or none, was '"
                    + value + "'", e);
        }
    }

    /**
     * Whether the sessions live in Redis.
     *
     * @return {@code true} when {@link #redisUri()} is set
     */
    public boolean sessionsInRedis() {
        return redisUri != null;
    }

    /**
     * A copy that keeps the sessions in Redis.
     *
     * @param uri a Redis URI
     * @param keyPrefix the key prefix of the sessions
     * @return new settings
     */
    public DemoSettings withRedis(String uri, String keyPrefix) {
        return new DemoSettings(host, port, jdbcUrl, passwordIterations, loginPolicy, clock, Objects.requireNonNull(uri,
                "uri"), keyPrefix, tablePrefix, changeBus);
    }

    /**
     * A copy on another port.
     *
     * @param value the port
     * @return new settings
     */
    public DemoSettings withPort(int value) {
        return new DemoSettings(host, value, jdbcUrl, passwordIterations, loginPolicy, clock, redisUri, redisKeyPrefix, tablePrefix, changeBus);
    }

    /**
     * A copy with another database.
     *
     * @param value an H2, PostgreSQL or MariaDB JDBC URL
     * @return new settings
     */
    public DemoSettings withJdbcUrl(String value) {
        return new DemoSettings(host, port, value, passwordIterations, loginPolicy, clock, redisUri, redisKeyPrefix, tablePrefix, changeBus);
    }

    /**
     * A copy with another table prefix (tests on a shared database use a random one).
     *
     * @param value a lower-case letter then letters, digits or {@code _}
     * @return new settings
     */
    public DemoSettings withTablePrefix(String value) {
        return new DemoSettings(host, port, jdbcUrl, passwordIterations, loginPolicy, clock, redisUri, redisKeyPrefix,
                value, changeBus);
    }

    /**
     * A copy with another change bus.
     *
     * @param value the bus
     * @return new settings
     */
    public DemoSettings withChangeBus(ChangeBus value) {
        return new DemoSettings(host, port, jdbcUrl, passwordIterations, loginPolicy, clock, redisUri, redisKeyPrefix,
                tablePrefix, value);
    }

    /**
     * A copy with another PBKDF2 iteration count (tests use fewer to run faster).
     *
     * @param value iterations
     * @return new settings
     */
    public DemoSettings withPasswordIterations(int value) {
        return new DemoSettings(host, port, jdbcUrl, value, loginPolicy, clock, redisUri, redisKeyPrefix, tablePrefix, changeBus);
    }

    /**
     * A copy with another login policy (tests use low thresholds and few hashing permits).
     *
     * @param value the policy
     * @return new settings
     */
    public DemoSettings withLoginPolicy(LoginPolicy value) {
        return new DemoSettings(host, port, jdbcUrl, passwordIterations, value, clock, redisUri, redisKeyPrefix, tablePrefix, changeBus);
    }

    /**
     * A copy with another clock (tests move time forward instead of sleeping).
     *
     * @param value the clock
     * @return new settings
     */
    public DemoSettings withClock(Clock value) {
        return new DemoSettings(host, port, jdbcUrl, passwordIterations, loginPolicy, value, redisUri, redisKeyPrefix, tablePrefix, changeBus);
    }

    /**
     * The settings without the credentials of the Redis URI and the JDBC URL (records print every component
     * otherwise).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "DemoSettings[host=" + host + ", port=" + port + ", jdbcUrl=" + DemoStorage.withoutPassword(jdbcUrl)
                + ", passwordIterations="
                + passwordIterations + ", loginPolicy=" + loginPolicy + ", clock=" + clock + ", redisUri="
                + (redisUri == null ? null : DemoStorage.withoutCredentials(redisUri)) + ", redisKeyPrefix="
                + redisKeyPrefix + ", tablePrefix=" + tablePrefix + ", changeBus=" + changeBus + "]";
    }
}
