package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The cache-coherence rules of {@link SessionCache}, without an engine. */
class SessionCacheTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private final EngineCounters counters = new EngineCounters();

    private SessionCache cache(UnaryOperator<SessionConfig.Builder> config) {
        return new SessionCache(config.apply(SessionConfig.builder()).build(), null, counters);
    }

    private static SessionRecord record(long version) {
        return SessionRecord.builder().key(SessionToken.generate(new SecureRandom()).key()).sessionId("sid")
                .owner(new SessionOwner("alice", "Alice"))
                .times(SessionTimes.startingAt(T0, Duration.ofMinutes(30), Duration.ofHours(12)))
                .csrfSecret(CsrfSecrets.newSecret(new SecureRandom())).version(version).build();
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() {
        SessionCache c = cache(b -> b);
        SessionRecord v1 = record(1);
        SessionRecord v2 = v1.withVersion(2);
        long ticket = c.ticket();
        c.written(v2, c.ticket(), T0);
        c.loaded(v1, ticket, T0);
        assertThat(c.get(v1.key(), T0)).isEqualTo(v2);
    }

    @Test
    void aConflictKeepsANewerCopyAndRefusesOlderOnesEvenAfterTheEntryIsGone() {
        SessionCache c = cache(b -> b);
        SessionRecord v1 = record(1);
        SessionRecord v2 = v1.withVersion(2);
        long staleRead = c.ticket();
        c.written(v2, c.ticket(), T0);
        c.conflict(v1.key(), 1);
        assertThat(c.get(v1.key(), T0)).as("another writer's acknowledged write stays").isEqualTo(v2);

        c.conflict(v1.key(), 2); // the store is past version 2 as well: drop it
        assertThat(c.get(v1.key(), T0)).isNull();
        c.loaded(v1, staleRead, T0);
        c.loaded(v2, c.ticket(), T0);
        assertThat(c.get(v1.key(), T0)).as("below the floor").isNull();
        SessionRecord v3 = v1.withVersion(3);
        c.loaded(v3, c.ticket(), T0);
        assertThat(c.get(v1.key(), T0)).isEqualTo(v3);
    }

    @Test
    void anEndedKeyIsNeverCachedAgain() {
        SessionCache c = cache(b -> b);
        SessionRecord r = record(1);
        long inFlight = c.ticket();
        c.created(r, c.ticket(), T0);
        c.ended(r.key());
        assertThat(c.get(r.key(), T0)).isNull();
        c.loaded(r, inFlight, T0);
        c.written(r.withVersion(7), c.ticket(), T0);
        assertThat(c.get(r.key(), T0)).isNull();
    }

    @Test
    void rotationRetiresTheOldKeyAndCachesTheNewOne() {
        SessionCache c = cache(b -> b);
        SessionRecord old = record(1);
        c.loaded(old, c.ticket(), T0);
        SessionRecord next = record(2);
        c.rekeyed(old.key(), next, c.ticket(), T0);
        assertThat(c.get(old.key(), T0)).isNull();
        assertThat(c.get(next.key(), T0)).isEqualTo(next);
        c.loaded(old, c.ticket(), T0);
        assertThat(c.get(old.key(), T0)).as("the retired key stays retired").isNull();
    }

    @Test
    void aReadThatStartedBeforeADropOfEverythingCannotInstallAfterIt() {
        SessionCache c = cache(b -> b);
        SessionRecord r = record(1);
        long before = c.ticket();
        c.close();
        c.loaded(r, before, T0);
        assertThat(c.get(r.key(), T0)).isNull();
        c.loaded(r, c.ticket(), T0);
        assertThat(c.get(r.key(), T0)).isEqualTo(r);
    }

    @Test
    void absenceOfAnUnknownKeyCostsNoMemoryButDropsAHeldCopy() {
        SessionCache c = cache(b -> b);
        SessionRecord unknown = record(1);
        c.absent(unknown.key());
        c.loaded(unknown, c.ticket(), T0);
        assertThat(c.get(unknown.key(), T0)).as("not remembered, so not refused").isEqualTo(unknown);
        c.absent(unknown.key());
        assertThat(c.get(unknown.key(), T0)).isNull();
        c.loaded(unknown, c.ticket(), T0);
        assertThat(c.get(unknown.key(), T0)).as("a held key that vanished stays gone").isNull();
    }

    @Test
    void aTouchRefreshesOnlyTheSameVersionWithLaterActivity() {
        SessionCache c = cache(b -> b);
        SessionRecord r = record(1);
        c.touched(r);
        assertThat(c.get(r.key(), T0)).as("nothing to refresh").isNull();
        c.loaded(r, c.ticket(), T0);
        SessionRecord later = r.withTimes(r.times().touchedAt(T0.plusSeconds(90), Duration.ofMinutes(30)));
        c.touched(later);
        assertThat(c.get(r.key(), T0)).isEqualTo(later);
        c.touched(r);
        assertThat(c.get(r.key(), T0)).as("activity never moves back").isEqualTo(later);
        c.touched(later.withVersion(2).withTimes(later.times().touchedAt(T0.plusSeconds(200), Duration.ofMinutes(30))));
        assertThat(c.get(r.key(), T0)).as("another version is not a touch").isEqualTo(later);
    }

    @Test
    void withTheCacheOffNothingIsServed() {
        SessionCache c = cache(b -> b.cacheEnabled(false));
        SessionRecord r = record(1);
        c.loaded(r, c.ticket(), T0);
        c.written(r, c.ticket(), T0);
        c.ended(r.key());
        assertThat(c.get(r.key(), T0)).isNull();
    }
}
