package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing of secret attributes, on its own. */
class AttributeCipherTest {
    private static final byte[] KEY = key(0x0A);

    @Test
    void cipherRejectsGarbageWithTheSpecificException() {
        AttributeCipher cipher = new AttributeCipher(AttributeKeyRing.of(Map.of("A", KEY), "A"), new SecureRandom());
        String sealed = cipher.seal("\"v\"", "sid", "n");
        assertThat(cipher.open(sealed, "A", "sid", "n")).isEqualTo("\"v\"");
        assertThat(cipher.seal("\"v\"", "sid", "n")).as("fresh nonce").isNotEqualTo(sealed);
        for (String garbage : new String[] {"", "AAAA", "not base64!", "é".repeat(40), "A".repeat(10_000_000)}) {
            assertThatThrownBy(() -> cipher.open(garbage, "A", "sid", "n")).isInstanceOf(SealedAttributeException.class);
        }
        assertThatThrownBy(() -> cipher.open(null, "A", "sid", "n")).isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed, null, "sid", "n")).isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed, "Z\n<script>", "sid", "n"))
                .isInstanceOf(SealedAttributeException.class).hasMessageNotContaining("<script>");
        // ("sid","n") and ("si","dn") must not share associated data
        assertThatThrownBy(() -> cipher.open(sealed, "A", "si", "dn")).isInstanceOf(SealedAttributeException.class);
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }
}
