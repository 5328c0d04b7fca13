package io.platformsessions.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.JdbcPlatformDirectory;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The demo over real HTTP (Tomcat on a random port, java.net.http with explicit cookies): login, platform switch,
 * logout, log out other devices, CSRF, @RequiresPlatform, Actuator. Each test uses fresh browsers and its own
 * sessions; the users and platforms are the demo's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:${random.uuid};DB_CLOSE_DELAY=-1")
class BootDemoHttpTest {
    private static final Pattern PLATFORM_BUTTON = Pattern.compile("data-platform-id=\"(\\d+)\"");

    @LocalServerPort
    int port;

    @Autowired
    SessionManager sessions;

    @Autowired
    JdbcPlatformDirectory platforms;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    private Browser browser() {
        return new Browser(port);
    }

    private long platformId(String user, String type) {
        return platforms.findByUser(user).stream().filter(p -> p.type().equals(type) && p.active()).findFirst()
                .orElseThrow().id();
    }

    @Test
    void formLoginStartsAPlatformSessionWithANewTokenAndSpringSecuritySeesIt() throws Exception {
        Browser b = browser();
        b.cookies.put("psid", "A".repeat(43)); // planted before login: never adopted
        HttpResponse<String> protectedPage = b.page("/compose");
        assertThat(protectedPage.statusCode()).isEqualTo(302);
        assertThat(protectedPage.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> loginPage = b.page("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(Browser.all(Pattern.compile("name=\"(_csrf)\""), loginPage.body())).hasSize(1);
        assertThat(b.cookies).containsKey("psid-csrf"); // the pre-session CSRF cookie, nothing in an HttpSession
        assertThat(loginPage.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("JSESSIONID"));

        HttpResponse<String> login = b.form("/login", Map.of("username", "alice", "password", "alice-demo-password",
                "_csrf", Browser.csrfField(loginPage.body())));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/compose"));
        assertThat(b.cookies.get("psid")).isNotEqualTo("A".repeat(43)).hasSize(43);
        assertThat(b.cookies).doesNotContainKey("psid-csrf").doesNotContainKey("JSESSIONID");

