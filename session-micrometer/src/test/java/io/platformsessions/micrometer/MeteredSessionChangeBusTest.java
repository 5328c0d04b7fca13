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
    private static SessionChangeBus.Listener recording(List<SessionChangeBus.Change> heard, List<String> resets) {
        return new SessionChangeBus.Listener() {
            @Override
            public void onChange(SessionChangeBus.Change change) {
                heard.add(change);
            }

            @Override
            public void onReset(String why) {
                resets.add(why);
            }
        };
    }

    @Test
    void countsNoticesResetsAndConnections() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InProcessSessionChangeBus inner = new InProcessSessionChangeBus();
        MeteredSessionChangeBus bus = new MeteredSessionChangeBus(inner, registry);
        List<SessionChangeBus.Change> heardByB = new ArrayList<>();
        List<String> resetsOfB = new ArrayList<>();

        SessionChangeBus.Connection a = bus.connect(recording(new ArrayList<>(), new ArrayList<>()));
        SessionChangeBus.Connection b = bus.connect(recording(heardByB, resetsOfB));
        assertThat(registry.get("platform.sessions.bus.connections").gauge().value()).isEqualTo(2);
        assertThat(registry.get("platform.sessions.bus.live").gauge().value()).isEqualTo(2);

        SessionChangeBus.Change change = new SessionChangeBus.Change(TestRecords.randomKey(), 3);
        a.publish(change);
        assertThat(heardByB).containsExactly(change); // the publisher does not hear its own notice
        assertThat(registry.get("platform.sessions.bus.published").counter().count()).isEqualTo(1);
        assertThat(registry.get("platform.sessions.bus.received").counter().count()).isEqualTo(1);

        inner.goDown();
        assertThat(registry.get("platform.sessions.bus.live").gauge().value()).isZero();
        inner.comeUp();
        assertThat(resetsOfB).isNotEmpty();
        assertThat(registry.get("platform.sessions.bus.resets").counter().count()).isEqualTo(2); // one per connection
        assertThat(bus.liveConnections()).isEqualTo(2);

        a.close();
        a.close();
        b.close();
        assertThat(bus.openConnections()).isZero();
        assertThat(registry.get("platform.sessions.bus.connections").gauge().value()).isZero();
    }
}
