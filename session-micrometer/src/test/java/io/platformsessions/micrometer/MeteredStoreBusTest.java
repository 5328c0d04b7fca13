package io.platformsessions.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.platformsessions.SessionManager;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InProcessSessionChangeBus;
import io.platformsessions.spi.SessionChangeBus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A store that brings its own bus (the JDBC and Redis stores can) has that bus metered too. */
class MeteredStoreBusTest {
    @Test
    void theStoresOwnBusIsMeteredAndTheEngineUsesTheMeteredOne() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InProcessSessionChangeBus own = new InProcessSessionChangeBus();
        MeteredSessionStore store = new MeteredSessionStore(new ForwardingStore(new InMemorySessionStore()) {
            @Override
            public Optional<SessionChangeBus> changeBus() {
                return Optional.of(own);
            }
        }, registry);

        assertThat(store.changeBus()).containsSame(store.meteredChangeBus().orElseThrow());
        try (SessionManager manager = SessionManager.builder(store).build()) {
            assertThat(registry.get("platform.sessions.bus.connections").gauge().value()).isEqualTo(1);
            assertThat(registry.get("platform.sessions.bus.live").gauge().value()).isEqualTo(1);
            own.goDown();
            assertThat(registry.get("platform.sessions.bus.live").gauge().value()).isZero();
        }
        assertThat(registry.get("platform.sessions.bus.connections").gauge().value()).isZero();
    }

    @Test
    void aStoreWithoutABusGetsNoBusMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredSessionStore store = new MeteredSessionStore(new InMemorySessionStore(), registry);
        assertThat(store.changeBus()).isEmpty();
        assertThat(store.meteredChangeBus()).isEmpty();
        assertThat(registry.find("platform.sessions.bus.connections").gauge()).isNull();
    }
}
