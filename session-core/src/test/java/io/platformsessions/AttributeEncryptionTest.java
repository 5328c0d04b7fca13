package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Secret attributes: AES-256-GCM, key ring rotation, binding to session and name, clear startup error. */
@Tag("security")
class AttributeEncryptionTest {
    private static final String PLAINTEXT = "oauth-access-token-7f3c9d1e2b";
    private static final byte[] KEY_A = TestFixture.key(0x0A);
    private static final byte[] KEY_B = TestFixture.key(0x0B);

    private static TestFixture withKeyA() {
        return new TestFixture(b -> b.cacheEnabled(false).encryptionKey("A", KEY_A).secretAttributes("oauthToken"));
    }

    @Test
    void declaringSecretAttributesWithoutAKeyFailsAtStartup() {
        assertThatThrownBy(() -> SessionConfig.builder().secretAttributes("oauthToken").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("oauthToken")
                .hasMessageContaining("no encryption key")
                .hasMessageContaining("encryptionKey(");
        assertThatThrownBy(() -> SessionConfig.builder().secretAttributes("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().secretAttributes((String) null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().encryptionKey("A", new byte[16]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThat(SessionConfig.builder().encryptionKey("A", KEY_A).secretAttributes("x").build().toBuilder().build()
                .secretAttributes()).containsExactly("x");
    }

    @Test
    void perCallSecretWithoutAKeyIsAClearError() {
        TestFixture f = new TestFixture();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        assertThatThrownBy(() -> f.manager.setAttribute(key, "t", PLAINTEXT, AttributeOptions.secretValue()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no encryption key")
                .hasMessageNotContaining(PLAINTEXT);
    }

    @Test
    void declaredSecretIsSealedAutomaticallyAndReadsBack() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.setAttribute(key, "oauthToken", PLAINTEXT);

        StoredAttribute stored = f.store.delegate.find(key).orElseThrow().attributes().get("oauthToken");
        assertThat(stored.sealed()).isTrue();
        assertThat(stored.keyId()).isEqualTo("A");
        assertThat(stored.value()).doesNotContain(PLAINTEXT);
        assertThat(f.manager.getAttribute(ctx, "oauthToken", String.class)).contains(PLAINTEXT);
    }

    @Test
    void perCallSecretValueIsSealedToo() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.setAttribute(key, "other", PLAINTEXT, AttributeOptions.secretValue());
        assertThat(f.store.delegate.find(key).orElseThrow().attributes().get("other").value()).doesNotContain(PLAINTEXT);
        assertThat(f.manager.getAttribute(ctx, "other", String.class)).contains(PLAINTEXT);
        PlatformContext plain = f.manager.setAttribute(key, "plain", "visible");
        assertThat(f.store.delegate.find(key).orElseThrow().attributes().get("plain").sealed()).isFalse();
        assertThat(f.manager.getAttribute(plain, "plain", String.class)).contains("visible");
    }

    @Test
    void valuesSealedUnderKeyAStillOpenAfterTheActiveKeyBecomesB() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT);

        // a restarted node with the rotated ring: B seals new values, A still opens old ones
        SessionManager rotated = SessionManager.builder(f.store).config(f.config.toBuilder()
                .encryptionKey("B", KEY_B).activeEncryptionKey("B").build()).platformDirectory(f.platforms).build();
        PlatformContext ctx = rotated.peek(key).orElseThrow();
        assertThat(rotated.getAttribute(ctx, "oauthToken", String.class)).contains(PLAINTEXT);

        PlatformContext updated = rotated.setAttribute(key, "oauthToken2", "new-value", AttributeOptions.secretValue());
        assertThat(f.store.delegate.find(key).orElseThrow().attributes().get("oauthToken2").keyId()).isEqualTo("B");
        assertThat(rotated.getAttribute(updated, "oauthToken", String.class)).contains(PLAINTEXT);
        assertThat(rotated.getAttribute(updated, "oauthToken2", String.class)).contains("new-value");

        // once A is retired, its values fail cleanly, naming the key but not the value
        SessionManager retired = SessionManager.builder(f.store).config(SessionConfig.builder().clock(f.clock)
                .cacheEnabled(false).encryptionKey("B", KEY_B).build()).platformDirectory(f.platforms).build();
        PlatformContext late = retired.peek(key).orElseThrow();
        assertThatThrownBy(() -> retired.getAttribute(late, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("'A'")
                .hasMessageNotContaining(PLAINTEXT);
        assertThat(retired.getAttribute(late, "oauthToken2", String.class)).contains("new-value");
    }

    @Test
    void tamperedCiphertextFailsCleanly() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT);
        SessionRecord r = f.store.delegate.find(key).orElseThrow();
        StoredAttribute a = r.attributes().get("oauthToken");
        char c = a.value().charAt(20);
        String flipped = a.value().substring(0, 20) + (c == 'A' ? 'B' : 'A') + a.value().substring(21);
        replace(f, r, "oauthToken", new StoredAttribute(flipped, null, "A"));

        PlatformContext ctx = f.manager.peek(key).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(ctx, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("failed authentication")
                .hasMessageNotContaining(PLAINTEXT).hasMessageNotContaining(flipped);
        // the session itself is intact, and overwriting clears the condition
        PlatformContext fixed = f.manager.setAttribute(key, "oauthToken", "fresh");
        assertThat(f.manager.getAttribute(fixed, "oauthToken", String.class)).contains("fresh");
    }

    @Test
    void valueMovedToAnotherSessionOrNameFails() {
        TestFixture f = withKeyA();
        SessionKey a = f.manager.create("alice", TestFixture.HOME).context().key();
        SessionKey b = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(a, "oauthToken", PLAINTEXT);
        f.manager.setAttribute(b, "placeholder", "x", AttributeOptions.secretValue());
        StoredAttribute stolen = f.store.delegate.find(a).orElseThrow().attributes().get("oauthToken");

        replace(f, f.store.delegate.find(b).orElseThrow(), "oauthToken", stolen);
        PlatformContext other = f.manager.peek(b).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(other, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class).hasMessageNotContaining(PLAINTEXT);

        replace(f, f.store.delegate.find(a).orElseThrow(), "placeholder", stolen);
        PlatformContext same = f.manager.peek(a).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(same, "placeholder", String.class))
                .as("same session, other name").isInstanceOf(SealedAttributeException.class);
        assertThat(f.manager.getAttribute(same, "oauthToken", String.class)).contains(PLAINTEXT);
    }

