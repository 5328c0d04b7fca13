package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import com.fasterxml.jackson.jr.ob.JSON;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strict JSON, sealing, the size limit and the secret-name policy, without an engine. */
class AttributeCodecTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private final AttributeCodec plain = new AttributeCodec(SessionConfig.builder().maxAttributesBytes(1024).build());
    private final AttributeCodec sealing = new AttributeCodec(SessionConfig.builder()
            .encryptionKey("k1", TestFixture.key(9)).secretAttributes("token").build());

    private static SessionRecord session() {
        return SessionRecord.builder().key(SessionToken.generate(new SecureRandom()).key()).sessionId("sid")
                .owner(new SessionOwner("alice", "Alice"))
                .times(SessionTimes.startingAt(T0, Duration.ofMinutes(30), Duration.ofHours(12)))
                .csrfSecret(CsrfSecrets.newSecret(new SecureRandom())).build();
    }

    private static SessionRecord set(AttributeCodec codec, SessionRecord r, String name, Object value,
                                     AttributeOptions options) {
        return r.withAttributes(codec.setter(name, value, options, T0).apply(r));
    }

    @Test
    void valuesRoundTripAndAreReadStrictly() {
        SessionRecord r = set(plain, session(), "n", 42, AttributeOptions.plain());
        r = set(plain, r, "m", Map.of("a", 1), AttributeOptions.plain());
        assertThat(plain.read(r, "n", Integer.class, T0)).contains(42);
        assertThat(plain.read(r, "n", Long.class, T0)).contains(42L);
        assertThat(plain.read(r, "n", Double.class, T0)).contains(42.0);
        assertThat(plain.read(r, "m", Map.class, T0)).contains(Map.of("a", 1));
        assertThat(plain.read(r, "absent", String.class, T0)).isEmpty();
        SessionRecord finalR = r;
        assertThatThrownBy(() -> plain.read(finalR, "m", Integer.class, T0)).as("an object is never 0")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m'");
        assertThatThrownBy(() -> AttributeCodec.decode("1.5", Integer.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttributeCodec.decode("4294967296", Integer.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attributesExpireWithTheirTtl() throws Exception {
        SessionRecord r = set(plain, session(), "otp", "x", AttributeOptions.expiringAfter(Duration.ofMinutes(5)));
        assertThat(plain.read(r, "otp", String.class, T0.plusSeconds(299))).contains("x");
        assertThat(plain.read(r, "otp", String.class, T0.plusSeconds(300))).isEmpty();
        assertThat(AttributeCodec.without(r, "otp", T0).asMap()).isEmpty();
        assertThat(AttributeCodec.decode("[1]", List.class)).isEqualTo(List.of(1));
    }

    @Test
    void theEncodedSizeIsCheckedAgainstTheConfiguredLimit() {
        SessionRecord r = session();
        assertThatThrownBy(() -> set(plain, r, "big", "x".repeat(2000), AttributeOptions.plain()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit of 1024");
        Map<String, Object> loop = new java.util.HashMap<>();
        loop.put("self", loop);
        assertThatThrownBy(() -> plain.setter("bad", loop, AttributeOptions.plain(), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be written as JSON");
    }

    @Test
    void secretValuesAreSealedAndDeclaredNamesNeverAcceptPlainValues() {
        SessionRecord r = set(sealing, session(), "token", "s3cret", AttributeOptions.plain());
        StoredAttribute stored = r.attributes().get("token");
        assertThat(stored.sealed()).isTrue();
        assertThat(stored.value()).doesNotContain("s3cret");
        assertThat(sealing.read(r, "token", String.class, T0)).contains("s3cret");

        SessionRecord planted = r.withAttributes(SessionAttributes.empty().with("token",
                new StoredAttribute("\"planted\"", null, null)));
        assertThatThrownBy(() -> sealing.read(planted, "token", String.class, T0))
                .isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> plain.setter("x", "v", AttributeOptions.secretValue(), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no encryption key");
    }

    @Test
    void namesAreOneTo128Characters() {
        AttributeCodec.requireName("a");
        AttributeCodec.requireName("n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH));
        for (String bad : new String[] {null, "", "n".repeat(Limits.MAX_ATTRIBUTE_NAME_LENGTH + 1)}) {
            assertThatThrownBy(() -> AttributeCodec.requireName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The parser-free path for common scalars gives exactly what jackson-jr gives, or stays out of the way. */
    @Test
    void simpleScalarsDecodeExactlyAsTheParserDoes() throws Exception {
        List<String> simple = List.of("\"dark\"", "\"\"", "\"a\u007fb\u00e9\"", "true", "false", "0", "-0", "7", "-5",
                "123456789", "-999999999");
        for (String json : simple) {
            Object fast = AttributeCodec.simpleScalar(json);
            assertThat(fast).as(json).isNotSameAs(AttributeCodec.NOT_SIMPLE).isEqualTo(JSON.std.anyFrom(json));
            if (fast != null) {
                assertThat(fast.getClass()).as(json).isEqualTo(JSON.std.anyFrom(json).getClass());
            }
        }
        assertThat(AttributeCodec.simpleScalar("null")).isNull();
        List<String> leftToParser = List.of("\"a\\\"b\"", "\"a\\nb\"", "\"a\tb\"", "\"", "\"abc", "01", "-", "--1", "1.5",
                "1e3", "1234567890", "2147483648", " 5", "5 ", "tru", "nul", "[1]", "{}", "", "+1", "\"a\"b\"");
        for (String json : leftToParser) {
            assertThat(AttributeCodec.simpleScalar(json)).as(json).isSameAs(AttributeCodec.NOT_SIMPLE);
        }
        // random texts over the characters that matter: whatever the fast path accepts, the parser reads the same
        Random random = new Random(16);
        String alphabet = "\"\\-0123456789tfnrulase.\u0001 \u00e9";
        for (int k = 0; k < 200_000; k++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(8);
            for (int i = 0; i < len; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String json = random.nextBoolean() ? "\"" + b + "\"" : b.toString();
            Object fast = AttributeCodec.simpleScalar(json);
            if (fast != AttributeCodec.NOT_SIMPLE) {
                Object parsed = JSON.std.anyFrom(json);
                assertThat(fast).as(json).isEqualTo(parsed);
                if (fast != null) {
                    assertThat(fast.getClass()).as(json).isEqualTo(parsed.getClass());
                }
            }
        }
    }
}
