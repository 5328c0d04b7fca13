package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The CSRF primitive on its own: the pre-session tokens of the servlet adapter and the sessions' tokens. */
class CsrfSecretsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void maskedTokensVerifyAndDiffer() {
        String secret = CsrfSecrets.newSecret(RANDOM);
        assertThat(CsrfSecrets.isSecret(secret)).isTrue();
        String t1 = CsrfSecrets.mask(secret, RANDOM);
        String t2 = CsrfSecrets.mask(secret, RANDOM);
        assertThat(t1).hasSize(86).isNotEqualTo(t2).doesNotContain(secret);
        assertThat(CsrfSecrets.verify(secret, t1)).isTrue();
        assertThat(CsrfSecrets.verify(secret, t2)).isTrue();
        assertThat(CsrfSecrets.verify(CsrfSecrets.newSecret(RANDOM), t1)).isFalse();
    }

    @Test
    void garbageNeverVerifiesAndNeverThrows() {
        String secret = CsrfSecrets.newSecret(RANDOM);
        String good = CsrfSecrets.mask(secret, RANDOM);
        String flipped = good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11);
        for (String bad : new String[] {null, "", "x", flipped, good + "A", good.substring(1), "=".repeat(86),
                "é".repeat(86), "A".repeat(86), "+/".repeat(43), "\u0000".repeat(86)}) {
            assertThat(CsrfSecrets.verify(secret, bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(CsrfSecrets.verify(null, good)).isFalse();
        assertThat(CsrfSecrets.verify("not-a-secret", good)).isFalse();
        assertThat(CsrfSecrets.isSecret("A".repeat(44))).isFalse();
        assertThat(CsrfSecrets.isSecret(null)).isFalse();
    }

    @Test
    void onlyTheCanonicalSpellingOfATokenOrSecretIsAccepted() {
        String secret = CsrfSecrets.newSecret(RANDOM);
        String token = CsrfSecrets.mask(secret, RANDOM);
        // the same bytes with unused low bits set in the last character: the JDK decoder would accept these
        String nonCanonicalToken = token.substring(0, 85) + (char) (token.charAt(85) + 1);
        String nonCanonicalSecret = secret.substring(0, 42) + (char) (secret.charAt(42) + 1);
        assertThat(CsrfSecrets.isWellFormedToken(token)).isTrue();
        assertThat(CsrfSecrets.isWellFormedToken(nonCanonicalToken)).isFalse();
        assertThat(CsrfSecrets.verify(secret, nonCanonicalToken)).isFalse();
        assertThat(CsrfSecrets.isSecret(nonCanonicalSecret)).isFalse();
        assertThat(CsrfSecrets.verify(nonCanonicalSecret, token)).isFalse();
    }
}
