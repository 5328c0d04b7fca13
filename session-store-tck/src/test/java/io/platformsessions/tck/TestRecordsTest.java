package io.platformsessions.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestRecordsTest {
    @Test
    void fullRecordsHaveEveryOptionalPartAndMinimalOnesNone() {
        var full = TestRecords.fullRecord("alice", Instant.parse("2026-01-01T10:00:00.123456Z"));
        assertThat(full.platform()).isNotNull();
        assertThat(full.elevation()).isNotNull();
        assertThat(full.client().isUnknown()).isFalse();
        assertThat(full.attributes().asMap()).hasSize(3);
        assertThat(full.lastActivityAt()).as("millisecond precision").isEqualTo(Instant.parse("2026-01-01T10:00:00.123Z"));
        assertThat(full.version()).isEqualTo(1);

        var minimal = TestRecords.minimalRecord("bob", TestRecords.T0);
        assertThat(minimal.platform()).isNull();
        assertThat(minimal.elevation()).isNull();
        assertThat(minimal.client().isUnknown()).isTrue();
        assertThat(minimal.attributes().asMap()).isEmpty();
        assertThat(minimal.expiresAt()).isEqualTo(TestRecords.T0);
        assertThat(TestRecords.randomKey()).isNotEqualTo(TestRecords.randomKey());
    }
}
