package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.audit.AuditLogListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Audit log lines, and the rule that no raw token, CSRF secret, CSRF token or secret attribute
 * value appears in any log line, event, exception message or toString across a full lifecycle.
 */
@Tag("security")
class AuditAndLeakTest {
    private static final String SECRET_VALUE = "mastodon-oauth-token-Zq81xv0LmP";
    private static final String OTHER_SECRET = "pixelfed-refresh-token-Qw93kd";
    private static final byte[] KEY = TestFixture.key(0x5A);
    private static final ClientInfo ATTACKER = new ClientInfo("198.51.100.66", "curl/8.0", null);

    @Test
    void fullLifecycleLeaksNoSecretIntoLogsEventsExceptionsOrToString() {
        CapturingLogger audit = new CapturingLogger("audit");
        TestFixture f = TestFixture.builder().config(b -> b.encryptionKey("k1", KEY).secretAttributes("oauthToken"))
                .listener(new AuditLogListener(audit)).build();
        List<String> secrets = new ArrayList<>(List.of(SECRET_VALUE, OTHER_SECRET, HexFormat.of().formatHex(KEY),
                Base64.getEncoder().encodeToString(KEY), Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)));
        List<String> texts = new ArrayList<>();
        List<Throwable> thrown = new ArrayList<>();

