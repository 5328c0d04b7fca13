package io.platformsessions;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The engine's collaborators wired as the engine wires them, over a {@link TestStore}, without the engine. */
final class EngineCollaboratorsTestSupport {
    static final Instant T0 = TestFixture.START;
    final MutableClock clock = new MutableClock(T0);
    final SessionConfig config;
    final InMemorySessionStore memory = new InMemorySessionStore();
    final TestStore store = new TestStore(memory);
    final EngineCounters counters = new EngineCounters();
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    final StoreCalls calls;
    final SessionCache cache;
    final Termination termination;
    final SessionVersions versions;
    final Activity activity;
    final SessionLimit limit;

    EngineCollaboratorsTestSupport(SessionConfig.Builder config) {
        this.config = config.clock(clock).retryPolicy(RetryPolicy.none()).build();
        this.calls = new StoreCalls(store, this.config.retryPolicy(), counters);
        this.cache = new SessionCache(this.config, null, counters);
        this.termination = new Termination(calls, cache, counters, new Listeners(List.of(events::add)));
        this.versions = new SessionVersions(clock, calls, cache, termination);
        this.activity = new Activity(this.config, calls, cache);
        this.limit = new SessionLimit(this.config, calls, cache, termination);
    }

    /** A session of {@code user} started at {@code start}, not stored. */
    SessionRecord session(String user, Instant start) {
        return SessionRecord.builder().key(SessionToken.generate(new SecureRandom()).key()).sessionId("sid-" + user)
                .owner(new SessionOwner(user, user))
                .times(SessionTimes.startingAt(start, config.idleTimeout(), config.absoluteTimeout()))
                .csrfSecret(CsrfSecrets.newSecret(new SecureRandom())).build();
    }

    /** A stored and cached session. */
    SessionRecord stored(String user, Instant start) {
        SessionRecord r = session(user, start);
        memory.insert(r);
        cache.created(r, cache.ticket(), start);
        return r;
    }

    SessionMetrics metrics() {
        return counters.snapshot(java.util.Map.of(), cache.state());
    }

    static Duration minutes(long n) {
        return Duration.ofMinutes(n);
    }
}
