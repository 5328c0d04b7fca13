package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokenTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedTokensAre32RandomBytesInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            SessionToken t = SessionToken.generate(random);
            assertThat(t.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(t.value())).hasSize(32);
            assertThat(SessionToken.isWellFormed(t.value())).isTrue();
            assertThat(SessionToken.parse(t.value())).isEqualTo(t);
            seen.add(t.value());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void keyIsTheSha256AndToStringHidesTheToken() throws Exception {
        SessionToken t = SessionToken.generate(random);
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256")
                .digest(t.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(t.key().bytes()).isEqualTo(expected);
        assertThat(t.toString()).doesNotContain(t.value()).contains(t.key().prefix());
        assertThat(t.key().toString()).doesNotContain(t.key().hex());
        assertThat(SessionKey.ofHex(t.key().hex())).isEqualTo(t.key());
    }

    @Test
    void parseRejectsWrongShapesWithoutEchoingThem() {
        String valid = SessionToken.generate(random).value();
        for (String bad : new String[] {valid + "A", valid.substring(1), valid.replace(valid.charAt(5), '+'),
                valid.substring(0, 42) + "B", valid.substring(0, 42) + "=", " " + valid.substring(1), "ü".repeat(43)}) {
            if (bad.equals(valid)) {
                continue;
            }
            assertThat(SessionToken.isWellFormed(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> SessionToken.parse(bad)).isInstanceOf(InvalidTokenException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad));
        }
        assertThatThrownBy(() -> SessionToken.parse(null)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void keysValidateTheirLength() {
        assertThatThrownBy(() -> SessionKey.ofBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofHex("abc")).isInstanceOf(IllegalArgumentException.class);
        byte[] b = new byte[32];
        b[0] = 1;
        SessionKey k = SessionKey.ofBytes(b);
        b[0] = 2;
        assertThat(k.bytes()[0]).as("defensive copy").isEqualTo((byte) 1);
    }

    /** The per-thread buffer path hashes exactly the token's characters, call after call, on every path in. */
    @Test
    void keyIsTheSha256OfTheTokenTextOnEveryPath() throws Exception {
        MessageDigest reference = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 200; i++) {
            SessionToken t = SessionToken.generate(random);
            SessionKey expected = SessionKey.ofBytes(reference.digest(t.value().getBytes(StandardCharsets.US_ASCII)));
            assertThat(t.key()).isEqualTo(expected);
            assertThat(SessionToken.keyOfWellFormed(t.value())).isEqualTo(expected);
            assertThat(SessionToken.parse(t.value()).key()).isEqualTo(expected);
        }
        // other lengths (never a token) take the copying path and still hash the text
        assertThat(SessionToken.sha256("abc")).isEqualTo(reference.digest("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
