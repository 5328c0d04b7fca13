package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Redis unreachable, stopped and restarted: calls fail within a bounded time with a transient
 * {@link SessionStoreException}, the store recovers by itself, and sessions lost with a restart without
 * persistence read as "no session". Uses a private redis-server (never the shared one).
 */
class RedisDownTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            "en");

    @Test
    void aClosedPortFailsFastAndTransiently() throws Exception {
        int closed = OwnRedisServer.freePort();
        try (RedisSessionStore store = RedisSessionStore.builder().uri("redis://127.0.0.1:" + closed)
                .commandTimeout(TIMEOUT).connectTimeout(TIMEOUT).build()) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.find(SampleSessions.randomKey()))
                        .isInstanceOfSatisfying(SessionStoreException.class, e -> assertThat(e.isTransient()).isTrue());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void anUnroutableAddressIsBoundedByTheConnectTimeout() {
        // TEST-NET-1 (RFC 5737): packets go nowhere, so the connect attempt hangs until the timeout
        try (RedisSessionStore store = RedisSessionStore.builder().uri("redis://192.0.2.1:6379")
                .commandTimeout(TIMEOUT).connectTimeout(TIMEOUT).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.find(SampleSessions.randomKey()))
                    .isInstanceOfSatisfying(SessionStoreException.class, e -> assertThat(e.isTransient()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void stoppedThenRestartedWithoutPersistence() throws Exception {
        try (OwnRedisServer server = OwnRedisServer.launch();
             RedisSessionStore store = RedisSessionStore.builder().uri(server.uri()).commandTimeout(TIMEOUT)
                     .connectTimeout(TIMEOUT).build()) {
            SessionManager sessions = SessionManager.builder(store)
                    .config(SessionConfig.builder().cacheEnabled(false).build()).build();
            CreatedSession created = sessions.create("alice", CLIENT);
            String token = created.token().value();
            assertThat(sessions.lookup(token, CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            SessionRecord r = SampleSessions.typical("bob", Instant.now());
            store.insert(r);

            server.stop();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.find(r.key()))
                        .isInstanceOfSatisfying(SessionStoreException.class, e -> assertThat(e.isTransient()).isTrue());
                assertThatThrownBy(() -> sessions.lookup(token, CLIENT)).isInstanceOf(SessionStoreException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeouts")
                        .isLessThan(Duration.ofSeconds(3));
            }

            server.start(); // same port, empty: no persistence
            Optional<SessionRecord> found = awaitAnswer(() -> store.find(r.key()), Duration.ofSeconds(15));
            assertThat(found).as("a clean 'no session', not an error").isEmpty();
            assertThat(sessions.lookup(token, CLIENT).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
            // and it works again for new sessions, scripts reloaded after NOSCRIPT
            CreatedSession again = sessions.create("alice", CLIENT);
            assertThat(sessions.lookup(again.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        }
    }

    @Test
    void buildsWhileRedisIsDownAndConnectsWhenItComesUp() throws Exception {
        int port = OwnRedisServer.freePort();
        try (RedisSessionStore store = RedisSessionStore.builder().uri("redis://127.0.0.1:" + port)
                .commandTimeout(TIMEOUT).connectTimeout(TIMEOUT).build()) {
            assertThatThrownBy(() -> store.find(SampleSessions.randomKey())).isInstanceOf(SessionStoreException.class);
            try (OwnRedisServer server = OwnRedisServer.launchOn(port)) {
                SessionRecord r = SampleSessions.typical("carol", Instant.now());
                awaitAnswer(() -> {
                    store.insert(r);
                    return null;
                }, Duration.ofSeconds(10));
                assertThat(store.find(r.key())).contains(r);
            }
        }
    }

    interface Attempt<T> {
        T run();
    }

    /** Retries while the store reports a transient failure; fails the test after {@code limit}. */
    static <T> T awaitAnswer(Attempt<T> attempt, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return attempt.run();
            } catch (SessionStoreException e) {
                assertThat(e.isTransient()).as("only transient failures while recovering: %s", e).isTrue();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the store did not recover within " + limit, e);
                }
                OwnRedisServer.sleep(100);
            }
        }
    }
}
