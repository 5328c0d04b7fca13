package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.tck.MutableClock;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine on the Redis store, on a single node and on the cluster: logout everywhere, rotation, expiry events. */
class EngineOnRedisTest {
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            "en");

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void logoutEverywhereReachesEverySessionAndRotationKillsTheOldToken(TestRedis.Target target) {
        RedisSessionStore store = target.builder().build();
        try (SessionManager sessions = SessionManager.builder(store)
                .config(SessionConfig.builder().cacheEnabled(false).build()).build()) {
            CreatedSession a = sessions.create("alice", CLIENT);
            CreatedSession b = sessions.create("alice", CLIENT);
            CreatedSession rotated = sessions.rotate(b.context().key());
            assertThat(sessions.lookup(b.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(sessions.activeSessions("alice")).hasSize(2);
            assertThat(sessions.invalidateAll("alice", InvalidationReason.LOGOUT_ALL)).isEqualTo(2);
            assertThat(sessions.lookup(a.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(sessions.lookup(rotated.token().value(), CLIENT).status())
                    .isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(sessions.activeSessions("alice")).isEmpty();
        } finally {
            store.close();
            target.deleteKeys(store.keyPrefix());
        }
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void withRetentionALookupAfterExpiryReportsExpiredAndArchivesIt(TestRedis.Target target) {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        RedisSessionStore store = target.builder().clock(clock).expiredRetention(Duration.ofMinutes(10))
                .archiveEndedSessions(true).build();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (SessionManager sessions = SessionManager.builder(store).listener(events::add)
                .config(SessionConfig.builder().clock(clock).idleTimeout(Duration.ofMinutes(30)).build()).build()) {
            CreatedSession s = sessions.create("bob", CLIENT);
            clock.advance(Duration.ofMinutes(31));
            assertThat(sessions.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.EXPIRED);
            assertThat(events).filteredOn(SessionEvent.Expired.class::isInstance).hasSize(1);
            assertThat(target.commands().xrange(store.archiveStream(), Range.create("-", "+")))
                    .singleElement().satisfies(m -> assertThat(m.getBody()).containsEntry("reason", "IDLE_TIMEOUT"));
            assertThat(sessions.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        } finally {
            store.close();
            target.deleteKeys(store.keyPrefix());
        }
    }
}