        HttpResponse<String> me = b.json("/api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"alice\"", "ROLE_USER", "PlatformAuthenticationToken",
                "alice@mastodon.social");
        assertThat(sessions.activeSessions("alice")).anyMatch(s -> me.body().contains(s.sessionId()));
        HttpResponse<String> compose = b.page("/compose");
        assertThat(compose.statusCode()).isEqualTo(200);
        assertThat(compose.body()).contains("alice@mastodon.social");
    }

    @Test
    void aWrongPasswordStartsNoSessionAndALoginWithoutTokenIsRefused() throws Exception {
        Browser b = browser();
        HttpResponse<String> wrong = b.login("alice", "not-her-password");
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(b.cookies).doesNotContainKey("psid");

        Browser forged = browser();
        forged.page("/login");
        HttpResponse<String> noToken = forged.form("/login", Map.of("username", "alice", "password", "alice-demo-password"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF_INVALID");
        assertThat(forged.cookies).doesNotContainKey("psid");
    }

    @Test
    void switchingPlatformThroughTheSessionEndpointShowsOnThePages() throws Exception {
        Browser b = browser();
        b.login("alice", "alice-demo-password");
        HttpResponse<String> dashboard = b.page("/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("<script src=\"/session/sync.js\" data-login-url=\"/login\"></script>");
        HttpResponse<String> script = browser().page("/session/sync.js"); // served by the filter, before Spring Security
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("PlatformSessions");
        assertThat(Browser.all(PLATFORM_BUTTON, dashboard.body())).hasSize(3);
        String token = Browser.csrfMeta(dashboard.body());
        long pixelfed = platformId("alice", "pixelfed");

        HttpResponse<String> switched = b.postJson("/session/platform", "{\"platformId\":" + pixelfed + "}", token);
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(switched.body()).contains("alice@pixelfed.social");
        assertThat(b.page("/compose").body()).contains("alice@pixelfed.social");
        assertThat(b.json("/api/me").body()).contains("alice@pixelfed.social");

        long bobs = platformId("bob", "mastodon");
        HttpResponse<String> foreign = b.postJson("/session/platform", "{\"platformId\":" + bobs + "}", token);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).contains("PLATFORM_NOT_FOUND");

        HttpResponse<String> noJs = b.form("/account/platform", Map.of("platformId",
                Long.toString(platformId("alice", "mastodon")), "_csrf", token));
        assertThat(noJs.statusCode()).isEqualTo(302);
        assertThat(b.page("/").body()).contains("Switched to alice@mastodon.social"); // flash attribute, once
        assertThat(b.page("/").body()).doesNotContain("Switched to");
        assertThat(b.page("/compose").body()).contains("alice@mastodon.social");
    }

    @Test
    void logoutEndsThePlatformSessionExpiresTheCookieAndClearsSiteData() throws Exception {
        Browser b = browser();
        b.login("bob", "bob-demo-password");
        String cookie = b.cookies.get("psid");
        String token = Browser.csrfMeta(b.page("/").body());

        HttpResponse<String> logout = b.form("/logout", Map.of("_csrf", token));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?logout"));
        assertThat(logout.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("psid=;") && c.contains("Max-Age=0"));
        assertThat(logout.headers().firstValue("Clear-Site-Data")).contains("\"cookies\"");
        assertThat(sessions.activeSessions("bob")).noneMatch(s -> s.sessionId().isEmpty());

        Browser replay = browser();
        replay.cookies.put("psid", cookie);
        HttpResponse<String> after = replay.page("/");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(b.form("/logout", Map.of()).statusCode()).isEqualTo(403); // logout is CSRF-protected too
    }

    @Test
    void logOutOtherDevicesEndsEveryOtherSessionOfTheUser() throws Exception {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.login("carol", "carol-demo-password");
        phone.login("carol", "carol-demo-password");
        assertThat(phone.page("/").statusCode()).isEqualTo(200);
        String token = Browser.csrfMeta(laptop.page("/").body());

        HttpResponse<String> others = laptop.postJson("/session/logout-others", "", token);
        assertThat(others.statusCode()).isEqualTo(200);
        assertThat(others.body()).contains("\"invalidated\":1");

        assertThat(phone.page("/").statusCode()).isEqualTo(302);
        assertThat(laptop.page("/").statusCode()).isEqualTo(200);

        Browser tablet = browser();
        tablet.login("carol", "carol-demo-password");
        HttpResponse<String> form = laptop.form("/account/logout-others", Map.of("_csrf", token));
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(tablet.page("/").statusCode()).isEqualTo(302);
    }

    @Test
    void csrfIsCheckedOnceByTheFilterOnEveryUnsafeRequest() throws Exception {
        Browser b = browser();
        b.login("alice", "alice-demo-password");
        String token = Browser.csrfMeta(b.page("/").body());

        assertThat(b.form("/compose", Map.of("text", "hello")).statusCode()).isEqualTo(403);
        assertThat(b.form("/compose", Map.of("text", "hello", "_csrf", "x".repeat(86))).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = b.form("/compose", Map.of("text", "hello", "_csrf", token));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("5 characters to alice@mastodon.social");

        HttpResponse<String> crossSite = b.send(b.request("/compose").header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-CSRF-Token", token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("text=x")));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<String> foreignOrigin = b.send(b.request("/compose").header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-CSRF-Token", token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("text=x")));
        assertThat(foreignOrigin.statusCode()).isEqualTo(403);
        assertThat(foreignOrigin.body()).contains("CSRF_INVALID");
    }

    @Test
    void sessionExceptionsFromControllersGetTheFiltersJsonAnswerNotA500() throws Exception {
        Browser b = browser();
        b.login("alice", "alice-demo-password");
        HttpResponse<String> r = b.json("/test/foreign-platform");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"error\":\"PLATFORM_NOT_FOUND\"");
    }

    @Test
    void requiresPlatformAnswersLikeThePlatformRequiredPaths() throws Exception {
        Browser carol = browser();
        carol.login("carol", "carol-demo-password");
        HttpResponse<String> html = carol.page("/compose");
        assertThat(html.statusCode()).isEqualTo(302);
        assertThat(html.headers().firstValue("Location")).contains("/");
        HttpResponse<String> json = carol.json("/compose");
        assertThat(json.statusCode()).isEqualTo(409);
        assertThat(json.body()).isEqualTo("{\"error\":\"PLATFORM_REQUIRED\",\"message\":\"choose a platform connection first\"}");
        assertThat(carol.json("/api/me").body()).contains("\"platform\":null");
    }

    @Test
    void actuatorListsAndEndsSessionsForAdminsOnly() throws Exception {
        Browser alice = browser();
        alice.login("alice", "alice-demo-password");
        assertThat(alice.json("/actuator/platformsessions/alice").statusCode()).isEqualTo(403);

        Browser admin = browser();
        admin.login("admin", "admin-demo-password");
        HttpResponse<String> listed = admin.json("/actuator/platformsessions/alice");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"keyPrefix\"", "\"sessionId\"").doesNotContain(alice.cookies.get("psid"));
        // the library's meters, and the pool measured by Boot's own Hikari binder (the store uses the app's pool)
        assertThat(registry.get("platform.sessions.lookups").tag("outcome", "cache_hit").timer().count()).isPositive();
        assertThat(registry.get("platform.sessions.created").counter().count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.find("hikaricp.connections.active").gauge()).isNotNull();
        HttpResponse<String> health = browser().json("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(admin.json("/actuator/health").body()).contains("platformSessions");

        String token = Browser.csrfMeta(admin.page("/").body());
        HttpResponse<String> ended = admin.send(admin.request("/actuator/platformsessions/alice")
                .header("X-CSRF-Token", token).header("Accept", "application/json").DELETE());
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(alice.page("/").statusCode()).isEqualTo(302);
    }
}
