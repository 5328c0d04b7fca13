package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every CSRF rule: token sources, unsafe methods, pre-session tokens, Fetch Metadata, Origin, exemptions, Vary. */
class CsrfTest {
    static TestServer server;
    static TestServer withOrigins;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.csrfExemptPaths("/webhooks/*"));
        withOrigins = TestServer.start(b -> b.allowedOrigins("https://app.example", "http://localhost:8080"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        withOrigins.close();
    }

    private static Browser alice(TestServer s) {
        Browser b = s.browser();
        b.login("alice");
        return b;
    }

    @Test
    void tokenInHeaderIsAccepted() {
        Browser b = alice(server);
        HttpResponse<String> r = b.post("/echo", "text/plain", "x", "X-CSRF-Token", b.csrf());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok POST");
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin").contains("Sec-Fetch-Site"));
    }

    @Test
    void tokenInUrlEncodedFormFieldIsAccepted() {
        Browser b = alice(server);
        HttpResponse<String> r = b.post("/echo", "application/x-www-form-urlencoded", "a=1&_csrf=" + Browser.enc(b.csrf()));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void formFieldIsNeverTakenFromTheQueryString() {
        Browser b = alice(server);
        String token = Browser.enc(b.csrf());
        String form = "application/x-www-form-urlencoded";
        assertJsonError(b.post("/echo?_csrf=" + token, form, "a=1"), 403, "CSRF_INVALID");
        assertJsonError(b.post("/echo?%5Fcsrf=" + token, form, "a=1"), 403, "CSRF_INVALID");
        assertJsonError(b.post("/echo?x=1&_csrf=" + token, form, ""), 403, "CSRF_INVALID");
        // a query-string _csrf is refused even next to a valid body token (it is ambiguous)
        assertJsonError(b.post("/echo?_csrf=forged", form, "a=1&_csrf=" + token), 403, "CSRF_INVALID");
        // two body tokens are ambiguous too
        assertJsonError(b.post("/echo", form, "_csrf=" + token + "&_csrf=" + token), 403, "CSRF_INVALID");
        // other query parameters are fine
        assertThat(b.post("/echo?page=2", form, "a=1&_csrf=" + token).statusCode()).isEqualTo(200);
    }

    @Test
    void formFieldIsNotReadFromOtherContentTypes() {
        Browser b = alice(server);
        String token = b.csrf();
        assertJsonError(b.post("/echo?_csrf=" + Browser.enc(token), "text/plain", "_csrf=" + Browser.enc(token)), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/echo", "multipart/form-data; boundary=x", "_csrf=" + Browser.enc(token)), 403,
                "CSRF_INVALID");
    }

    @Test
    void missingTokenIsRefusedForEveryUnsafeMethod() {
        Browser b = alice(server);
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            HttpResponse<String> r = b.send(b.request("/echo").method(method, HttpRequest.BodyPublishers.ofString("x")));
            assertJsonError(r, 403, "CSRF_INVALID");
            String token = b.csrf();
            HttpResponse<String> ok = b.send(b.request("/echo").header("X-CSRF-Token", token)
                    .method(method, HttpRequest.BodyPublishers.ofString("x")));
            assertThat(ok.statusCode()).as(method).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok " + method);
        }
    }

    @Test
    void safeMethodsNeedNoToken() {
        Browser b = alice(server);
        assertThat(b.get("/echo").statusCode()).isEqualTo(200);
        assertThat(b.send(b.request("/echo").method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void forgedTokensAreRefused() {
        Browser b = alice(server);
        String good = b.csrf();
        // flip a character in the middle (the last one carries padding bits a lenient decoder ignores)
        char mid = good.charAt(40);
        String flipped = good.substring(0, 40) + (mid == 'A' ? 'B' : 'A') + good.substring(41);
        for (String forged : new String[] {flipped, "x", "", good + "A", "A".repeat(86), "A".repeat(5000), "~".repeat(86)}) {
            assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", forged.isEmpty() ? " " : forged), 403,
                    "CSRF_INVALID");
        }
        // non-ASCII and wrong-alphabet tokens through the form field (a raw non-ASCII header is refused by the
        // container's HTTP parser before any application code runs)
        for (String forged : new String[] {"é".repeat(86), "+/".repeat(43), good.substring(0, 85) + "=", "\u0000".repeat(10)}) {
            assertJsonError(b.post("/echo", "application/x-www-form-urlencoded", "_csrf=" + Browser.enc(forged)), 403,
                    "CSRF_INVALID");
        }
    }

    @Test
    void anotherSessionsTokenIsRefused() {
        Browser a = alice(server);
        Browser other = server.browser();
        other.login("bob");
        assertJsonError(a.post("/echo", "text/plain", "x", "X-CSRF-Token", other.csrf()), 403, "CSRF_INVALID");
    }

    @Test
    void tokenFromBeforeLoginIsDeadAfterLogin() {
        Browser b = server.browser();
        String preSession = b.get("/login-form").body();
        b.login("alice");
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", preSession), 403, "CSRF_INVALID");
    }

    @Test
    void tokenDiesWhenSessionRotates() {
        Browser b = alice(server);
        String before = b.csrf();
        assertThat(b.get("/session-facade?op=rotate").statusCode()).isEqualTo(200);
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", before), 403, "CSRF_INVALID");
        assertThat(b.post("/echo", "text/plain", "x", "X-CSRF-Token", b.csrf()).statusCode()).isEqualTo(200);
    }

    @Test
    void preSessionLoginCsrfNeedsCookieAndMatchingToken() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        // no token
        assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=alice"), 403, "CSRF_INVALID");
        // token without its cookie (attacker's page cannot send the victim's cookie value it does not know)
        Browser victim = server.browser();
        assertJsonError(victim.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token)),
                403, "CSRF_INVALID");
        // attacker's own cookie + token pair does not fit another browser's cookie
        Browser attacker = server.browser();
        String attackerToken = attacker.get("/login-form").body();
        assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(attackerToken)),
                403, "CSRF_INVALID");
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
        // the right pair works
        assertThat(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aCsrfExceptionFromTheApplicationIsA403() {
        Browser b = alice(server);
        assertJsonError(b.get("/app-checks-csrf?token=forged"), 403, "CSRF_INVALID");
        HttpResponse<String> ok = b.get("/app-checks-csrf?token=" + Browser.enc(b.csrf()));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("token ok");
    }

    @Test
    void nonCanonicalSpellingOfAPreSessionTokenIsRefused() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        char last = token.charAt(token.length() - 1);
        // the same 64 bytes with unused low bits set in the last character (the JDK decoder ignores them)
        String otherSpelling = token.substring(0, token.length() - 1) + (char) (last + 1);
        assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf="
                + Browser.enc(otherSpelling)), 403, "CSRF_INVALID");
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
        assertThat(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void malformedPreSessionCookieIsRefused() {
        Browser b = server.browser();
        b.cookies.put("__Host-psid-csrf", "not-a-secret");
        assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + "A".repeat(86)), 403,
                "CSRF_INVALID");
    }

    @Test
    void crossSiteFetchMetadataIsRefusedEvenWithAValidToken() {
        Browser b = alice(server);
        String token = b.csrf();
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site"), 403,
                "CSRF_INVALID");
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", token, "Sec-Fetch-Site",
                "cross-site"), 403, "CSRF_INVALID");
        assertThat(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Sec-Fetch-Site", "same-origin").statusCode())
                .isEqualTo(200);
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void foreignOriginIsRefusedOwnOriginAccepted() {
        Browser b = alice(server);
        String token = b.csrf();
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", "https://evil.example"), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", "null"), 403, "CSRF_INVALID");
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", "http://127.0.0.1:1"), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/session/logout", null, "", "X-CSRF-Token", token, "Origin", "https://evil.example"), 403,
                "CSRF_INVALID");
        assertThat(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", server.origin()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void configuredOriginsReplaceTheDefault() {
        Browser b = alice(withOrigins);
        String token = b.csrf();
        assertThat(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", "https://app.example").statusCode())
                .isEqualTo(200);
        assertThat(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", "http://LOCALHOST:8080").statusCode())
                .isEqualTo(200);
        assertJsonError(b.post("/echo", "text/plain", "x", "X-CSRF-Token", token, "Origin", withOrigins.origin()), 403,
                "CSRF_INVALID");
    }

    @Test
    void exemptPathsSkipCsrfButSessionEndpointsNever() {
        Browser anonymous = server.browser();
        HttpResponse<String> hook = anonymous.post("/webhooks/hook", "application/json", "{}", "Sec-Fetch-Site", "cross-site");
        assertThat(hook.statusCode()).isEqualTo(200);
        assertThat(hook.body()).isEqualTo("hook ok");
        Browser b = alice(server);
        assertJsonError(b.postJson("/session/platform", "{\"platformId\":2}"), 403, "CSRF_INVALID");
        assertJsonError(b.post("/session/logout", null, ""), 403, "CSRF_INVALID");
        assertJsonError(b.post("/session/logout-others", null, ""), 403, "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void exemptPathsStillRefuseCrossSiteRequestsThatCarryTheSessionCookie() {
        Browser b = alice(server);
        assertJsonError(b.post("/webhooks/hook", "application/json", "{}", "Sec-Fetch-Site", "cross-site"), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/webhooks/hook", "application/json", "{}", "Origin", "https://evil.example"), 403,
                "CSRF_INVALID");
        // no token needed when the provenance is fine
        HttpResponse<String> same = b.post("/webhooks/hook", "application/json", "{}", "Sec-Fetch-Site", "same-origin",
                "Origin", server.origin());
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(b.post("/webhooks/hook", "application/json", "{}").body()).isEqualTo("hook ok");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    /**
     * An exempt path does not get the user's session unless the application opts in: a request from a
     * client that sends neither Origin nor Fetch Metadata would otherwise act in the session with no
     * CSRF check at all (security review 12e).
     */
    @Test
    void exemptPathsDoNotGetTheSessionUnlessTheApplicationOptsIn() throws Exception {
        Browser b = alice(server);
        HttpResponse<String> post = b.post("/webhooks/whoami", "application/json", "{}");
        assertThat(post.body()).isEqualTo("anonymous requested=null");
        assertThat(b.get("/webhooks/whoami").body()).isEqualTo("anonymous requested=null");
        // no session there is not a dead cookie: it is never expired on an exempt path
        HttpResponse<String> required = b.get("/webhooks/require", "Accept", "application/json");
        assertJsonError(required, 401, "NO_SESSION");
        assertThat(required.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");

        try (TestServer optIn = TestServer.start(o -> o.csrfExemptPaths("/webhooks/*")
                .csrfExemptPathsWithSession("/webhooks/return"))) {
            Browser c = alice(optIn);
            assertThat(c.post("/webhooks/return", "application/json", "{}").body()).startsWith("alice 1 requested=");
            assertThat(c.post("/webhooks/whoami", "application/json", "{}").body()).isEqualTo("anonymous requested=null");
            // the opted-in path is exempt too, and keeps the provenance checks
            assertJsonError(c.post("/webhooks/return", "application/json", "{}", "Sec-Fetch-Site", "cross-site"), 403,
                    "CSRF_INVALID");
        }
    }

    /** Logout on an exempt path still ends the session the cookie names, though the filter did not look it up. */
    @Test
    void logoutOnAnExemptPathEndsThePresentedSession() throws Exception {
        try (TestServer s = TestServer.start(o -> o.csrfExemptPaths("/logout"))) {
            Browser b = alice(s);
            String cookie = b.cookies.get("__Host-psid");
            assertThat(b.post("/logout", null, "").body()).isEqualTo("logged out");
            Browser replay = s.browser();
            replay.cookies.put("__Host-psid", cookie);
            assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
        }
    }
}
