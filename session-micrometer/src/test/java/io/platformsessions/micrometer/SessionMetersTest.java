package io.platformsessions.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.tck.MutableClock;
import io.platformsessions.tck.TestRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionMetersTest {
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "en");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FlakyStore flaky = new FlakyStore(new InMemorySessionStore());
    private MeteredSessionStore store;
    private SessionMeters meters;
    private SessionManager manager;

    @BeforeEach
    void setUp() {
        InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory()
                .put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true))
                .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false));
        SessionConfig config = SessionConfig.builder().clock(clock).maxUnknownTokensPerMinute(2)
                .touchInterval(Duration.ofSeconds(60)).build();
        store = new MeteredSessionStore(flaky, registry);
        meters = new SessionMeters(store, clock, registry);
        manager = new MeteredSessionManager(SessionManager.builder(store).config(config).platformDirectory(platforms)
                .listener(meters).build(), store, registry);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void countsTheLifeOfASession() {
        CreatedSession s = manager.create("alice", CLIENT);
        manager.switchPlatform(s.context().key(), 2);
        CreatedSession rotated = manager.rotate(s.context().key());
        manager.invalidate(rotated.context().key(), InvalidationReason.LOGOUT);

        assertThat(count("platform.sessions.created")).isEqualTo(1);
        assertThat(count("platform.sessions.platform.switches")).isEqualTo(1);
        assertThat(count("platform.sessions.rotations")).isEqualTo(1);
        assertThat(registry.get("platform.sessions.ended").tag("reason", "logout").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.ended").tag("reason", "idle_timeout").counter().count()).isZero();
    }

    @Test
    void expiryPresentedAndCleanupAreCountedByReason() {
        CreatedSession presented = manager.create("alice", CLIENT);
        manager.create("alice", CLIENT);
        clock.advance(Duration.ofHours(1));

        assertThat(manager.lookup(presented.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.EXPIRED);
        assertThat(manager.cleanupExpired()).isEqualTo(1);

        assertThat(registry.get("platform.sessions.ended").tag("reason", "idle_timeout").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.ended").tag("reason", "cleanup").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.lookups").tag("outcome", "expired").timer().count()).isEqualTo(1);
    }

    @Test
    void lookupsAreTimedByOutcomeTellingCacheFromStore() {
        CreatedSession s = manager.create("alice", CLIENT);
        String token = s.token().value();

        assertThat(manager.lookup(token, CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE); // created: cached
        manager.lookup(null, CLIENT);
        manager.lookup("not a token", CLIENT);
        manager.lookup(SessionKeys.wellFormedUnknownToken(), CLIENT);

        assertThat(timerCount("cache_hit")).isEqualTo(1);
        assertThat(timerCount("store_hit")).isZero();
        assertThat(timerCount("absent")).isEqualTo(1);
        assertThat(timerCount("malformed")).isEqualTo(1);
        assertThat(timerCount("not_found")).isEqualTo(1);
    }

    @Test
    void aLookupThatReadsTheStoreIsAStoreHit() {
        SessionConfig noCache = SessionConfig.builder().clock(clock).cacheEnabled(false).build();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MeteredSessionStore s = new MeteredSessionStore(new InMemorySessionStore(), r);
        try (SessionManager m = new MeteredSessionManager(SessionManager.builder(s).config(noCache).build(), s, r)) {
            CreatedSession created = m.create("alice", CLIENT);
            assertThat(m.lookup(created.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        }
        assertThat(r.get("platform.sessions.lookups").tag("outcome", "store_hit").timer().count()).isEqualTo(1);
        assertThat(r.get("platform.sessions.lookups").tag("outcome", "cache_hit").timer().count()).isZero();
        assertThat(r.get("platform.sessions.store.calls").tag("operation", "find").tag("outcome", "success").timer().count())
                .isEqualTo(1);
    }

    @Test
    void storeFailuresAreTimedAsErrorsAndStillThrown() {
        flaky.failing = true;
        assertThatThrownBy(() -> manager.create("alice", CLIENT)).isInstanceOf(SessionStoreException.class);
        assertThat(registry.get("platform.sessions.store.calls").tag("operation", "insert").tag("outcome", "error")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.created").counter().count()).isZero();
    }

    @Test
    void compareAndSetConflictsAreCounted() {
        CreatedSession s = manager.create("alice", CLIENT);
        SessionRecord current = flaky.find(s.context().key()).orElseThrow();

        assertThat(store.update(current.withVersion(current.version() + 5), current.version() + 4)).isFalse();
        assertThat(store.rekey(TestRecords.randomKey(), current.withKey(TestRecords.randomKey()), 1)).isFalse();

        assertThat(registry.get("platform.sessions.store.conflicts").tag("operation", "update").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.store.conflicts").tag("operation", "rekey").counter().count()).isEqualTo(1);
    }

    @Test
    void tokenGuessingIsCountedAsSuspiciousAndThrottled() {
        for (int i = 0; i < 4; i++) {
            manager.lookup(SessionKeys.wellFormedUnknownToken(), CLIENT);
        }
        assertThat(registry.get("platform.sessions.suspicious").tag("kind", "token_guessing").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(timerCount("throttled")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void activeSessionsAreSampledPerPlatformTypeWithoutIds() {
        CreatedSession a = manager.create("alice", CLIENT);
        manager.create("alice", CLIENT);
        manager.switchPlatform(a.context().key(), 2);
        manager.create("bob", CLIENT);

        assertThat(meters.sampleActiveSessions()).isTrue();

        assertThat(registry.get("platform.sessions.active").tag("platform.type", "mastodon").gauge().value()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.active").tag("platform.type", "pixelfed").gauge().value()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.active").tag("platform.type", "none").gauge().value()).isEqualTo(1);

        flaky.failing = true;
        assertThat(meters.sampleActiveSessions()).isFalse();
        assertThat(registry.get("platform.sessions.active").tag("platform.type", "mastodon").gauge().value()).isEqualTo(1);
    }

    @Test
    void noMeterCarriesAUserSessionKeyOrPlatformId() {
        CreatedSession s = manager.create("alice", CLIENT);
        manager.switchPlatform(s.context().key(), 2);
        manager.lookup(s.token().value(), CLIENT);
        meters.sampleActiveSessions();
        manager.invalidateAll("alice", InvalidationReason.LOGOUT_ALL);

        Set<String> tagKeys = new HashSet<>();
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith("platform.sessions.");
            for (Tag tag : meter.getId().getTags()) {
                tagKeys.add(tag.getKey());
                assertThat(tag.getValue()).doesNotContain("alice", s.context().sessionId(), s.context().key().prefix(), "2");
            }
        }
        assertThat(tagKeys).isSubsetOf(Set.of("operation", "outcome", "reason", "kind", "platform.type"));
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    private long timerCount(String outcome) {
        return registry.get("platform.sessions.lookups").tag("outcome", outcome).timer().count();
    }

    /** Well-formed tokens that match no session. */
    static final class SessionKeys {
        private SessionKeys() {
        }

        static String wellFormedUnknownToken() {
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(TestRecords.randomKey().bytes());
        }
    }

    /** A store that can be made to fail, around a real one. */
    static final class FlakyStore extends ForwardingStore {
        volatile boolean failing;

        FlakyStore(InMemorySessionStore delegate) {
            super(delegate);
        }

        @Override
        protected void before() {
            if (failing) {
                throw SessionStoreException.transientFailure("store down (test)", null);
            }
        }
    }
}
