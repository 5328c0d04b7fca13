package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.AccessLevel;
import io.platformsessions.AttributeOptions;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.PlatformConnection;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionSummary;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire shape of the client view, platforms and devices: the documented keys, nothing secret. */
class SessionJsonTest {
    private static final String SECRET_VALUE = "oauth-secret-value-4471";
    private static final ClientInfo HOME = new ClientInfo("203.0.113.7",
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "en-US,en;q=0.9");

    @Test
    void clientViewHasOnlyTheDocumentedKeysAndNothingSecret() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        InMemorySessionStore store = new InMemorySessionStore();
        SessionManager manager = SessionManager.builder(store)
                .config(SessionConfig.builder().clock(clock).encryptionKey("k", key).build())
                .platformDirectory(new InMemoryPlatformDirectory().put(new PlatformConnection(1, "alice",
                        "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true)))
                .build();
        CreatedSession s = manager.create("alice", 1, HOME);
        SessionKey sessionKey = s.context().key();
        manager.setAttribute(sessionKey, "plainAttr", "plain-attr-value-9913");
        manager.setAttribute(sessionKey, "oauthToken", SECRET_VALUE, AttributeOptions.secretValue());
        PlatformContext ctx = manager.elevate(sessionKey, AccessLevel.ADMIN, Duration.ofMinutes(5));
        String csrfSecret = store.find(sessionKey).orElseThrow().csrfSecret();
        String csrfToken = manager.csrfToken(ctx);

        Map<String, Object> view = SessionJson.clientView(ctx.toClientView());
        assertThat(view).containsOnlyKeys("userId", "username", "platform", "createdAt", "lastActivityAt",
                "expiresAt", "absoluteExpiresAt", "version", "elevated");
        assertThat(view).containsEntry("userId", "alice").containsEntry("elevated", true)
                .containsEntry("createdAt", "2026-01-01T10:00:00Z");
        assertThat(view.get("platform")).isEqualTo(Map.of("id", 1L, "name", "alice@mastodon.social", "type", "mastodon",
                "instanceUrl", "https://mastodon.social"));

        SessionSummary device = manager.activeSessions("alice").get(0);
        Map<String, Object> d = SessionJson.device(device, true);
        assertThat(d).containsOnlyKeys("sessionId", "current", "platform", "createdAt", "lastActivityAt", "expiresAt",
                "device", "ipNetwork");

        for (String rendered : new String[] {view.toString(), d.toString()}) {
            assertThat(rendered)
                    .doesNotContain(s.token().value())
                    .doesNotContain(sessionKey.hex())
                    .doesNotContain(sessionKey.prefix())
                    .doesNotContain(csrfSecret)
                    .doesNotContain(csrfToken)
                    .doesNotContain("plainAttr").doesNotContain("plain-attr-value-9913")
                    .doesNotContain("oauthToken").doesNotContain(SECRET_VALUE);
        }
        assertThat(view.toString()).doesNotContain(ctx.sessionId()).doesNotContain("203.0.113")
                .doesNotContain("Firefox").doesNotContain("Linux");
        assertThat(SessionJson.platform(null)).isNull();
    }

    @Test
    void platformConnectionsHaveTheDocumentedKeysInOrderAndMarkTheCurrentOne() {
        PlatformConnection one = new PlatformConnection(1, "alice", "a@m.social", "mastodon", "https://m.social", true, true);
        PlatformConnection two = new PlatformConnection(2, "alice", "a@p.social", "pixelfed", "https://p.social", false, false);
        Map<String, Object> body = SessionJson.platforms(java.util.List.of(one, two), 2L);
        assertThat(body).containsOnlyKeys("platforms");
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> list = (java.util.List<Map<String, Object>>) body.get("platforms");
        assertThat(list.get(0).keySet()).containsExactly("id", "name", "type", "instanceUrl", "active", "default", "current");
        assertThat(list.get(0)).containsEntry("current", false).containsEntry("default", true).doesNotContainKey("userId");
        assertThat(list.get(1)).containsEntry("current", true).containsEntry("active", false);
        assertThat(SessionJson.platforms(java.util.List.of(one), null).get("platforms").toString())
                .contains("current=false");
    }
}
