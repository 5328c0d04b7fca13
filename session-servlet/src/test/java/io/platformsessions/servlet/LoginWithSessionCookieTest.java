package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signing in while the browser presents a session cookie, its own or one an attacker planted: the
 * login form (its pre-session CSRF token) stays usable on the login path, and a successful login
 * always yields a new session id and ends the presented session, so a planted session is never kept
 * or "donated" to the user who signs in.
 */
class LoginWithSessionCookieTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // the login page is /login, so /login is a login path by default
        server = TestServer.start(b -> b.loginPage("/login"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String sessionId(Browser b) {
        return Json.map(b.get("/session/state", "Accept", "application/json").body()).get("sessionId").toString();
    }

    private static HttpResponse<String> submit(Browser b, String user, String preSessionToken) {
        return b.post("/login", "application/x-www-form-urlencoded", "user=" + user + "&_csrf="
                + Browser.enc(preSessionToken), "Accept", "application/json");
    }

    @Test
    void aPlantedLiveSessionOfAnotherUserIsEndedAndNeverBecomesTheVictims() {
        Browser victim = server.browser();
        String form = victim.get("/login-form").body(); // the login page, before anything was planted
        Browser attacker = server.browser();
        attacker.login("bob");
        String planted = attacker.cookies.get("__Host-psid");
        String bobsId = sessionId(attacker);
        victim.cookies.put("__Host-psid", planted); // cookie tossing, a shared computer, ...
        assertThat(victim.get("/whoami").body()).isEqualTo("bob 4");

        HttpResponse<String> r = submit(victim, "alice", form);
        assertThat(r.statusCode()).as("the login form stays usable: " + r.body()).isEqualTo(200);
        assertThat(victim.cookies.get("__Host-psid")).isNotEqualTo(planted);
        assertThat(victim.get("/whoami").body()).isEqualTo("alice 1");
        assertThat(sessionId(victim)).isNotEqualTo(bobsId);
        // the planted session is ended: the attacker's copy no longer works
        assertThat(attacker.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void signingInOverOnesOwnLiveSessionGivesANewSessionAndEndsTheOldOne() {
        Browser b = server.browser();
        String form = b.get("/login-form").body(); // the login page is open ...
        Browser elsewhere = server.browser();
        elsewhere.login("alice"); // ... while a session of the same user reaches this browser another way
        String first = elsewhere.cookies.get("__Host-psid");
        b.cookies.put("__Host-psid", first);
        String firstId = sessionId(b);
        HttpResponse<String> r = submit(b, "alice", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(sessionId(b)).isNotEqualTo(firstId);
        assertThat(elsewhere.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void thePreSessionTokenCountsOnlyOnTheLoginPath() {
        Browser b = server.browser();
        String form = b.get("/login-form").body();
        b.login("alice");
        assertJsonError(b.post("/echo", "application/x-www-form-urlencoded", "_csrf=" + Browser.enc(form)), 403,
                "CSRF_INVALID");
        assertJsonError(b.post("/logout", "application/x-www-form-urlencoded", "_csrf=" + Browser.enc(form)), 403,
                "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
        // a forged token is refused on the login path too, and the session is untouched
        assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=bob&_csrf=" + "A".repeat(86)),
                403, "CSRF_INVALID");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void explicitLoginPathsReplaceTheDefault() throws Exception {
        try (TestServer other = TestServer.start(b -> b.loginPage("/login").loginPaths("/signin/*"))) {
            Browser b = other.browser();
            String form = b.get("/login-form").body();
            b.login("alice");
            assertJsonError(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf="
                    + Browser.enc(form)), 403, "CSRF_INVALID");
        }
    }
}