    @Test
    void unsealedValueUnderADeclaredSecretNameIsRefused() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        replace(f, f.store.delegate.find(key).orElseThrow(), "oauthToken", new StoredAttribute("\"planted\"", null, null));
        PlatformContext ctx = f.manager.peek(key).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(ctx, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class).hasMessageContaining("unsealed");
    }

    @Test
    void aStoreWriterMovingOrRemovingASecretAttributesExpiryIsDetected() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT, AttributeOptions.expiringAfter(Duration.ofMinutes(5)));
        SessionRecord r = f.store.delegate.find(key).orElseThrow();
        StoredAttribute a = r.attributes().get("oauthToken");
        assertThat(f.manager.getAttribute(f.manager.peek(key).orElseThrow(), "oauthToken", String.class))
                .contains(PLAINTEXT);

        replace(f, r, "oauthToken", new StoredAttribute(a.value(), a.expiresAt().plus(Duration.ofDays(365)), a.keyId()));
        PlatformContext extended = f.manager.peek(key).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(extended, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class).hasMessageNotContaining(PLAINTEXT);

        replace(f, f.store.delegate.find(key).orElseThrow(), "oauthToken", new StoredAttribute(a.value(), null, a.keyId()));
        PlatformContext unlimited = f.manager.peek(key).orElseThrow();
        assertThatThrownBy(() -> f.manager.getAttribute(unlimited, "oauthToken", String.class))
                .isInstanceOf(SealedAttributeException.class);
    }

    @Test
    void aValueSealedBeforeTheVersionedFormatStillReadsAndIsRewrittenInItOnTheNextWrite() throws Exception {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        SessionRecord r = f.store.delegate.find(key).orElseThrow();
        String v1 = AttributeCipherTest.sealV1(KEY_A, "\"" + PLAINTEXT + "\"", r.sessionId(), "oauthToken");
        replace(f, r, "oauthToken", new StoredAttribute(v1, null, "A"));
        assertThat(f.manager.getAttribute(f.manager.peek(key).orElseThrow(), "oauthToken", String.class))
                .contains(PLAINTEXT);
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT);
        assertThat(f.store.delegate.find(key).orElseThrow().attributes().get("oauthToken").value())
                .startsWith(AttributeCipher.V2_PREFIX);
    }

    /**
     * The documented limit of per-call secrets: only a name declared secret refuses an unsealed value, so
     * a store writer can replace a per-call secret by plaintext of its choosing. Declare the names.
     */
    @Test
    void onlyADeclaredNameRefusesAPlaintextValueAStoreWriterPutInPlaceOfASealedOne() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(key, "perCall", PLAINTEXT, AttributeOptions.secretValue());
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT);
        SessionRecord r = f.store.delegate.find(key).orElseThrow();
        replace(f, r, "perCall", new StoredAttribute("\"planted\"", null, null));
        replace(f, f.store.delegate.find(key).orElseThrow(), "oauthToken", new StoredAttribute("\"planted\"", null, null));
        PlatformContext ctx = f.manager.peek(key).orElseThrow();
        assertThat(f.manager.getAttribute(ctx, "perCall", String.class)).as("per-call: downgraded").contains("planted");
        assertThatThrownBy(() -> f.manager.getAttribute(ctx, "oauthToken", String.class)).as("declared: refused")
                .isInstanceOf(SealedAttributeException.class);
    }

    @Test
    void sealedValuesSurviveTokenRotation() {
        TestFixture f = withKeyA();
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.setAttribute(key, "oauthToken", PLAINTEXT);
        PlatformContext rotated = f.manager.rotate(key).context();
        assertThat(f.manager.getAttribute(rotated, "oauthToken", String.class)).contains(PLAINTEXT);
    }

    private static void replace(TestFixture f, SessionRecord r, String name, StoredAttribute value) {
        boolean ok = f.store.delegate.update(r.withAttributes(r.attributes().with(name, value)).withVersion(r.version() + 1),
                r.version());
        assertThat(ok).isTrue();
    }
}
