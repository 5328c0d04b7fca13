package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionToken;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token guessing from one IP makes the engine refuse, for the cool-down, that IP's lookups of tokens the
 * node does not hold (THROTTLED); sessions it holds keep working. A victim with a valid cookie behind the
 * same IP must not be logged out by that: where refused, the filter answers 429 TOO_MANY_REQUESTS with
 * Retry-After and keeps the cookie.
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
        assertThat(victim.get("/session/state", "Accept", "application/json").statusCode())
                .as("a session this node holds keeps working").isEqualTo(200);
        server.manager.close(); // empties the cache, as after a restart: now the victim's lookup would reach the store

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
}
