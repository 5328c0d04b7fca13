package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.withSettings;

import io.platformsessions.SessionStoreException;
import io.platformsessions.SessionToken;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * Token guessing from one IP makes the engine refuse every lookup from that IP for the cool-down
 * (THROTTLED). A victim with a valid cookie behind the same IP must not be logged out by that: the
 * filter answers 429 TOO_MANY_REQUESTS with Retry-After and keeps the cookie.
 */
class ThrottlingTest {
    private static final int LIMIT = 3;
    private static final Duration COOLDOWN = Duration.ofSeconds(90);
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(c -> c.maxUnknownTokensPerMinute(LIMIT).unknownTokenCooldown(COOLDOWN), "/",
                b -> b.loginPage("/signin").platformRequiredPaths("/compose"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void guessUntilThrottled() {
        guessUntilThrottled(server);
    }

    private static void guessUntilThrottled(TestServer server) {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i <= LIMIT + 1; i++) {
            Browser attacker = server.browser();
            attacker.cookies.put("__Host-psid", SessionToken.generate(random).value());
            attacker.get("/session/state", "Accept", "application/json");
        }
        Browser probe = server.browser();
        probe.cookies.put("__Host-psid", SessionToken.generate(random).value());
        assertThat(probe.get("/session/state", "Accept", "application/json").statusCode())
                .as("the attacker's IP is cooling down").isEqualTo(429);
    }

    private static void assertThrottled(HttpResponse<String> r) {
        assertJsonError(r, 429, "TOO_MANY_REQUESTS");
        assertThat(r.headers().firstValue("Retry-After")).hasValue(Long.toString(COOLDOWN.toSeconds()));
        assertThat(Browser.setCookies(r)).as("the victim's cookie is not expired").isEmpty();
        assertThat(r.headers().allValues("Clear-Site-Data")).isEmpty();
    }

    @Test
    void victimBehindTheSameIpGets429AndKeepsTheCookieThenWorksAfterTheCoolDown() {
        Browser victim = server.browser();
        victim.login("alice");
        String cookie = victim.cookies.get("__Host-psid");
        String csrf = victim.csrf();
        guessUntilThrottled();

        // JSON endpoints, HTML navigation, a platform-required path, an unsafe request, requireContext()
        assertThrottled(victim.get("/session/state", "Accept", "application/json"));
        assertThrottled(victim.get("/session/state", "Accept", "text/html"));
        assertThrottled(victim.get("/compose", "Accept", "text/html"));
        assertThrottled(victim.get("/require", "Accept", "application/json"));
        assertThrottled(victim.postJson("/session/platform", "{\"platformId\":2}", "X-CSRF-Token", csrf));
        assertThrottled(victim.post("/echo", "application/x-www-form-urlencoded", "a=1", "X-CSRF-Token", csrf));
        assertThat(victim.cookies).containsEntry("__Host-psid", cookie);

        server.clock.advance(COOLDOWN.plusSeconds(1));
        HttpResponse<String> after = victim.get("/session/state", "Accept", "application/json");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(Json.map(after.body())).containsEntry("userId", "alice");
        assertThat(victim.get("/whoami").body()).isEqualTo("alice 1");
    }

    /** Logout is never throttled: the endpoint ends the session by its key (its CSRF token still checked). */
    @Test
    void logoutEndpointEndsTheSessionEvenWhileTheAddressIsCoolingDown() {
        Browser victim = server.browser();
        victim.login("alice");
        String cookie = victim.cookies.get("__Host-psid");
        String csrf = victim.csrf();
        guessUntilThrottled();

        // a forged token is still refused (the session is read by key to check it), and the session lives on
        assertJsonError(victim.post("/session/logout", null, "", "X-CSRF-Token", "A".repeat(86),
                "Accept", "application/json"), 403, "CSRF_INVALID");
        assertThat(victim.cookies).containsEntry("__Host-psid", cookie);

        HttpResponse<String> r = victim.post("/session/logout", null, "", "X-CSRF-Token", csrf, "Accept",
                "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.map(r.body())).containsEntry("loggedOut", true);
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
        assertThat(r.headers().firstValue("Clear-Site-Data")).hasValue("\"cookies\"");

        // after the cool-down the old cookie is dead: the session really ended
        server.clock.advance(COOLDOWN.plusSeconds(1));
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", cookie);
        assertJsonError(replay.get("/session/state", "Accept", "application/json"), 401, "SESSION_INVALID");
    }

    /** The no-JS logout form (urlencoded _csrf field, a browser asking for HTML) works too. */
    @Test
    void logoutFormWhileCoolingDownRedirectsToTheLoginPage() {
        Browser victim = server.browser();
        victim.login("alice");
        String cookie = victim.cookies.get("__Host-psid");
        String csrf = victim.csrf();
        guessUntilThrottled();
        HttpResponse<String> r = victim.post("/session/logout", "application/x-www-form-urlencoded",
                "_csrf=" + Browser.enc(csrf), "Accept", "text/html");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/signin"));
        server.clock.advance(COOLDOWN.plusSeconds(1));
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", cookie);
        assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
    }

    /** PlatformSessions.logout (and HttpSession.invalidate()) with a cookie the filter could not check ends it by key. */
    @Test
    void applicationLogoutWhileCoolingDownEndsThePresentedSession() {
        Browser victim = server.browser();
        victim.login("alice");
        String cookie = victim.cookies.get("__Host-psid");
        guessUntilThrottled();
        HttpResponse<String> r = victim.get("/logout");
        assertThat(r.body()).isEqualTo("logged out");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();

        Browser other = server.browser();
        other.login("bob");
        String bobs = other.cookies.get("__Host-psid");
        assertThat(other.get("/session-facade?op=invalidate-placeholder").body()).isEqualTo("invalidated");

        server.clock.advance(COOLDOWN.plusSeconds(1));
        for (String dead : new String[] {cookie, bobs}) {
            Browser replay = server.browser();
            replay.cookies.put("__Host-psid", dead);
            assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
        }
    }

    /** When the store cannot end the session, the browser is not told it logged out: 503, cookie kept. */
    @Test
    void applicationLogoutWhileCoolingDownWithTheStoreDownIs503AndKeepsTheCookie() throws Exception {
        InMemorySessionStore memory = new InMemorySessionStore();
        SessionStore store = mock(SessionStore.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(memory)));
        try (TestServer failing = TestServer.start(store,
                c -> c.maxUnknownTokensPerMinute(LIMIT).unknownTokenCooldown(COOLDOWN).cacheEnabled(false),
                b -> b.retryAfterSeconds(7))) {
            Browser victim = failing.browser();
            victim.login("alice");
            String cookie = victim.cookies.get("__Host-psid");
            guessUntilThrottled(failing);
            doThrow(SessionStoreException.transientFailure("db down", null)).when(store).find(any());
            HttpResponse<String> r = victim.get("/logout");
            assertJsonError(r, 503, "STORE_UNAVAILABLE");
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(r.headers().allValues("Clear-Site-Data")).isEmpty();
            assertThat(victim.cookies).containsEntry("__Host-psid", cookie);
            reset(store);
            assertThat(victim.get("/logout").body()).isEqualTo("logged out");
            failing.clock.advance(COOLDOWN.plusSeconds(1));
            Browser replay = failing.browser();
            replay.cookies.put("__Host-psid", cookie);
            assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
        }
    }

    /** Signing in while the presented cookie cannot be checked still ends that session (by its key). */
    @Test
    void loginWhileCoolingDownEndsThePresentedSession() {
        Browser victim = server.browser();
        victim.login("alice");
        String cookie = victim.cookies.get("__Host-psid");
        guessUntilThrottled();
        String form = victim.get("/login-form").body(); // the session cannot be checked: a pre-session token
        HttpResponse<String> r = victim.post("/login", "application/x-www-form-urlencoded",
                "user=alice&_csrf=" + Browser.enc(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(victim.cookies.get("__Host-psid")).isNotEqualTo(cookie);
        server.clock.advance(COOLDOWN.plusSeconds(1));
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", cookie);
        assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
        assertThat(victim.get("/whoami").body()).isEqualTo("alice 1");
    }
}
