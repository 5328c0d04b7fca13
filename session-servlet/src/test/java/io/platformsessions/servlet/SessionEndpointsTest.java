package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionToken;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint of the HTTP contract, over real HTTP against embedded Jetty. */
class SessionEndpointsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.loginPage("/login-page"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void assertJsonError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> body = Json.map(r.body());
        assertThat(body).containsEntry("error", code).containsKey("message");
        assertThat(body.keySet()).containsExactly("error", "message");
    }

    @Test
    void stateReturnsClientViewCsrfTokenAndVersion() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Cookie"));
        Map<String, Object> s = Json.map(r.body());
        assertThat(s).containsEntry("userId", "alice").containsEntry("username", "Alice")
                .containsKeys("csrfToken", "version", "sessionId", "expiresAt", "absoluteExpiresAt", "createdAt");
        assertThat(((Map<?, ?>) s.get("platform")).get("id")).isEqualTo(1);
        assertThat(s.get("csrfToken").toString()).hasSize(86);
        // nothing secret: no key, no token, no CSRF secret, no attributes
        String cookie = b.cookies.get("__Host-psid");
        assertThat(r.body()).doesNotContain(cookie).doesNotContain("key").doesNotContain("attributes")
                .doesNotContain("csrfSecret");
    }

    @Test
    void stateWithoutSessionIs401NoSession() {
        assertJsonError(server.browser().get("/session/state", "Accept", "application/json"), 401, "NO_SESSION");
    }

    @Test
    void stateForHtmlBrowserWithoutSessionRedirectsToLogin() {
        HttpResponse<String> r = server.browser().get("/session/state", "Accept", "text/html,application/xhtml+xml");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login-page"));
        // X-Requested-With marks a script even if it accepts HTML
        assertJsonError(server.browser().get("/session/state", "Accept", "text/html", "X-Requested-With", "XMLHttpRequest"),
                401, "NO_SESSION");
    }

    @Test
    void expiredSessionIs401SessionExpiredAndCookieIsCleared() {
        Browser b = server.browser();
        b.login("alice");
        server.clock.advance(Duration.ofHours(13));
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json");
        assertJsonError(r, 401, "SESSION_EXPIRED");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
    }

    @Test
    void switchPlatformReturnsNewState() {
        Browser b = server.browser();
        b.login("alice");
        String csrf = b.csrf();
        HttpResponse<String> r = b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", csrf);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> s = Json.map(r.body());
        assertThat(((Map<?, ?>) s.get("platform")).get("id")).isEqualTo(2);
        assertThat(((Number) s.get("version")).longValue()).isGreaterThan(1);
        assertThat(s).containsKey("csrfToken");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 2");
    }

    @Test
    void switchToUnknownOrOthersPlatformIs404AndIndistinguishable() {
        Browser b = server.browser();
        b.login("alice");
        String csrf = b.csrf();
        HttpResponse<String> unknown = b.postJson("/session/platform", "{\"platformId\":999}", "X-CSRF-Token", csrf);
        HttpResponse<String> bobs = b.postJson("/session/platform", "{\"platformId\":4}", "X-CSRF-Token", csrf);
        HttpResponse<String> zero = b.postJson("/session/platform", "{\"platformId\":0}", "X-CSRF-Token", csrf);
        assertJsonError(unknown, 404, "PLATFORM_NOT_FOUND");
        assertJsonError(bobs, 404, "PLATFORM_NOT_FOUND");
        assertJsonError(zero, 404, "PLATFORM_NOT_FOUND");
        assertThat(bobs.body()).isEqualTo(unknown.body());
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void switchToOwnInactivePlatformIs403() {
        Browser b = server.browser();
        b.login("alice");
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":3}", "X-CSRF-Token", b.csrf()), 403,
                "PLATFORM_FORBIDDEN");
    }

    @Test
    void switchWithoutSessionIs401() {
        assertJsonError(server.browser().postJson("/session/platform", "{\"platformId\":1}"), 401, "NO_SESSION");
    }

    @Test
    void switchWithWrongMethodIs405() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.get("/session/platform", "Accept", "application/json");
        assertJsonError(r, 405, "METHOD_NOT_ALLOWED");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    @SuppressWarnings("unchecked")
    void platformsListsTheUsersConnectionsWithTheCurrentOneMarked() {
        Browser b = server.browser();
        b.login("alice", 2L);
        HttpResponse<String> r = b.get("/session/platforms", "Accept", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        List<Map<String, Object>> platforms = (List<Map<String, Object>>) Json.map(r.body()).get("platforms");
        assertThat(platforms).extracting(p -> p.get("id")).containsExactly(1, 2, 3);
        assertThat(platforms.get(0)).containsExactly(Map.entry("id", 1), Map.entry("name", "alice@mastodon.social"),
                Map.entry("type", "mastodon"), Map.entry("instanceUrl", "https://mastodon.social"),
                Map.entry("active", true), Map.entry("default", true), Map.entry("current", false));
        assertThat(platforms.get(1)).containsEntry("current", true).containsEntry("default", false);
        assertThat(platforms.get(2)).containsEntry("active", false).containsEntry("current", false);
        // only the requester's own connections, nothing about bob's
        assertThat(r.body()).doesNotContain("bob").doesNotContain("\"userId\"");
        // after a switch the marker moves
        b.postJson("/session/platform", "{\"platformId\":1}", "X-CSRF-Token", b.csrf());
        platforms = (List<Map<String, Object>>) Json.map(b.get("/session/platforms").body()).get("platforms");
        assertThat(platforms).filteredOn(p -> Boolean.TRUE.equals(p.get("current"))).extracting(p -> p.get("id"))
                .containsExactly(1);
        // carol has none; without a session 401; only GET/HEAD
        Browser carol = server.browser();
        carol.login("carol");
        assertThat(Json.map(carol.get("/session/platforms").body())).containsEntry("platforms", List.of());
        assertJsonError(server.browser().get("/session/platforms", "Accept", "application/json"), 401, "NO_SESSION");
        assertJsonError(b.post("/session/platforms", null, "", "X-CSRF-Token", b.csrf()), 405, "METHOD_NOT_ALLOWED");
    }

    /**
     * Issue 12 item 10: a page checks the session in the background with {@code activity=false}; that
     * reports the state but records no activity, so the idle timeout still ends an unattended session.
     */
    @Test
    @SuppressWarnings("unchecked")
    void backgroundChecksWithActivityFalseDoNotMoveLastActivityOrExpiry() throws Exception {
        try (TestServer own = TestServer.start()) {
            Browser b = own.browser();
            b.login("alice");
            Map<String, Object> atLogin = Json.map(b.get("/session/state").body());
            SessionKey key = SessionToken.parse(b.cookies.get("__Host-psid")).key();
            String lastActivity = atLogin.get("lastActivityAt").toString();
            String expires = atLogin.get("expiresAt").toString();

            own.clock.advance(Duration.ofMinutes(10)); // far past the touch interval: any read would record activity
            for (String path : List.of("/session/state?activity=false", "/session/devices?activity=false",
                    "/session/platforms?activity=false", "/session/state?x=1&activity=false")) {
                HttpResponse<String> r = b.get(path, "Accept", "application/json");
                assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
                assertThat(own.manager.peek(key).orElseThrow().lastActivityAt()).as(path)
                        .isEqualTo(TestServer.START);
            }
            Map<String, Object> quiet = Json.map(b.get("/session/state?activity=false").body());
            assertThat(quiet).containsEntry("lastActivityAt", lastActivity).containsEntry("expiresAt", expires)
                    .containsKey("csrfToken");
            List<Map<String, Object>> devices = (List<Map<String, Object>>) Json.map(
                    b.get("/session/devices?activity=false").body()).get("devices");
            assertThat(devices).singleElement().satisfies(d -> assertThat(d).containsEntry("lastActivityAt", lastActivity));

            assertJsonError(b.get("/session/state?activity=maybe", "Accept", "application/json"), 400, "BAD_REQUEST");
            assertJsonError(b.get("/session/state?activity=false&activity=false", "Accept", "application/json"), 400,
                    "BAD_REQUEST");
            assertThat(own.manager.peek(key).orElseThrow().lastActivityAt()).as("refused checks count for nothing")
                    .isEqualTo(TestServer.START);

            // the idle timeout still ends the session, however many background checks there were
            own.clock.advance(Duration.ofMinutes(19));
            assertThat(b.get("/session/state?activity=false").statusCode()).isEqualTo(200);
            own.clock.advance(Duration.ofMinutes(1));
            assertJsonError(b.get("/session/state?activity=false", "Accept", "application/json"), 401, "SESSION_EXPIRED");

            // an ordinary read (or activity=true) does count
            Browser c = own.browser();
            c.login("bob");
            own.clock.advance(Duration.ofMinutes(5));
            assertThat(Json.map(c.get("/session/state?activity=true").body()).get("lastActivityAt"))
                    .isEqualTo(own.clock.instant().toString());
        }
    }

    @Test
    void devicesListsSessionsWithCurrentFlaggedAndNoKeys() {
        Browser laptop = server.browser();
        laptop.login("bob");
        Browser phone = server.browser();
        phone.login("bob");
        HttpResponse<String> r = laptop.get("/session/devices", "Accept", "application/json",
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) Json.map(r.body()).get("devices");
        assertThat(devices).hasSizeGreaterThanOrEqualTo(2);
        assertThat(devices).filteredOn(d -> Boolean.TRUE.equals(d.get("current"))).hasSize(1);
        assertThat(devices).allSatisfy(d -> assertThat(d).containsKeys("sessionId", "platform", "createdAt",
                "lastActivityAt", "expiresAt", "device", "ipNetwork").doesNotContainKey("key"));
        String currentId = Json.map(laptop.get("/session/state").body()).get("sessionId").toString();
        assertThat(devices).filteredOn(d -> Boolean.TRUE.equals(d.get("current")))
                .allSatisfy(d -> assertThat(d.get("sessionId")).isEqualTo(currentId));
        assertThat(r.body()).doesNotContain(laptop.cookies.get("__Host-psid")).doesNotContain(phone.cookies.get("__Host-psid"));
        assertJsonError(server.browser().get("/session/devices", "Accept", "application/json"), 401, "NO_SESSION");
    }

    @Test
    void logoutInvalidatesExpiresCookieAndClearsSiteData() {
        Browser b = server.browser();
        b.login("alice");
        String oldCookie = b.cookies.get("__Host-psid");
        HttpResponse<String> r = b.post("/session/logout", null, "", "X-CSRF-Token", b.csrf(), "Accept", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.map(r.body())).containsEntry("loggedOut", true).containsEntry("loginUrl", "/login-page");
        assertThat(r.headers().firstValue("Clear-Site-Data")).hasValue("\"cookies\"");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        SetCookie expired = Browser.setCookie(r, "__Host-psid");
        assertThat(expired.value()).isEmpty();
        assertThat(expired.attr("max-age")).isEqualTo("0");
        assertThat(expired.attr("expires")).contains("1970");
        assertThat(expired.has("secure")).isTrue();
        assertThat(expired.attr("path")).isEqualTo("/");
        // the old token is dead
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", oldCookie);
        assertJsonError(replay.get("/session/state", "Accept", "application/json"), 401, "SESSION_INVALID");
    }

    @Test
    void logoutFromHtmlFormRedirectsToLoginPage() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.post("/session/logout", "application/x-www-form-urlencoded",
                "_csrf=" + Browser.enc(b.csrf()), "Accept", "text/html");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login-page"));
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
    }

    @Test
    void logoutOthersKeepsCurrentOnly() {
        Browser one = server.browser();
        one.login("carol");
        Browser two = server.browser();
        two.login("carol");
        Browser three = server.browser();
        three.login("carol");
        HttpResponse<String> r = one.post("/session/logout-others", null, "", "X-CSRF-Token", one.csrf());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.map(r.body())).containsEntry("invalidated", 2);
        assertThat(one.get("/whoami").body()).isEqualTo("carol none");
        assertThat(two.get("/whoami").body()).isEqualTo("anonymous");
        assertThat(three.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void syncScriptIsServedAsJavaScriptWithCaching() {
        Browser b = server.browser();
        HttpResponse<String> r = b.get("/session/sync.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("max-age="));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.body()).contains("BroadcastChannel", "platform-sessions", "visibilitychange", "ps:state",
                "ps:platform-switched", "ps:expired", "switchPlatform", "X-CSRF-Token", "storage", "data-login-url");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = b.get("/session/sync.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void noJsonpCallbacks() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.get("/session/state?callback=steal&jsonp=steal", "Accept", "*/*");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).startsWith("{").doesNotContain("steal");
    }

    @Test
    void syncScriptIsTheSameForEveryoneAndHoldsNoSessionData() {
        Browser anonymous = server.browser();
        Browser alice = server.browser();
        alice.login("alice");
        String a = anonymous.get("/session/sync.js").body();
        String b = alice.get("/session/sync.js").body();
        assertThat(b).isEqualTo(a).doesNotContain("alice").doesNotContain(alice.cookies.get("__Host-psid"));
    }

    @Test
    void unknownPathUnderPrefixGoesToTheApplication() {
        assertThat(server.browser().get("/session/other").statusCode()).isEqualTo(404);
    }
}
