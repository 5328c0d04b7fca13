package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing of secret attributes, on its own. */
@Tag("security")
class AttributeCipherTest {
    private static final byte[] KEY = key(0x0A);
    private static final Instant EXPIRY = Instant.parse("2026-03-01T09:05:00.123456Z");

    @Test
    void cipherRejectsGarbageWithTheSpecificException() {
        AttributeCipher cipher = new AttributeCipher(AttributeKeyRing.of(Map.of("A", KEY), "A"), new SecureRandom());
        String sealed = cipher.seal("\"v\"", "sid", "n", null);
        assertThat(cipher.open(sealed, "A", "sid", "n", null)).isEqualTo("\"v\"");
        assertThat(cipher.seal("\"v\"", "sid", "n", null)).as("fresh nonce").isNotEqualTo(sealed);
        for (String garbage : new String[] {"", "AAAA", "v2.", "v2.AAAA", "not base64!", "v2.not base64!", "é".repeat(40),
            "A".repeat(10_000_000)}) {
            assertThatThrownBy(() -> cipher.open(garbage, "A", "sid", "n", null)).isInstanceOf(SealedAttributeException.class);
        }
        assertThatThrownBy(() -> cipher.open(null, "A", "sid", "n", null)).isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed, null, "sid", "n", null)).isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed, "Z\n<script>", "sid", "n", null))
                .isInstanceOf(SealedAttributeException.class).hasMessageNotContaining("<script>");
        // ("sid","n") and ("si","dn") must not share associated data
        assertThatThrownBy(() -> cipher.open(sealed, "A", "si", "dn", null)).isInstanceOf(SealedAttributeException.class);
    }

    @Test
    void newValuesAreSealedInTheVersionedFormatThatBindsKeyIdAndExpiry() {
        // two ids for the same key bytes: only the binding of the key id can tell a relabelled value
        AttributeCipher cipher = new AttributeCipher(AttributeKeyRing.of(Map.of("A", KEY, "A2", KEY), "A"),
                new SecureRandom());
        String sealed = cipher.seal("\"v\"", "sid", "n", EXPIRY);
        assertThat(sealed).startsWith(AttributeCipher.V2_PREFIX);
        assertThat(cipher.open(sealed, "A", "sid", "n", EXPIRY)).isEqualTo("\"v\"");
        assertThat(cipher.open(sealed, "A", "sid", "n", Instant.ofEpochMilli(EXPIRY.toEpochMilli())))
                .as("the store keeps milliseconds").isEqualTo("\"v\"");

        assertThatThrownBy(() -> cipher.open(sealed, "A2", "sid", "n", EXPIRY)).as("key id relabelled")
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> cipher.open(sealed, "A", "sid", "n", EXPIRY.plusSeconds(3600))).as("expiry moved")
                .isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed, "A", "sid", "n", null)).as("expiry removed")
                .isInstanceOf(SealedAttributeException.class);
        String noExpiry = cipher.seal("\"v\"", "sid", "n", null);
        assertThatThrownBy(() -> cipher.open(noExpiry, "A", "sid", "n", EXPIRY)).as("expiry added")
                .isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(sealed.substring(AttributeCipher.V2_PREFIX.length()), "A", "sid", "n", EXPIRY))
                .as("a v2 value passed off as v1").isInstanceOf(SealedAttributeException.class);
    }

    @Test
    void valuesSealedInTheFirstFormatStillOpen() throws Exception {
        AttributeCipher cipher = new AttributeCipher(AttributeKeyRing.of(Map.of("A", KEY), "A"), new SecureRandom());
        String v1 = sealV1(KEY, "\"old\"", "sid", "n");
        assertThat(cipher.open(v1, "A", "sid", "n", null)).isEqualTo("\"old\"");
        assertThat(cipher.open(v1, "A", "sid", "n", EXPIRY)).as("v1 never bound the expiry").isEqualTo("\"old\"");
        assertThatThrownBy(() -> cipher.open(v1, "A", "other", "n", null)).isInstanceOf(SealedAttributeException.class);
        assertThatThrownBy(() -> cipher.open(v1, "A", "sid", "m", null)).isInstanceOf(SealedAttributeException.class);
    }

    /**
     * The first format, written independently of the cipher: base64url(nonce ‖ ciphertext ‖ tag) with the
     * associated data u32(len sessionId) ‖ sessionId ‖ name.
     */
    static String sealV1(byte[] key, String plaintext, String sessionId, String name) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        c.updateAAD(ByteBuffer.allocate(4 + id.length + n.length).putInt(id.length).put(id).put(n).array());
        byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[12 + sealed.length];
        System.arraycopy(nonce, 0, out, 0, 12);
        System.arraycopy(sealed, 0, out, 12, sealed.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }
}
