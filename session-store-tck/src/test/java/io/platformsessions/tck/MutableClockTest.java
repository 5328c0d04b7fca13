package io.platformsessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    @Test
    void movesOnlyWhenTold() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        assertThat(clock.instant()).isEqualTo(start);
        assertThat(clock.instant()).isEqualTo(start);
        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(300));
        assertThat(clock.millis()).isEqualTo(start.plusSeconds(300).toEpochMilli());
        clock.set(start);
        assertThat(clock.instant()).isEqualTo(start);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.withZone(ZoneId.of("Europe/Berlin"))).isSameAs(clock);
        assertThatThrownBy(() -> new MutableClock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
    }
}
