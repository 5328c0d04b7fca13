package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input over real HTTP: every case gets a clean 4xx, never a 5xx or a stack trace. */
class BadInputTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void assertClean(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 499);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.platformsessions")
                .doesNotContain("at org.eclipse");
    }

    private static Browser alice() {
        Browser b = server.browser();
        b.login("alice");
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "%00%0d%0a"})
    void malformedCookieIsSessionInvalid(String value) {
        Browser b = server.browser();
        b.cookies.put("__Host-psid", value);
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json");
        assertClean(r);
        assertJsonError(r, 401, "SESSION_INVALID");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
        assertThat(b.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void emptyCookieIsNoSession() {
        Browser b = server.browser();
        b.cookies.put("__Host-psid", "");
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json");
        assertClean(r);
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void cookieNamesAreMatchedExactlyAfterTrimming() {
        String valid = alice().cookies.get("__Host-psid");
        for (String header : new String[] {"  __Host-psid =" + valid + " ; theme=dark", "a=1;__Host-psid=" + valid,
            "x__Host-psid=junk; __Host-psid=" + valid + "; __Host-psidx=junk"}) {
            HttpResponse<String> r = Browser.of(server.base).send(server.browser().request("/whoami")
                    .header("Cookie", header));
            assertThat(r.body()).as(header).isEqualTo("alice 1");
        }
        for (String header : new String[] {"x__Host-psid=" + valid, "__Host-psidx=" + valid, "__host-psid=" + valid,
            "__Host-psi=" + valid}) {
            HttpResponse<String> r = Browser.of(server.base).send(server.browser().request("/whoami")
                    .header("Cookie", header));
            assertThat(r.body()).as(header).isEqualTo("anonymous");
        }
    }

    @Test
    void overLongCookieIsRefusedBeforeTheStore() {
        Browser b = server.browser();
        b.cookies.put("__Host-psid", "A".repeat(4000));
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json");
        assertClean(r);
        assertJsonError(r, 401, "SESSION_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void twoSessionCookiesInOneHeaderAreRefusedEvenIfOneIsValid() {
        Browser b = alice();
        String valid = b.cookies.get("__Host-psid");
        HttpResponse<String> r = Browser.of(server.base).send(server.browser().request("/session/state")
                .header("Accept", "application/json")
                .header("Cookie", "__Host-psid=" + valid + "; __Host-psid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertClean(r);
        assertJsonError(r, 401, "SESSION_INVALID");
        // the session itself is untouched
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void twoSessionCookiesInTwoHeadersAreRefused() {
        Browser b = alice();
        String valid = b.cookies.get("__Host-psid");
        HttpResponse<String> r = Browser.of(server.base).send(server.browser().request("/whoami")
                .header("Cookie", "__Host-psid=" + valid).header("Cookie", "__Host-psid=" + valid));
        assertClean(r);
        assertThat(r.body()).isEqualTo("anonymous");
    }

    @Test
    void otherCookiesAreIgnored() {
        Browser b = alice();
        b.cookies.put("psid", "whatever");
        b.cookies.put("theme", "dark");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "[1]", "null", "\"2\"", "{\"platformId\":\"2\"}", "{\"platformId\":\"abc\"}",
            "{\"platformId\":1.5}", "{\"platformId\":1e3}", "{\"platformId\":true}", "{\"platformId\":null}",
            "{\"platformId\":[2]}", "{\"platformId\":{\"id\":2}}", "{\"id\":2}", "{}",
            "{\"platformId\":99999999999999999999999}", "{\"platformId\":2", ""})
    void badSwitchBodiesAre400(String body) {
        Browser b = alice();
        HttpResponse<String> r = b.postJson("/session/platform", body, "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 400, "BAD_REQUEST");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data; boundary=x"})
    void wrongContentTypeIs400(String type) {
        Browser b = alice();
        HttpResponse<String> r = b.post("/session/platform", type, "{\"platformId\":2}", "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 400, "BAD_REQUEST");
        HttpResponse<String> none = b.post("/session/platform", null, "{\"platformId\":2}", "X-CSRF-Token", b.csrf());
        assertJsonError(none, 400, "BAD_REQUEST");
    }

    @Test
    void jsonWithCharsetIsAccepted() {
        Browser b = alice();
        HttpResponse<String> r = b.post("/session/platform", "application/json; charset=UTF-8", "{\"platformId\":2}",
                "X-CSRF-Token", b.csrf());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodyIs400() {
        Browser b = alice();
        String body = "{\"platformId\":2,\"pad\":\"" + "x".repeat(10_000) + "\"}";
        HttpResponse<String> r = b.postJson("/session/platform", body, "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 400, "BAD_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(longs = {999, -1, 4, Long.MAX_VALUE})
    void unknownPlatformIdsAre404(long id) {
        Browser b = alice();
        HttpResponse<String> r = b.postJson("/session/platform", "{\"platformId\":" + id + "}", "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 404, "PLATFORM_NOT_FOUND");
    }

    @Test
    void nonNumericIdInApplicationQueryIsNotA500FromTheFilter() {
        Browser b = alice();
        HttpResponse<String> r = b.postJson("/session/platform", "{\"platformId\":\"../../etc\"}", "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 400, "BAD_REQUEST");
    }

    @Test
    void missingAndForgedCsrfTokens() {
        Browser b = alice();
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}"), 403, "CSRF_INVALID");
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", "forged"), 403, "CSRF_INVALID");
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", "A".repeat(86)), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/echo", "application/x-www-form-urlencoded", "_csrf=%zz%"), 403, "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void crossSiteFetchMetadata() {
        Browser b = alice();
        HttpResponse<String> r = b.post("/session/logout", null, "", "X-CSRF-Token", b.csrf(), "Sec-Fetch-Site", "Cross-Site");
        assertClean(r);
        assertJsonError(r, 403, "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[::1", "javascript:alert(1)", "http://user@127.0.0.1", "file:///etc/passwd", "%%%"})
    void malformedOriginIsRefused(String origin) {
        Browser b = alice();
        HttpResponse<String> r = b.post("/echo", "text/plain", "x", "X-CSRF-Token", b.csrf(), "Origin", origin);
        assertClean(r);
        assertJsonError(r, 403, "CSRF_INVALID");
    }

    @Test
    void hugeRequestHeaderIsA4xx() {
        Browser b = alice();
        HttpResponse<String> r = b.get("/session/state", "Accept", "application/json", "X-Big", "a".repeat(16 * 1024));
        assertClean(r);
        assertThat(r.statusCode()).isIn(400, 413, 431);
        HttpResponse<String> cookie = Browser.of(server.base).send(server.browser().request("/whoami")
                .header("Cookie", "__Host-psid=" + "A".repeat(16 * 1024)));
        assertClean(cookie);
        assertThat(cookie.statusCode()).isIn(400, 413, 431);
        // the server is fine afterwards
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void hugeButAcceptedUserAgentDoesNotBreakLookup() {
        Browser b = alice();
        assertThat(b.get("/whoami", "User-Agent", "Mozilla/5.0 " + "x".repeat(5000)).body()).isEqualTo("alice 1");
    }

    @Test
    void unsupportedMethodsOnEndpointsAre405() {
        Browser b = alice();
        HttpResponse<String> r = b.send(b.request("/session/state").header("X-CSRF-Token", b.csrf())
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertClean(r);
        assertJsonError(r, 405, "METHOD_NOT_ALLOWED");
        HttpResponse<String> put = b.send(b.request("/session/logout").header("X-CSRF-Token", b.csrf())
                .method("PUT", HttpRequest.BodyPublishers.noBody()));
        assertJsonError(put, 405, "METHOD_NOT_ALLOWED");
    }

    /** TRACE would echo the request's headers, the HttpOnly session cookie included: 405 everywhere, before the application. */
    @ParameterizedTest
    @ValueSource(strings = {"/echo", "/session/state", "/session/sync.js", "/no-such-page"})
    void traceIsAnswered405WithoutEchoingTheCookie(String path) {
        Browser b = alice();
        String cookie = b.cookies.get("__Host-psid");
        HttpResponse<String> r = b.send(b.request(path).method("TRACE", HttpRequest.BodyPublishers.noBody()));
        assertJsonError(r, 405, "METHOD_NOT_ALLOWED");
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET")
                .doesNotContain("TRACE"));
        assertThat(r.body()).doesNotContain(cookie).doesNotContain("Cookie");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(b.get("/whoami").body()).as("the session is untouched").isEqualTo("alice 1");
    }

    /** Jetty 12's getContentType() throws for an unknown charset: the filter must never call it. */
    @ParameterizedTest
    @ValueSource(strings = {"bogus", "\"no such\"", "@@", ""})
    void unknownCharsetOnAnonymousFormPostIsACleanCsrfRefusal(String charset) {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        HttpResponse<String> r = b.post("/login", "application/x-www-form-urlencoded; charset=" + charset,
                "user=alice&_csrf=" + Browser.enc(token));
        assertClean(r);
        assertJsonError(r, 403, "CSRF_INVALID");
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "\"no such\"", "@@"})
    void unknownCharsetOnSessionFormPostIsACleanCsrfRefusal(String charset) {
        Browser b = alice();
        HttpResponse<String> r = b.post("/echo", "application/x-www-form-urlencoded;charset=" + charset,
                "_csrf=" + Browser.enc(b.csrf()));
        assertClean(r);
        assertJsonError(r, 403, "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=bogus", "application/json;charset=\"x y\"",
        "application/json; charset=UTF-16", "application/json; charset=@@"})
    void unknownOrNonUtf8CharsetOnSwitchIsBadRequest(String contentType) {
        Browser b = alice();
        HttpResponse<String> r = b.post("/session/platform", contentType, "{\"platformId\":2}", "X-CSRF-Token", b.csrf());
        assertClean(r);
        assertJsonError(r, 400, "BAD_REQUEST");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
        HttpResponse<String> utf8 = b.post("/session/platform", "application/json; charset=\"utf-8\"",
                "{\"platformId\":2}", "X-CSRF-Token", b.csrf());
        assertThat(utf8.statusCode()).as(utf8.body()).isEqualTo(200);
    }
}
