package io.platformsessions.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.SessionKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One copy path: the builder, toBuilder and the with... shorthands. */
class SessionRecordTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final SessionKey KEY = SessionKey.ofBytes(new byte[32]);

    private static SessionRecord record() {
        return SessionRecord.builder().key(KEY).sessionId("sid").owner(new SessionOwner("alice", "Alice"))
                .times(new SessionTimes(T0, T0, T0.plusSeconds(1800), T0.plusSeconds(43_200))).csrfSecret("c2VjcmV0")
                .build();
    }

    @Test
    void aBuiltRecordHasTheDefaultsOfANewSession() {
        SessionRecord r = record();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.platform()).isNull();
        assertThat(r.elevation()).isNull();
        assertThat(r.client()).isEqualTo(ClientBinding.unknown());
        assertThat(r.attributes()).isEqualTo(SessionAttributes.empty());
        assertThat(r.userId()).isEqualTo("alice");
        assertThat(r.username()).isEqualTo("Alice");
        assertThat(r.createdAt()).isEqualTo(T0);
        assertThat(r.lastActivityAt()).isEqualTo(T0);
        assertThat(r.expiresAt()).isEqualTo(T0.plusSeconds(1800));
        assertThat(r.absoluteExpiresAt()).isEqualTo(T0.plusSeconds(43_200));
        assertThat(r.expiredAt(T0.plusSeconds(1800))).isTrue();
    }

    @Test
    void toBuilderCopiesEveryComponentAndChangesOnlyWhatIsSet() {
        SessionRecord r = record();
        assertThat(r.toBuilder().build()).isEqualTo(r);
        SessionRecord v2 = r.withVersion(2);
        assertThat(v2).isEqualTo(new SessionRecord(KEY, "sid", r.owner(), null, r.times(), 2, "c2VjcmV0",
                ClientBinding.unknown(), null, SessionAttributes.empty()));
        assertThat(r.version()).as("the original is unchanged").isEqualTo(1);
    }

    @Test
    void requiredComponentsAreRefusedWhenMissing() {
        assertThatThrownBy(() -> SessionRecord.builder().build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SessionRecord.builder().key(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("key");
        assertThatThrownBy(() -> record().toBuilder().times(null)).isInstanceOf(NullPointerException.class);
    }
}
