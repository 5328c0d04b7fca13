package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.memory.InMemorySessionStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key material is never handed out: an opaque ring of copies, ids only. */
class AttributeKeyRingTest {

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void noPublicMethodOfTheConfigOrTheRingReturnsKeyBytes() {
        for (Class<?> type : new Class<?>[] {SessionConfig.class, AttributeKeyRing.class, SessionConfig.Builder.class}) {
            for (Method m : type.getMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    assertThat(m.getGenericReturnType().getTypeName()).as("%s.%s", type.getSimpleName(), m.getName())
                            .doesNotContain("byte[]").doesNotContain("Byte");
                }
            }
        }
    }

    @Test
    void theRingNamesIdsOnlyAndItsTextHoldsNoKeyMaterial() {
        byte[] a = key(0x41);
        SessionConfig config = SessionConfig.builder().encryptionKey("old", key(0x0A)).encryptionKey("new", a)
                .activeEncryptionKey("new").build();
        AttributeKeyRing ring = config.attributeKeys();
        assertThat(ring.keyIds()).containsExactly("old", "new");
        assertThat(ring.activeKeyId()).contains("new");
        assertThat(ring.isEmpty()).isFalse();
        assertThat(ring.toString()).contains("old", "new")
                .doesNotContain(HexFormat.of().formatHex(a))
                .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(a))
                .doesNotContain("AAAA").doesNotContain("4141");
        assertThat(SessionConfig.defaults().attributeKeys().isEmpty()).isTrue();
        assertThat(SessionConfig.defaults().attributeKeys().activeKeyId()).isEmpty();
    }

    @Test
    void mutatingTheCallersArrayAfterBuildDoesNotChangeSealing() {
        byte[] callers = key(0x0A);
        SessionConfig config = SessionConfig.builder().encryptionKey("A", callers).secretAttributes("oauthToken")
                .cacheEnabled(false).build();
        InMemorySessionStore store = new InMemorySessionStore();
        try (SessionManager writer = SessionManager.builder(store).config(config).build()) {
            SessionKey session = writer.create("alice", ClientInfo.unknown()).context().key();
            Arrays.fill(callers, (byte) 0); // the caller scrubs (or reuses) its array
            writer.setAttribute(session, "oauthToken", "token-value-1");

            // a second engine configured with a fresh copy of the original key opens it: the first sealed
            // with its own copy, not with the caller's now-zeroed array
            SessionConfig fresh = SessionConfig.builder().encryptionKey("A", key(0x0A)).secretAttributes("oauthToken")
                    .cacheEnabled(false).build();
            try (SessionManager reader = SessionManager.builder(store).config(fresh).build()) {
                PlatformContext ctx = reader.peek(session).orElseThrow();
                assertThat(reader.getAttribute(ctx, "oauthToken", String.class)).contains("token-value-1");
            }
            // toBuilder copies too: scrubbing the caller's array did not reach the config
            SessionConfig copy = config.toBuilder().build();
            try (SessionManager again = SessionManager.builder(store).config(copy).build()) {
                PlatformContext ctx = again.peek(session).orElseThrow();
                assertThat(again.getAttribute(ctx, "oauthToken", String.class)).contains("token-value-1");
            }
        }
    }
}
