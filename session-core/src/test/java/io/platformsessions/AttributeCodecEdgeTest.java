package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact edge of the attribute size limit, and how a stored JSON null reads back. */
class AttributeCodecEdgeTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final int LIMIT = 1024;
    private final AttributeCodec codec = new AttributeCodec(SessionConfig.builder().maxAttributesBytes(LIMIT).build());

    private static SessionRecord session() {
        return SessionRecord.builder().key(SessionToken.generate(new SecureRandom()).key()).sessionId("sid")
                .owner(new SessionOwner("alice", "Alice"))
                .times(SessionTimes.startingAt(T0, Duration.ofMinutes(30), Duration.ofHours(12)))
                .csrfSecret(CsrfSecrets.newSecret(new SecureRandom())).build();
    }

    private static int encodedSize(int chars) {
        StoredAttribute a = new StoredAttribute("\"" + "x".repeat(chars) + "\"", null, null);
        return SessionAttributes.of(Map.of("big", a)).encode().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void attributesOfExactlyTheLimitAreAcceptedAndOneByteMoreIsNot() {
        int fits = LIMIT - encodedSize(0);
        assertThat(encodedSize(fits)).isEqualTo(LIMIT);
        SessionRecord r = session();
        SessionAttributes at = codec.setter("big", "x".repeat(fits), AttributeOptions.plain(), T0).apply(r);
        assertThat(at.encode().getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
        assertThatThrownBy(() -> codec.setter("big", "x".repeat(fits + 1), AttributeOptions.plain(), T0).apply(r))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session attributes would be " + (LIMIT + 1) + " bytes, over the limit of " + LIMIT
                        + " (SessionConfig.maxAttributesBytes)");
    }

    @Test
    void aStoredJsonNullReadsAsAbsentForEveryType() throws Exception {
        SessionRecord r = session().withAttributes(SessionAttributes.of(Map.of("n", new StoredAttribute("null", null, null))));
        assertThat(codec.read(r, "n", String.class, T0)).isEmpty();
        assertThat(codec.read(r, "n", Integer.class, T0)).isEmpty();
        assertThat(AttributeCodec.decode("null", String.class)).isNull();
        assertThat(AttributeCodec.decode("\"s\"", Object.class)).isEqualTo("s");
        assertThatThrownBy(() -> AttributeCodec.decode("true", String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stored value is a Boolean");
    }
}
