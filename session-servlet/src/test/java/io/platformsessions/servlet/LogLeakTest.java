package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.withSettings;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.SessionToken;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.StoredAttribute;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * ASVS 16.2.5 over HTTP: what the filter and its error answers log (the WARN lines of a store outage and
 * of a sealed attribute that does not open, and everything else at INFO and above) never contains a
 * session token, a CSRF token or secret, or a secret attribute's value, whatever the cookies sent
 * (valid, malformed, over-long, duplicated, unknown).
 */
@Tag("security")
class LogLeakTest {
    private static final String SECRET_VALUE = "oauth-token-Vh29XkqP01";

    @Test
    void nothingSecretReachesTheLogOnAnyPath() throws Exception {
        InMemorySessionStore memory = new InMemorySessionStore();
        SessionStore store = mock(SessionStore.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(memory)));
        List<String> secrets = new ArrayList<>(List.of(SECRET_VALUE));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestServer server = TestServer.start(store, c -> c.cacheEnabled(false).encryptionKey("k1", new byte[32])
                .secretAttributes("oauthToken").maxUnknownTokensPerMinute(3), b -> b.loginPage("/login-page"))) {
            Browser b = server.browser();
            b.login("alice");
            String token = b.cookies.get("__Host-psid");
            SessionKey key = SessionToken.parse(token).key();
            secrets.add(token);
            secrets.add(memory.find(key).orElseThrow().csrfSecret());
            String csrf = b.csrf();
            secrets.add(csrf);
            server.manager.setAttribute(key, "oauthToken", SECRET_VALUE);
            b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", csrf);
            b.get("/session/devices?activity=false");
            b.get("/read-secret");

            // a secret attribute altered in the store: WARN, 500
            SessionRecord r = memory.find(key).orElseThrow();
            StoredAttribute a = r.attributes().get("oauthToken");
            memory.update(r.withAttributes(r.attributes().with("oauthToken", new StoredAttribute(
                    a.value().substring(0, a.value().length() - 2) + "AA", a.expiresAt(), a.keyId())))
                    .withVersion(r.version() + 1), r.version());
            assertThat(b.get("/read-secret").statusCode()).isEqualTo(500);

            // the store down: WARN, 503
            doThrow(SessionStoreException.transientFailure("db down", null)).when(store).find(any());
            assertThat(b.get("/session/state").statusCode()).isEqualTo(503);
            reset(store);

            // cookies of every shape, each reaching the filter's logging (the duplicate logs alice out)
            for (String cookie : List.of("__Host-psid=" + token + "x", "__Host-psid=" + "A".repeat(300),
                    "__Host-psid=" + token + "; __Host-psid=" + token.substring(1) + "A",
                    "__Host-psid=" + SessionToken.generate(new SecureRandom()).value())) {
                Browser.of(server.base).send(Browser.of(server.base).request("/session/state").header("Cookie", cookie).GET());
                Browser.of(server.base).send(Browser.of(server.base).request("/session/logout").header("Cookie", cookie)
                        .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()));
            }

        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the WARN lines were captured").contains("session store unavailable")
                .contains("could not be opened");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
        }
    }
}
