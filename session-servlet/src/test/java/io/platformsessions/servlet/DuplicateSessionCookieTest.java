package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionToken;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session cookie sent twice (cookie tossing: another host of the site planted a second
 * {@code psid} next to the user's own). No lookup uses either value, so logout and login end each
 * well-formed presented session by key; the logout endpoint first checks the CSRF token against one of
 * the live sessions presented.
 */
class DuplicateSessionCookieTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.loginPage("/login-page"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static boolean live(String token) {
        return server.manager.peek(SessionToken.parse(token).key()).isPresent();
    }

    /** A request with exactly this Cookie header (the Browser's own cookies are not sent). */
    private static HttpResponse<String> send(String path, String cookie, String body, String... headers) {
        HttpRequest.Builder r = Browser.of(server.base).request(path).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return Browser.of(server.base).send(r);
    }

    @Test
    void logoutEndsTheUsersSessionAndThePlantedOneOnceTheTokenFitsOneOfThem() {
        Browser victim = server.browser();
        victim.login("alice");
        String own = victim.cookies.get("__Host-psid");
        String csrf = victim.csrf(); // the page was rendered before the second cookie arrived
        Browser attacker = server.browser();
        attacker.login("bob");
        String planted = attacker.cookies.get("__Host-psid");
        String both = "__Host-psid=" + planted + "; __Host-psid=" + own;

        assertJsonError(send("/session/logout", both, "", "Accept", "application/json"), 403, "CSRF_INVALID");
        assertJsonError(send("/session/logout", both, "", "Accept", "application/json", "X-CSRF-Token", "forged"), 403,
                "CSRF_INVALID");
        assertThat(live(own)).isTrue();
        assertThat(live(planted)).isTrue();

        HttpResponse<String> r = send("/session/logout", both, "", "Accept", "application/json", "X-CSRF-Token", csrf);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.map(r.body())).containsEntry("loggedOut", true);
        assertThat(r.headers().firstValue("Clear-Site-Data")).hasValue("\"cookies\"");
        assertThat(Browser.setCookie(r, "__Host-psid").value()).isEmpty();
        assertThat(live(own)).as("the user's own session").isFalse();
        assertThat(live(planted)).as("the planted one").isFalse();
    }

    @Test
    void logoutWithOnlyDeadOrMalformedCopiesIs401AndExpiresTheCookie() {
        String unknown = SessionToken.generate(new java.security.SecureRandom()).value();
        HttpResponse<String> r = send("/session/logout", "__Host-psid=" + unknown + "; __Host-psid=garbage", "",
                "Accept", "application/json", "X-CSRF-Token", "whatever");
        assertJsonError(r, 401, "SESSION_INVALID");
        assertThat(Browser.setCookie(r, "__Host-psid").value()).isEmpty();
    }

    @Test
    void loginOverDuplicatedCookiesEndsEveryPresentedSession() {
        Browser first = server.browser();
        first.login("alice");
        String own = first.cookies.get("__Host-psid");
        Browser other = server.browser();
        other.login("bob");
        String planted = other.cookies.get("__Host-psid");
        Browser form = server.browser();
        String token = form.get("/login-form").body();
        String preSession = form.cookies.get("__Host-psid-csrf");

        HttpResponse<String> r = send("/login", "__Host-psid=" + own + "; __Host-psid=" + planted
                + "; __Host-psid-csrf=" + preSession, "user=carol&_csrf=" + Browser.enc(token),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(live(own)).isFalse();
        assertThat(live(planted)).isFalse();
        SessionKey fresh = SessionToken.parse(Browser.setCookie(r, "__Host-psid").value()).key();
        assertThat(server.manager.peek(fresh).orElseThrow().userId()).isEqualTo("carol");
    }
}
