package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);

    @Test
    void hashIsSelfDescribingSaltedAndVerifies() {
        String h = hasher.hash("alice-demo-password");
        String[] parts = h.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[1]).isEqualTo(Integer.toString(PasswordHasher.MIN_ITERATIONS));
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getUrlDecoder().decode(parts[3])).hasSize(32);
        assertThat(h).doesNotContain("alice-demo-password");
        assertThat(hasher.verify("alice-demo-password", h)).isTrue();
    }

    @Test
    void samePasswordGetsDifferentSaltsAndHashes() {
        String a = hasher.hash("same");
        String b = hasher.hash("same");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.split("\\$")[2]).isNotEqualTo(b.split("\\$")[2]);
        assertThat(hasher.verify("same", a)).isTrue();
        assertThat(hasher.verify("same", b)).isTrue();
    }

    @Test
    void wrongPasswordsAndGarbageDoNotMatch() {
        String h = hasher.hash("right");
        assertThat(hasher.verify("wrong", h)).isFalse();
        assertThat(hasher.verify("Right", h)).isFalse();
        assertThat(hasher.verify("right ", h)).isFalse();
        assertThat(hasher.verify(null, h)).isFalse();
        assertThat(hasher.verify("", h)).isFalse();
        assertThat(hasher.verify("x".repeat(PasswordHasher.MAX_PASSWORD_LENGTH + 1), h)).isFalse();
        assertThat(hasher.verify("right", null)).isFalse();
        assertThat(hasher.verify("right", "garbage")).isFalse();
        assertThat(hasher.verify("right", "pbkdf2-sha256$abc$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("right", "pbkdf2-sha256$1000$!!$AAAA")).isFalse();
        assertThat(hasher.verify("right", "pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$" + h.split("\\$")[3])).isFalse();
        assertThat(hasher.verify("right", h.replace("pbkdf2-sha256", "md5"))).isFalse();
        assertThat(hasher.verifyAgainstDummy("right")).isFalse();
    }

    @Test
    void verifiesWithTheStoredIterationCountNotTheConfiguredOne() {
        String h = new PasswordHasher(2_000).hash("pw");
        assertThat(hasher.verify("pw", h)).isTrue();
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new PasswordHasher(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.hash("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.hash(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void knownAnswerMatchesTheJdkPrimitive() throws Exception {
        // Recompute the stored hash independently: same salt and iterations through the JDK primitive.
        String h = hasher.hash("known");
        String[] parts = h.split("\\$");
        byte[] salt = Base64.getUrlDecoder().decode(parts[2]);
        javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec("known".toCharArray(), salt,
                PasswordHasher.MIN_ITERATIONS, 256);
        byte[] expected = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        assertThat(Base64.getUrlDecoder().decode(parts[3])).isEqualTo(expected);
    }
}
