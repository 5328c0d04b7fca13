package io.platformsessions.benchmarks;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Platform Sessions under test, through its public API only: {@code SessionManager.builder(store)
 * .config(...).platformDirectory(...).build()} with default configuration (cache on, touch
 * interval 60 s) unless the cache is turned off. Thread-safe after preparation.
 */
public final class OursSubject implements Subject {
    /** The client every benchmark request comes from: a realistic browser. */
    static final ClientInfo CLIENT = new ClientInfo("198.51.100.23",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "en-GB,en;q=0.9");
    /** Fresh users for {@link #create(long)} start here, far above prepared users. */
    static final long FRESH_USERS = 100_000_000L;
    /** Users of already-expired sessions start here. */
    static final long EXPIRED_USERS = 200_000_000L;

    private final SessionStore store;
    private final SessionManager manager;
    private final SessionConfig config;
    private final SyntheticPlatforms platforms = new SyntheticPlatforms();
    private String[] tokens = new String[0];
    private SessionKey[] keys = new SessionKey[0];
    private long[] sessionUsers = new long[0];
    private int users = 1;
    private long expiredCreated;
    private ExpiredTemplate template;

    /**
     * Builds the manager over a store.
     * @param store our store (JDBC over the shared pool)
     * @param cache whether the session cache is on (the default) or off
     */
    public OursSubject(SessionStore store, boolean cache) {
        this(store, SessionConfig.builder().cacheEnabled(cache).build());
    }

    /**
     * Builds the manager over a store with a given configuration.
     * @param store our store
     * @param config the configuration
     */
    public OursSubject(SessionStore store, SessionConfig config) {
        this.store = store;
        this.config = config;
        this.manager = SessionManager.builder(store).config(config).platformDirectory(platforms).build();
    }

    @Override
    public String name() {
        return "ours";
    }

    /**
     * The manager under test.
     * @return the manager
     */
    public SessionManager manager() {
        return manager;
    }

    @Override
    public Object create(long n) {
        long user = FRESH_USERS + n;
        CreatedSession s = manager.create(SyntheticPlatforms.userId(user), SyntheticPlatforms.defaultPlatform(user), CLIENT);
        return s.token();
    }

    @Override
    public void prepareActive(int sessions, int userCount) {
        this.users = userCount;
        tokens = new String[sessions];
        keys = new SessionKey[sessions];
        sessionUsers = new long[sessions];
        // one thread per user at a time (the per-user session limit is checked per create); session k is user k % users'
        Parallel.forEach(userCount, user -> {
            for (int k = user; k < sessions; k += userCount) {
                CreatedSession s = manager.create(SyntheticPlatforms.userId(user), SyntheticPlatforms.defaultPlatform(user),
                        CLIENT);
                tokens[k] = s.token().value();
                keys[k] = s.context().key();
                sessionUsers[k] = user;
            }
        });
    }

    /**
     * The raw token of prepared session {@code i}.
     * @param i index, any non-negative number
     * @return the token
     */
    String token(int i) {
        return tokens[i % tokens.length];
    }

    @Override
    public Object requestCycle(int i) {
        SessionLookup lookup = manager.lookup(tokens[i % tokens.length], CLIENT);
        if (lookup.status() != SessionLookup.Status.ACTIVE) {
            throw new IllegalStateException("prepared session not active: " + lookup.status());
        }
        return lookup.context();
    }

    @Override
    public Object switchPlatform(int i) {
        int k = i % tokens.length;
        long user = sessionUsers[k];
        long target = (i / tokens.length) % 2 == 0 ? SyntheticPlatforms.otherPlatform(user)
                : SyntheticPlatforms.defaultPlatform(user);
        // the application has the key from the request's PlatformContext
        return manager.switchPlatform(keys[k], target);
    }

    @Override
    public int listSessions(int u) {
        return manager.activeSessions(SyntheticPlatforms.userId(u % users)).size();
    }

    /**
     * Stores {@code count} expired sessions. Seeds (at most 100) are created through the public API
     * by a manager whose clock is 13 hours behind, so they are past the 12 h absolute and 30 min idle
     * timeouts; with the JDBC store they are then replicated in SQL into a template table once, and
     * each call copies the template in with one statement.
     */
    @Override
    public void prepareExpired(int count) {
        if (!(store instanceof JdbcSessionStore jdbc)) {
            createExpired(count);
            return;
        }
        if (template == null || template.size() != count) {
            int seeds = count % 100 == 0 ? 100 : count;
            createExpired(seeds);
            template = new ExpiredTemplate(jdbc);
            template.build(count / seeds, config.clock().millis());
            if (template.size() != count) {
                throw new IllegalStateException("template holds " + template.size() + " expired sessions, not " + count);
            }
        }
        template.copyInto();
    }

    private void createExpired(int count) {
        Clock past = Clock.offset(config.clock(), Duration.ofHours(-13));
        try (SessionManager old = SessionManager.builder(store).config(config.toBuilder().clock(past).cacheEnabled(false)
                .build()).platformDirectory(platforms).build()) {
            for (int k = 0; k < count; k++) {
                long user = EXPIRED_USERS + expiredCreated++;
                old.create(SyntheticPlatforms.userId(user), SyntheticPlatforms.defaultPlatform(user), CLIENT);
            }
        }
    }

    @Override
    public long cleanup() {
        return manager.cleanupExpired();
    }

    @Override
    public void close() {
        manager.close();
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the store", e);
            }
        }
    }
}
