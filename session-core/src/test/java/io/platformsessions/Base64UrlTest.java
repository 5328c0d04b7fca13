package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one base64url shape check: length, alphabet, zero unused bits. */
class Base64UrlTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Test
    void encodedLengthIsUnpadded() {
        assertThat(Base64Url.encodedLength(0)).isZero();
        assertThat(Base64Url.encodedLength(1)).isEqualTo(2);
        assertThat(Base64Url.encodedLength(2)).isEqualTo(3);
        assertThat(Base64Url.encodedLength(3)).isEqualTo(4);
        assertThat(Base64Url.encodedLength(32)).isEqualTo(43);
        assertThat(Base64Url.encodedLength(64)).isEqualTo(86);
        assertThatThrownBy(() -> Base64Url.encodedLength(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyEncoderOutputIsCanonicalForEachLength() {
        SecureRandom random = new SecureRandom();
        for (int n = 0; n <= 70; n++) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(Base64Url.isCanonical(text, n)).as("%d bytes: %s", n, text).isTrue();
            assertThat(Base64Url.isCanonical(text, n + 1)).isFalse();
        }
    }

    @Test
    void exactlyTheCharactersWithZeroUnusedBitsEndACanonicalValue() {
        StringBuilder oneByteLast = new StringBuilder();   // 4 unused bits
        StringBuilder twoBytesLast = new StringBuilder();  // 2 unused bits
        StringBuilder threeBytesLast = new StringBuilder(); // no unused bits
        for (char c : ALPHABET.toCharArray()) {
            if (Base64Url.isCanonical("A" + c, 1)) {
                oneByteLast.append(c);
            }
            if (Base64Url.isCanonical("AA" + c, 2)) {
                twoBytesLast.append(c);
            }
            if (Base64Url.isCanonical("AAA" + c, 3)) {
                threeBytesLast.append(c);
            }
        }
        assertThat(oneByteLast).hasToString("AQgw");
        assertThat(twoBytesLast).hasToString("AEIMQUYcgkosw048");
        assertThat(threeBytesLast).hasToString(ALPHABET);
    }

    @Test
    void wrongLengthAlphabetOrPaddingIsRefused() {
        String good = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertThat(Base64Url.isCanonical(good, 32)).isTrue();
        for (String bad : new String[] {null, "", good.substring(1), good + "A", "+" + good.substring(1),
                "/" + good.substring(1), good.substring(1) + "=", "é" + good.substring(1), "\u0000" + good.substring(1)}) {
            assertThat(Base64Url.isCanonical(bad, 32)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(Base64Url.isCanonical("", 0)).isTrue();
    }
}
