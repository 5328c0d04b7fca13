package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code toClientView()} holds nothing secret: no key, token, CSRF secret, fingerprint or attributes. */
@Tag("security")
class ClientViewTest {
    private static final String SECRET_VALUE = "oauth-secret-value-4471";

    @Test
    void clientViewHasOnlyTheDocumentedHarmlessFields() {
        assertThat(Arrays.stream(ClientView.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactly("userId", "username", "platform", "createdAt", "lastActivityAt", "expiresAt",
                        "absoluteExpiresAt", "version", "elevated");
    }

    @Test
    void clientViewHoldsNoKeyNoCsrfSecretNoFingerprintNoAttributes() {
        TestFixture f = new TestFixture(b -> b.encryptionKey("k", TestFixture.key(7)));
        CreatedSession s = f.manager.create("alice", 1, TestFixture.HOME);
        SessionKey key = s.context().key();
        f.manager.setAttribute(key, "plainAttr", "plain-attr-value-9913");
        f.manager.setAttribute(key, "oauthToken", SECRET_VALUE, AttributeOptions.secretValue());
        PlatformContext ctx = f.manager.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(5));
        String csrfSecret = f.store.delegate.find(key).orElseThrow().csrfSecret();
        String csrfToken = f.manager.csrfToken(ctx);

        ClientView view = ctx.toClientView(f.clock.instant());
        assertThat(view.userId()).isEqualTo("alice");
        assertThat(view.platform().id()).isEqualTo(1);
        assertThat(view.elevated()).isTrue();
        // the JSON form (and its key set) is the servlet adapter's: SessionJsonTest there

        for (String rendered : new String[] {view.toString()}) {
            assertThat(rendered)
                    .doesNotContain(s.token().value())
                    .doesNotContain(key.hex())
                    .doesNotContain(key.prefix())
                    .doesNotContain(ctx.sessionId())
                    .doesNotContain(csrfSecret)
                    .doesNotContain(csrfToken)
                    .doesNotContain("203.0.113")
                    .doesNotContain("Firefox")
                    .doesNotContain("Linux")
                    .doesNotContain("plainAttr").doesNotContain("plain-attr-value-9913")
                    .doesNotContain("oauthToken").doesNotContain(SECRET_VALUE);
        }
        assertThat(ctx.toClientView(f.clock.instant().plus(Duration.ofMinutes(5))).elevated()).isFalse();
    }

    @Test
    void withoutArgumentsTheViewUsesTheEnginesClock() {
        TestFixture f = new TestFixture();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.elevate(key, AccessLevel.WRITE, Duration.ofMinutes(5));
        // the test clock stands in 2026-01-01: the system clock would say the elevation is long over
        assertThat(ctx.toClientView().elevated()).isTrue();
        assertThat(ctx.toClientView()).isEqualTo(ctx.toClientView(f.clock.instant()));
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(ctx.toClientView().elevated()).as("the same snapshot, read later").isFalse();
        assertThat(f.manager.isElevated(ctx, AccessLevel.WRITE)).isFalse();
    }
}
