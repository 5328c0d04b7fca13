package io.platformsessions.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.platformsessions.memory.InProcessSessionChangeBus;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.tck.TestRecords;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredSessionChangeBusTest {
    @Test
    void countsNoticesAndOpenSubscriptions() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredSessionChangeBus bus = new MeteredSessionChangeBus(new InProcessSessionChangeBus(), registry);
        List<SessionChangeBus.Change> heard = new ArrayList<>();

        SessionChangeBus.Subscription a = bus.subscribe(heard::add);
        SessionChangeBus.Subscription b = bus.subscribe(c -> { });
        assertThat(registry.get("platform.sessions.bus.subscriptions").gauge().value()).isEqualTo(2);

        SessionChangeBus.Change change = new SessionChangeBus.Change("node-1", TestRecords.randomKey(), 3);
        bus.publish(change);
        assertThat(heard).containsExactly(change);
        assertThat(registry.get("platform.sessions.bus.published").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.bus.received").counter().count()).isEqualTo(2);

        a.close();
        a.close();
        b.close();
        assertThat(bus.openSubscriptions()).isZero();
        bus.publish(change);
        assertThat(heard).hasSize(1);
    }
}
