package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** CSRF secrets per session, BREACH masking, replacement on rotate/login/logout, strict verification (ASVS 3.5.1). */
@Tag("security")
class CsrfTokenTest {
    private final TestFixture f = new TestFixture();

    @Test
    void issuedTokensVerifyAndEveryMaskDiffers() {
        PlatformContext ctx = f.manager.create("alice", TestFixture.HOME).context();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String t = f.manager.csrfToken(ctx);
            assertThat(t).hasSize(CsrfSecrets.TOKEN_LENGTH).matches("[A-Za-z0-9_-]+");
            assertThat(f.manager.verifyCsrfToken(ctx, t)).isTrue();
            tokens.add(t);
        }
        assertThat(tokens).as("a fresh pad per token (BREACH)").hasSize(50);
    }

    @Test
    void maskedTokenDoesNotContainTheSecret() {
        PlatformContext ctx = f.manager.create("alice", TestFixture.HOME).context();
        String secret = f.store.delegate.find(ctx.key()).orElseThrow().csrfSecret();
        for (int i = 0; i < 20; i++) {
            assertThat(f.manager.csrfToken(ctx)).doesNotContain(secret.substring(0, 16));
        }
    }

    @Test
    void rotateReplacesTheSecretSoOldTokensDie() {
        PlatformContext before = f.manager.create("alice", TestFixture.HOME).context();
        String oldToken = f.manager.csrfToken(before);
        String oldSecret = f.store.delegate.find(before.key()).orElseThrow().csrfSecret();

        PlatformContext after = f.manager.rotate(before.key()).context();

        String newSecret = f.store.delegate.find(after.key()).orElseThrow().csrfSecret();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(f.manager.verifyCsrfToken(after, oldToken)).isFalse();
        assertThat(f.manager.verifyCsrfToken(after, f.manager.csrfToken(after))).isTrue();
    }

    @Test
    void logoutKillsTheSecretAndANewLoginGetsAnotherOne() {
        CreatedSession first = f.manager.create("alice", TestFixture.HOME);
        String oldToken = f.manager.csrfToken(first.context());
        f.manager.invalidate(first.context().key(), InvalidationReason.LOGOUT);

        assertThat(f.manager.lookup(first.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(f.store.delegate.find(first.context().key())).as("secret deleted with the session").isEmpty();

        PlatformContext second = f.manager.create("alice", TestFixture.HOME).context();
        assertThat(f.manager.verifyCsrfToken(second, oldToken)).isFalse();
    }

    @Test
    void tokenOfOneSessionFailsOnAnother() {
        PlatformContext a = f.manager.create("alice", TestFixture.HOME).context();
        PlatformContext b = f.manager.create("alice", TestFixture.HOME).context();
        assertThat(f.manager.verifyCsrfToken(b, f.manager.csrfToken(a))).isFalse();
    }

    @Test
    void rejectsWrongLengthAlphabetEncodingAndGarbage() {
        PlatformContext ctx = f.manager.create("alice", TestFixture.HOME).context();
        String good = f.manager.csrfToken(ctx);
        char last = good.charAt(good.length() - 1);
        // same 64 bytes, but non-canonical last character (unused low bits set)
        String nonCanonical = good.substring(0, good.length() - 1) + (char) (last + 1);

        assertThat(f.manager.verifyCsrfToken(ctx, null)).isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, "")).isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good.substring(1))).as("too short").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good + "A")).as("too long").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good.repeat(2000))).as("over-long").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good.replace(good.charAt(0), '+'))).as("standard base64 '+'").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good.substring(0, 85) + "=")).as("padding").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, "é" + good.substring(1))).as("non-ASCII").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, nonCanonical)).as("non-canonical encoding").isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, "A".repeat(86))).isFalse();
        assertThat(f.manager.verifyCsrfToken(null, good)).isFalse();
        assertThat(f.manager.verifyCsrfToken(ctx, good)).isTrue();
    }

    @Test
    void nullContextIsAClearError() {
        assertThatThrownBy(() -> f.manager.csrfToken(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serviceRejectsBadSecrets() {
        SecureRandom random = new SecureRandom();
        assertThatThrownBy(() -> CsrfSecrets.mask(null, random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsrfSecrets.mask("short", random)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short");
        String secret = CsrfSecrets.newSecret(random);
        String token = CsrfSecrets.mask(secret, random);
        assertThat(CsrfSecrets.verify(null, token)).isFalse();
        assertThat(CsrfSecrets.verify("not a secret", token)).isFalse();
        assertThat(CsrfSecrets.verify(secret, token)).isTrue();
    }
}
