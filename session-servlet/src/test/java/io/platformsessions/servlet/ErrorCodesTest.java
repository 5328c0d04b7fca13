package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.withSettings;

import io.platformsessions.AccessLevel;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionToken;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.time.Duration;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * One code, one status: the codes that once shared BAD_REQUEST are sent with their own status over
 * HTTP, and the error table in docs/servlet.md lists every code with exactly {@link ErrorCode#status()}.
 */
class ErrorCodesTest {

    @Test
    void loginOfAnUnknownUserIs403UserInvalid() throws Exception {
        try (TestServer server = TestServer.start()) {
            Browser b = server.browser();
            String token = b.get("/login-form").body();
            assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=mallory&_csrf=" + Browser.enc(token)),
                    403, "USER_INVALID");
        }
    }

    @Test
    void loginAboveTheLimitUnderRefuseIs429SessionLimit() throws Exception {
        try (TestServer server = TestServer.start(c -> c.maxSessionsPerUser(1)
                .limitPolicy(SessionConfig.LimitPolicy.REFUSE), "/", b -> b)) {
            server.browser().login("alice");
            Browser second = server.browser();
            String token = second.get("/login-form").body();
            HttpResponse<String> r = second.post("/login", "application/x-www-form-urlencoded",
                    "user=alice&_csrf=" + Browser.enc(token));
            assertJsonError(r, 429, "SESSION_LIMIT");
            assertThat(r.headers().firstValue("Retry-After")).as("waiting does not help").isEmpty();
            assertThat(second.cookies).doesNotContainKey("__Host-psid");
        }
    }

    @Test
    void aSwitchThatLosesEveryCompareAndSetIs409ConcurrentUpdate() throws Exception {
        InMemorySessionStore memory = new InMemorySessionStore();
        SessionStore store = mock(SessionStore.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(memory)));
        try (TestServer server = TestServer.start(store, b -> b)) {
            Browser b = server.browser();
            b.login("alice");
            String csrf = b.csrf();
            doReturn(false).when(store).update(any(), anyLong());
            assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", csrf), 409,
                    "CONCURRENT_UPDATE");
            reset(store);
            assertThat(b.cookies).containsKey("__Host-psid");
            assertThat(b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", csrf).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void anOperationThatNeedsElevationIs403ElevationRequiredAndTheSessionLivesOn() throws Exception {
        try (TestServer server = TestServer.start()) {
            Browser b = server.browser();
            b.login("alice");
            assertJsonError(b.get("/admin-only", "Accept", "text/html"), 403, "ELEVATION_REQUIRED");
            assertThat(b.cookies).containsKey("__Host-psid");
            SessionKey key = SessionToken.parse(b.cookies.get("__Host-psid")).key();
            server.manager.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(5));
            assertThat(b.get("/admin-only").body()).isEqualTo("admin ok");
        }
    }

    /** A sealed attribute that does not open is the operator's problem: 500 INTERNAL_ERROR, no details, a WARN line. */
    @Test
    void aSecretAttributeThatDoesNotOpenIs500InternalErrorWithoutDetails() throws Exception {
        String secret = "oauth-token-Q81xv0LmP";
        try (TestServer server = TestServer.start(c -> c.cacheEnabled(false).encryptionKey("k1", new byte[32])
                .secretAttributes("oauthToken"), "/", b -> b)) {
            Browser b = server.browser();
            b.login("alice");
            SessionKey key = SessionToken.parse(b.cookies.get("__Host-psid")).key();
            server.manager.setAttribute(key, "oauthToken", secret);
            assertThat(b.get("/read-secret").body()).isEqualTo(secret);

            SessionRecord r = server.memoryStore.find(key).orElseThrow();
            StoredAttribute a = r.attributes().get("oauthToken");
            String altered = a.value().substring(0, a.value().length() - 2) + (a.value().endsWith("AA") ? "BB" : "AA");
            assertThat(server.memoryStore.update(r.withAttributes(r.attributes().with("oauthToken",
                    new StoredAttribute(altered, a.expiresAt(), a.keyId()))).withVersion(r.version() + 1), r.version()))
                    .isTrue();
            HttpResponse<String> failed = b.get("/read-secret", "Accept", "application/json");
            assertJsonError(failed, 500, "INTERNAL_ERROR");
            assertThat(failed.body()).doesNotContain("oauthToken").doesNotContain("Sealed").doesNotContain(altered)
                    .doesNotContain(secret);
            assertThat(b.cookies).as("not a logout").containsKey("__Host-psid");
            assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
        }
    }

    @Test
    void theDocumentedErrorTableMatchesTheEnum() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "servlet.md"), StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("### Error codes"));
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| (\\d{3})").matcher(table);
        Map<ErrorCode, Integer> documented = new EnumMap<>(ErrorCode.class);
        while (row.find()) {
            documented.put(ErrorCode.valueOf(row.group(1)), Integer.parseInt(row.group(2)));
        }
        Map<ErrorCode, Integer> actual = new EnumMap<>(ErrorCode.class);
        for (ErrorCode c : ErrorCode.values()) {
            actual.put(c, c.status());
        }
        assertThat(documented).isEqualTo(actual);
    }
}