        PrintStream originalErr = System.err;
        ByteArrayOutputStream engineLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(engineLog, true, StandardCharsets.UTF_8));
        try {
            // create, resolve, CSRF
            CreatedSession created = f.manager.create("alice", 1, TestFixture.HOME);
            secrets.add(created.token().value());
            secrets.add(csrfSecret(f, created.context().key()));
            PlatformContext ctx = f.manager.resolve(created.token().value(), TestFixture.HOME).orElseThrow();
            String csrf = f.manager.csrfToken(ctx);
            secrets.add(csrf);
            assertThat(f.manager.verifyCsrfToken(ctx, csrf)).isTrue();
            texts.add(created.toString());
            texts.add(created.token().toString());
            texts.add(ctx.toString());

            // switch, secret attributes, a suspicious client change
            SessionKey key = ctx.key();
            f.manager.switchPlatform(key, 2);
            f.manager.setAttribute(key, "oauthToken", SECRET_VALUE);
            PlatformContext withSecrets = f.manager.setAttribute(key, "refresh", OTHER_SECRET, AttributeOptions.secretValue());
            texts.add(withSecrets.toString());
            texts.add(f.store.delegate.find(key).orElseThrow().toString());
            texts.add(f.store.delegate.find(key).orElseThrow().attributes().toString());
            f.manager.lookup(created.token().value(), new ClientInfo("192.0.2.1", TestFixture.CHROME_LINUX, "de"));
            // the connection the session is on is deactivated: the engine moves it (an event with a reason)
            f.platforms.put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed",
                    "https://pixelfed.social", false, false));
            assertThat(f.manager.peek(key).orElseThrow().platform().orElseThrow().id()).isEqualTo(1);

            // rotate, elevate
            CreatedSession rotated = f.manager.rotate(key);
            secrets.add(rotated.token().value());
            secrets.add(csrfSecret(f, rotated.context().key()));
            secrets.add(f.manager.csrfToken(rotated.context()));
            texts.add(rotated.toString());
            key = rotated.context().key();
            f.manager.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(5));

            // a failing touch makes the engine itself log a WARN line
            f.store.touchFailure = new IllegalStateException("simulated touch failure");
            f.clock.advance(Duration.ofMinutes(2));
            PlatformContext late = f.manager.resolve(rotated.token().value(), TestFixture.HOME).orElseThrow();
            f.store.touchFailure = null;
            texts.add(f.manager.getAttribute(late, "oauthToken", String.class).orElseThrow().equals(SECRET_VALUE) ? "ok" : "bad");
            texts.add(late.toClientView(f.clock.instant()).toString());
            texts.add(late.toClientView().toString()); // its JSON form: servlet SessionJsonTest
            texts.add(f.manager.activeSessions("alice").toString());
            texts.add(f.manager.metrics().toString());

            // error paths: malformed token, dead token, wrong key ring, dead session
            String almost = rotated.token().value() + "x";
            thrown.add(catchThrowable(() -> f.manager.resolve(almost, TestFixture.HOME)));
            thrown.add(catchThrowable(() -> SessionToken.parse(rotated.token().value().replace('A', '+').replace('a', '+')
                    + "+")));
            assertThat(f.manager.resolve(created.token().value(), TestFixture.HOME)).as("old token dead").isEmpty();
            SessionManager wrongKeys = SessionManager.builder(f.store).config(SessionConfig.builder().clock(f.clock)
                    .cacheEnabled(false).encryptionKey("k1", TestFixture.key(0x11)).build()).platformDirectory(f.platforms).build();
            PlatformContext seen = wrongKeys.peek(key).orElseThrow();
            thrown.add(catchThrowable(() -> wrongKeys.getAttribute(seen, "oauthToken", String.class)));

            // token guessing, logout, expiry
            for (int i = 0; i < 21; i++) {
                f.manager.lookup(SessionToken.generate(new SecureRandom()).value(), ATTACKER);
            }
            f.manager.invalidate(key, InvalidationReason.LOGOUT);
            SessionKey deadKey = key;
            thrown.add(catchThrowable(() -> f.manager.switchPlatform(deadKey, 1)));
            CreatedSession idle = f.manager.create("alice", TestFixture.HOME);
            secrets.add(idle.token().value());
            f.clock.advance(f.config.idleTimeout());
            assertThat(f.manager.resolve(idle.token().value(), TestFixture.HOME)).isEmpty();
        } finally {
            System.setErr(originalErr);
        }

        // every event kind happened, and each got exactly one audit line
        assertThat(f.events.stream().map(e -> e.getClass().getSimpleName()).distinct())
                .contains("Created", "PlatformSwitched", "Rotated", "Elevated", "Suspicious", "Invalidated", "Expired");
        assertThat(audit.lines).hasSize(f.events.size());
        String engineLines = engineLog.toString(StandardCharsets.UTF_8);
        assertThat(engineLines).as("engine WARN line was captured").contains("could not record activity");

        for (SessionEvent e : f.events) {
            texts.add(e.toString());
        }
        texts.addAll(audit.lines);
        texts.add(engineLines);
        for (Throwable t : thrown) {
            assertThat(t).isNotNull();
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(String.valueOf(c.getMessage()));
                texts.add(c.toString());
            }
        }
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).as("no secret in: %s", text).doesNotContain(secret);
            }
        }
    }

    @Test
    void oneStructuredLinePerEventWithTheDocumentedFields() {
        CapturingLogger audit = new CapturingLogger("audit");
        TestFixture f = TestFixture.builder().listener(new AuditLogListener(audit)).build();
        CreatedSession s = f.manager.create("alice", 1, TestFixture.HOME);
        String prefix = s.context().key().prefix();
        String sid = s.context().sessionId();
        f.manager.switchPlatform(s.context().key(), 2);
        f.manager.lookup(s.token().value(), new ClientInfo("198.51.100.9", TestFixture.FIREFOX_LINUX_120, "en"));
        f.manager.invalidate(s.context().key(), InvalidationReason.LOGOUT);

        assertThat(audit.lines).containsExactly(
                "INFO session_event=CREATED key=" + prefix + " session=" + sid
                        + " user=alice platform=1 platform_type=mastodon reason=- ip=203.0.113.7",
                "INFO session_event=PLATFORM_SWITCHED key=" + prefix + " session=" + sid
                        + " user=alice platform=2 platform_type=pixelfed reason=- ip=- from_platform=1",
                "WARN session_event=SUSPICIOUS key=" + prefix + " session=" + sid
                        + " user=alice platform=- reason=CLIENT_CHANGE ip=198.51.100.9"
                        + " detail=\"network 203.0.113.0/24 -> 198.51.100.0/24\"",
                "INFO session_event=INVALIDATED key=" + prefix + " session=" + sid
                        + " user=alice platform=- reason=LOGOUT ip=-");
    }

    @Test
    void aMoveOffAWithdrawnPlatformSaysWhyAndMayGoToNoPlatform() {
        CapturingLogger audit = new CapturingLogger("audit");
        TestFixture f = TestFixture.builder().listener(new AuditLogListener(audit)).build();
        CreatedSession s = f.manager.create("alice", 1, TestFixture.HOME);
        f.platforms.put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social",
                false, true));
        assertThat(audit.lines).last().isEqualTo("INFO session_event=PLATFORM_SWITCHED key=" + s.context().key().prefix()
                + " session=" + s.context().sessionId() + " user=alice platform=- reason=PLATFORM_DEACTIVATED ip=-"
                + " from_platform=1");
    }

    @Test
    void valuesAreEscapedAgainstLogInjection() {
        SessionKey key = SessionToken.generate(new SecureRandom()).key();
        String line = AuditLogListener.format(new SessionEvent.Created(Instant.EPOCH, key, "sid",
                "mallory\nsession_event=FAKE user=admin \"x\" \u00e9", null, "1.2.3.4"));
        assertThat(line).doesNotContain("\n").doesNotContain("\r")
                .contains("user=\"mallory\\nsession_event=FAKE user=admin \\\"x\\\" \\u00e9\"")
                .startsWith("session_event=CREATED key=" + key.prefix() + " session=sid ");
        assertThat(AuditLogListener.format(new SessionEvent.Created(Instant.EPOCH, key, "sid", "u".repeat(5000), null, null)))
                .hasSizeLessThan(400);
        assertThatThrownBy(() -> AuditLogListener.format(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AuditLogListener(null)).isInstanceOf(NullPointerException.class);
    }

    private static String csrfSecret(TestFixture f, SessionKey key) {
        return f.store.delegate.find(key).orElseThrow().csrfSecret();
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
