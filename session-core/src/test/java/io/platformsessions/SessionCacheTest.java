package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.memory.InProcessSessionChangeBus;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
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

    @Test
    void withoutABusACopyIsServedOnlyWithinTheStalenessBoundOfItsConfirmation() {
        SessionCache c = cache(b -> b.maxCacheStaleness(Duration.ofSeconds(2)));
        SessionRecord r = record(1);
        c.loaded(r, c.ticket(), T0);
        assertThat(c.get(r.key(), T0.plusMillis(2000))).isEqualTo(r);
        assertThat(c.get(r.key(), T0.plusMillis(2001))).as("re-read the store").isNull();
        assertThat(c.holds(r.key())).as("still known, for the limiter").isTrue();
        SessionRecord touched = r.withTimes(r.times().touchedAt(T0.plusSeconds(5), Duration.ofMinutes(30)));
        c.touched(touched);
        assertThat(c.get(r.key(), T0.plusMillis(2001))).as("a touch confirms existence, not content").isNull();
        c.loaded(r, c.ticket(), T0.plusSeconds(3));
        assertThat(c.get(r.key(), T0.plusSeconds(5))).as("confirmed again, later activity kept").isEqualTo(touched);
        assertThat(c.state()).isEqualTo(SessionMetrics.CacheState.BOUNDED_STALENESS);
        assertThat(cache(b -> b.singleNode(true)).state()).isEqualTo(SessionMetrics.CacheState.SINGLE_NODE);
        assertThat(cache(b -> b.cacheEnabled(false)).state()).isEqualTo(SessionMetrics.CacheState.OFF);
    }

    @Test
    void announcementsFromOtherEnginesDropOlderCopiesAndNeverBringOneBack() {
        InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
        SessionCache c = new SessionCache(SessionConfig.builder().build(), bus, counters);
        SessionChangeBus.Connection other = bus.connect(new SessionChangeBus.Listener() {
            @Override
            public void onChange(SessionChangeBus.Change change) {
            }

            @Override
            public void onReset(String why) {
            }
        });
        SessionRecord v2 = record(2);
        long inFlight = c.ticket();
        c.loaded(v2, c.ticket(), T0);
        other.publish(new SessionChangeBus.Change(v2.key(), 2));
        assertThat(c.get(v2.key(), T0.plusSeconds(60))).as("not newer: kept, and no bound with a bus").isEqualTo(v2);
        other.publish(new SessionChangeBus.Change(v2.key(), 3));
        assertThat(c.get(v2.key(), T0)).isNull();
        c.loaded(v2, inFlight, T0);
        assertThat(c.get(v2.key(), T0)).as("below the announced version").isNull();
        other.publish(new SessionChangeBus.Change(v2.key(), SessionChangeBus.DELETED));
        other.publish(new SessionChangeBus.Change(v2.key(), 5)); // late
        c.loaded(v2.withVersion(5), c.ticket(), T0);
        assertThat(c.get(v2.key(), T0)).as("ended stays ended").isNull();
        assertThat(c.state()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
    }

    @Test
    void whileTheBusIsDownNothingIsServedOrInstalledAndComingBackDropsEverything() {
        InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
        SessionCache c = new SessionCache(SessionConfig.builder().build(), bus, counters);
        SessionRecord r = record(1);
        c.loaded(r, c.ticket(), T0);
        bus.goDown();
        assertThat(c.get(r.key(), T0)).isNull();
        assertThat(c.state()).isEqualTo(SessionMetrics.CacheState.BUS_DOWN);
        SessionRecord other = record(1);
        long ticket = c.ticket();
        c.loaded(other, ticket, T0);
        bus.comeUp();
        assertThat(c.get(r.key(), T0)).as("dropped on reconnect").isNull();
        assertThat(c.get(other.key(), T0)).as("nothing installed while down").isNull();
        c.loaded(other, ticket, T0);
        assertThat(c.get(other.key(), T0)).as("a read from before the reset").isNull();
        SessionMetrics m = counters.snapshot(java.util.Map.of(), c.state());
        assertThat(m.busResets()).isEqualTo(1);
        assertThat(m.cacheBypasses()).isEqualTo(1);
        c.close();
        assertThat(bus.connectionCount()).isZero();
    }

    @Test
    void theCacheIsBoundedByWhatItsSessionsWeigh() {
        long bound = 1024 * 1024;
        SessionCache c = cache(b -> b.cacheMaximumBytes(bound));
        String value = "\"" + "x".repeat(60_000) + "\"";
        for (int i = 0; i < 100; i++) {
            SessionRecord r = record(1);
            r = r.withAttributes(r.attributes().with("big", new StoredAttribute(value, null, null)));
            c.loaded(r, c.ticket(), T0);
        }
        assertThat(c.weightedSize()).as("100 sessions of ~60 KB would be 12 MB").isLessThanOrEqualTo(bound)
                .isGreaterThan(bound / 2);
        SessionCache small = cache(b -> b);
        SessionRecord r = record(1);
        small.loaded(r, small.ticket(), T0);
        assertThat(small.weightedSize()).isEqualTo(SessionCache.ENTRY_OVERHEAD_BYTES + 2L * "{}".length());
    }
}
