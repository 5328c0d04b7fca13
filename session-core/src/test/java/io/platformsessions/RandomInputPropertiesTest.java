package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

/** Property-based tests (jqwik) over random input for token parsing and CSRF verification. */
@Tag("security")
class RandomInputPropertiesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET = CsrfSecrets.newSecret(RANDOM);

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(200),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=é")
                        .ofMinLength(40).ofMaxLength(90),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                        .ofLength(SessionToken.ENCODED_LENGTH),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                        .ofLength(CsrfSecrets.TOKEN_LENGTH));
    }

    @Property(tries = 1000)
    void randomStringsNeverVerifyAsCsrfTokens(@ForAll("anyText") String presented) {
        assertThat(CsrfSecrets.verify(SECRET, presented)).isFalse();
    }

    @Property(tries = 300)
    void maskedTokensOfTheRightSecretAlwaysVerifyAndDiffer(@ForAll @IntRange(min = 1, max = 3) int ignored) {
        String secret = CsrfSecrets.newSecret(RANDOM);
        String a = CsrfSecrets.mask(secret, RANDOM);
        String b = CsrfSecrets.mask(secret, RANDOM);
        assertThat(CsrfSecrets.verify(secret, a)).isTrue();
        assertThat(CsrfSecrets.verify(secret, b)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(CsrfSecrets.verify(CsrfSecrets.newSecret(RANDOM), a)).as("another session's secret").isFalse();
    }

    @Property(tries = 500)
    void changingAnyCharacterOfAMaskedTokenBreaksIt(@ForAll @IntRange(min = 0, max = 85) int position,
                                                    @ForAll @IntRange(min = 1, max = 63) int shift) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String token = CsrfSecrets.mask(SECRET, RANDOM);
        char original = token.charAt(position);
        char replacement = alphabet.charAt((alphabet.indexOf(original) + shift) % 64);
        String changed = token.substring(0, position) + replacement + token.substring(position + 1);
        assertThat(CsrfSecrets.verify(SECRET, changed)).isFalse();
    }

    @Property(tries = 1000)
    void sessionTokenParsingAcceptsExactlyWellFormedInputAndNeverEchoesIt(@ForAll("anyText") String presented) {
        boolean wellFormed = SessionToken.isWellFormed(presented);
        if (wellFormed) {
            SessionToken token = SessionToken.parse(presented);
            assertThat(token.value()).isEqualTo(presented);
            assertThat(token.toString()).doesNotContain(presented);
            // canonical: decoding and re-encoding gives the same text
            byte[] raw = Base64.getUrlDecoder().decode(presented);
            assertThat(raw).hasSize(SessionToken.BYTES);
            assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)).isEqualTo(presented);
        } else {
            assertThatThrownBy(() -> SessionToken.parse(presented)).isInstanceOf(InvalidTokenException.class)
                    .satisfies(e -> {
                        if (presented != null && presented.strip().length() >= 12) { // short strings may occur in any message
                            assertThat(e.getMessage()).doesNotContain(presented);
                        }
                    });
        }
    }

    @Property(tries = 200)
    void generatedSessionTokensAreAlwaysWellFormed(@ForAll @IntRange(min = 1, max = 3) int ignored) {
        SessionToken t = SessionToken.generate(RANDOM);
        assertThat(SessionToken.isWellFormed(t.value())).isTrue();
        assertThat(SessionToken.parse(t.value()).key()).isEqualTo(t.key());
    }
}
