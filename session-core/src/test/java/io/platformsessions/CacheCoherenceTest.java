package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InProcessSessionChangeBus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheCoherenceTest {
    private final TestFixture f = new TestFixture();

    @Test
    void everyWriteThroughTheManagerUpdatesTheCachedCopy() {
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.manager.switchPlatform(key, 2);
        f.manager.setAttribute(key, "a", 1);
        f.store.reset();
        PlatformContext c = f.manager.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow();
        assertThat(f.store.totalCalls()).as("served from cache").isZero();
        assertThat(c.platform().orElseThrow().id()).isEqualTo(2);
        assertThat(f.manager.getAttribute(c, "a", Integer.class)).contains(1);
        assertThat(c.version()).isEqualTo(3);

        f.manager.invalidate(key, InvalidationReason.LOGOUT);
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("invalidation evicts").isEmpty();
    }

    @Test
    void rotationEvictsTheOldKey() {
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        f.manager.resolve(s.token().value(), ClientInfo.unknown());
        f.manager.rotate(s.context().key());
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).isEmpty();
    }

    @Test
    void enginesSharingAStoreStayCoherentThroughTheChangeBus() {
        InMemorySessionStore shared = new InMemorySessionStore();
        InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
        SessionManager a = engine(shared, bus);
        SessionManager b = engine(shared, bus);

        CreatedSession s = a.create("alice", ClientInfo.unknown());
        assertThat(b.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow().platform().orElseThrow().id())
                .isEqualTo(1); // now cached in b
        a.switchPlatform(s.context().key(), 2);
        assertThat(b.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow().platform().orElseThrow().id())
                .as("b dropped its stale copy").isEqualTo(2);
        a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
        assertThat(b.resolve(s.token().value(), ClientInfo.unknown())).as("b sees the logout").isEmpty();
        a.close();
        b.close();
    }

    @Test
    void withoutABusACachedCopyCanBeStaleWithinTheStalenessBound() {
        InMemorySessionStore shared = new InMemorySessionStore();
        SessionManager a = engine(shared, null);
        SessionManager b = engine(shared, null);
        CreatedSession s = a.create("alice", ClientInfo.unknown());
        b.resolve(s.token().value(), ClientInfo.unknown());
        a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
        assertThat(b.resolve(s.token().value(), ClientInfo.unknown())).as("documented: at most maxCacheStaleness (MultiNodeCoherenceTest)").isPresent();
    }

    @Test
    void expiredLookingCachedCopyIsRecheckedAgainstTheStore() {
        InMemorySessionStore shared = new InMemorySessionStore();
        MutableClock clock = f.clock;
        SessionManager a = engine(shared, null, clock);
        SessionManager b = engine(shared, null, clock);
        CreatedSession s = a.create("alice", ClientInfo.unknown());
        b.resolve(s.token().value(), ClientInfo.unknown()); // b caches lastActivity = T0
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(a.resolve(s.token().value(), ClientInfo.unknown())).isPresent(); // a touches the store
        }
        assertThat(b.resolve(s.token().value(), ClientInfo.unknown())).as("b must not expire a session a kept alive")
                .isPresent();
    }

    private SessionManager engine(InMemorySessionStore store, InProcessSessionChangeBus bus) {
        return engine(store, bus, f.clock);
    }

    private SessionManager engine(InMemorySessionStore store, InProcessSessionChangeBus bus, MutableClock clock) {
        SessionManager.Builder b = SessionManager.builder(store)
                .config(SessionConfig.builder().clock(clock).build())
                .userDirectory(f.users).platformDirectory(f.platforms);
        if (bus != null) {
            b.changeBus(bus);
        }
        return b.build();
    }
}
