package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreSessionCsrfTest {
    @Test
    void maskedTokensVerifyAndDiffer() {
        String secret = PreSessionCsrf.newSecret();
        assertThat(PreSessionCsrf.isSecret(secret)).isTrue();
        String t1 = PreSessionCsrf.mask(secret);
        String t2 = PreSessionCsrf.mask(secret);
        assertThat(t1).hasSize(86).isNotEqualTo(t2).doesNotContain(secret);
        assertThat(PreSessionCsrf.verify(secret, t1)).isTrue();
        assertThat(PreSessionCsrf.verify(secret, t2)).isTrue();
        assertThat(PreSessionCsrf.verify(PreSessionCsrf.newSecret(), t1)).isFalse();
    }

    @Test
    void garbageNeverVerifiesAndNeverThrows() {
        String secret = PreSessionCsrf.newSecret();
        String good = PreSessionCsrf.mask(secret);
        String flipped = good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11);
        for (String bad : new String[] {null, "", "x", flipped, good + "A", good.substring(1), "=".repeat(86),
                "é".repeat(86), "A".repeat(86), "+/".repeat(43), "\u0000".repeat(86)}) {
            assertThat(PreSessionCsrf.verify(secret, bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(PreSessionCsrf.verify(null, good)).isFalse();
        assertThat(PreSessionCsrf.verify("not-a-secret", good)).isFalse();
        assertThat(PreSessionCsrf.isSecret("A".repeat(44))).isFalse();
        assertThat(PreSessionCsrf.isSecret(null)).isFalse();
    }
}
