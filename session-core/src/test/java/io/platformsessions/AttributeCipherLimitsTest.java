package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The exact limits of opening a sealed attribute: which refusal a value gets at each edge, and that
 * the key id echoed in a message is only ever a short, safe one.
 */
@Tag("security")
class AttributeCipherLimitsTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x5C);
    }

    private final AttributeCipher cipher = new AttributeCipher(AttributeKeyRing.of(Map.of("A", KEY), "A"),
            new SecureRandom());

    private static String b64(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[bytes]);
    }

    @Test
    void nonceAndTagAreTheShortestValueThatIsTriedAtAll() {
        // 12 nonce bytes + 16 tag bytes: long enough to be checked (and fail authentication); one byte less is too short
        assertThatThrownBy(() -> cipher.open(b64(28), "A", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> cipher.open(b64(27), "A", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> cipher.open(AttributeCipher.V2_PREFIX + b64(27), "A", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("too short");
    }

    @Test
    void sealedTextIsReadUpToFourMebicharacters() {
        String atLimit = "A".repeat(4 * 1024 * 1024);
        assertThatThrownBy(() -> cipher.open(atLimit, "A", "sid", "n", null)).as("at the limit: decoded and checked")
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> cipher.open(atLimit + "AAAA", "A", "sid", "n", null)).as("over it: not even decoded")
                .isInstanceOf(SealedAttributeException.class).hasMessageEndingWith("is malformed");
    }

    @Test
    void anUnknownKeyIdIsNamedOnlyWhenItIsShortAndSafe() {
        String sealed = cipher.seal("\"v\"", "sid", "n", null);
        String id32 = "k".repeat(32);
        assertThatThrownBy(() -> cipher.open(sealed, id32, "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("key '" + id32 + "'");
        assertThatThrownBy(() -> cipher.open(sealed, id32 + "k", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("key '(invalid id)'")
                .hasMessageNotContaining(id32);
        assertThatThrownBy(() -> cipher.open(sealed, "bad id!", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("key '(invalid id)'");
        assertThatThrownBy(() -> cipher.open(sealed, null, "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("key '(none)'");
    }

    @Test
    void aRingWithoutAnActiveKeySaysSoAndNeverPrintsKeys() {
        AttributeKeyRing openOnly = AttributeKeyRing.of(Map.of("old", KEY), null);
        assertThat(openOnly.toString()).isEqualTo("AttributeKeyRing[keyIds=[old], active=none]");
        assertThat(AttributeKeyRing.of(Map.of("A", KEY), "A").toString())
                .isEqualTo("AttributeKeyRing[keyIds=[A], active=A]");
    }
}
