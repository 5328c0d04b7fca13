package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.platformsessions.redis.RedisSessionStore;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo with its sessions in Redis ({@code PS_DEMO_REDIS_URI}), over real HTTP against the shared Redis named
 * by {@code PS_TEST_REDIS_URI}: log in, switch platform, restart the demo (the session outlives it), log out;
 * the session is checked in Redis at every step and never appears in H2. Skipped, loudly, without a Redis.
 * Each test uses its own random key prefix and deletes its keys afterwards.
 */
class DemoRedisHttpTest {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRedisHttpTest.class);
    private static final String REDIS_ENV = "PS_TEST_REDIS_URI";
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    private String redisUri;
    private String prefix;
    private RedisClient admin;
    private RedisCommands<String, String> redis;
    private final List<DemoServer> servers = new ArrayList<>();

    @BeforeEach
    void connect() {
        redisUri = System.getenv(REDIS_ENV);
        if (redisUri == null || redisUri.isBlank()) {
            String message = "SKIPPED: the demo-on-Redis test needs a Redis; set " + REDIS_ENV
                    + " (for example redis://127.0.0.1:6379)";
            LOG.warn(message);
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        prefix = "ps-demo-test-" + HexFormat.of().formatHex(b) + ":";
        admin = RedisClient.create(redisUri);
        StatefulRedisConnection<String, String> c = admin.connect();
        redis = c.sync();
    }

    @AfterEach
    void cleanUp() {
        for (DemoServer s : servers) {
            s.close();
        }
        if (admin != null) {
            try {
                for (String key : keys("")) {
                    redis.del(key);
                }
            } finally {
                admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    private DemoServer startDemo() throws Exception {
        DemoServer s = DemoServer.start(DemoSettings.defaults()
                .withPort(0)
                .withJdbcUrl("jdbc:h2:mem:demo-redis-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withPasswordIterations(PasswordHasher.MIN_ITERATIONS)
                .withRedis(redisUri, prefix));
        servers.add(s);
        return s;
    }

    /** Keys under the test's prefix and {@code under} (SCAN: test code only). */
    private List<String> keys(String under) {
        List<String> out = new ArrayList<>();
        ScanArgs args = ScanArgs.Builder.matches(prefix + under + "*").limit(1_000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, args);
            out.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return out;
    }

    @Test
    void logInSwitchRestartAndLogOutWithTheSessionsInRedis() throws Exception {
        DemoServer first = startDemo();
        assertThat(first.store()).isInstanceOf(RedisSessionStore.class);
        assertThat(((RedisSessionStore) first.store()).keyPrefix()).isEqualTo(prefix);
        assertThat(first.dataDescription()).contains("Redis").contains(prefix).doesNotContain("@")
                .contains("change bus: Redis pub/sub");
        assertThat(first.store().changeBus()).as("several demo nodes on one Redis see each other's changes at once")
                .isPresent();
        Browser browser = new Browser(first.url());

        // log in: one session hash in Redis, in alice's user index, and no session table in H2
        HttpResponse<String> login = browser.login("alice", "alice-demo-password");
        assertThat(login.statusCode()).isEqualTo(303);
        HttpCookie cookie = browser.sessionCookie();
        assertThat(cookie).as("session cookie").isNotNull();
        List<String> sessions = keys("s:");
        assertThat(sessions).hasSize(1);
        String sessionKey = sessions.get(0);
        assertThat(redis.hget(sessionKey, "u")).isEqualTo("alice");
        assertThat(redis.hget(sessionKey, "pn")).isEqualTo("alice@mastodon.social");
        assertThat(redis.pttl(sessionKey)).as("native TTL at the idle timeout")
                .isBetween(Duration.ofMinutes(29).toMillis(), DemoServer.IDLE_TIMEOUT.toMillis());
        assertThat(redis.zcard(prefix + "u:alice")).isEqualTo(1);
        assertThat(sessionKey).doesNotContain(cookie.getValue());
        assertThat(tables(first)).contains("PS_DEMO_ACCOUNT").noneMatch(t -> t.contains("SESSIONS"));

        HttpResponse<String> dashboard = browser.get("", "text/html");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("id=\"current-user\">alice<").contains("alice@mastodon.social");

        // switch platform: the hash in Redis follows
        String csrf = find(META_CSRF, dashboard.body());
        long pixelfed = first.platforms().findByUser("alice").stream()
                .filter(p -> p.type().equals("pixelfed")).findFirst().orElseThrow().id();
        HttpResponse<String> switched = browser.postJson("session/platform", "{\"platformId\":" + pixelfed + "}", csrf);
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(switched.body()).contains("\"name\":\"alice@pixelfed.social\"");
        assertThat(redis.hget(sessionKey, "pn")).isEqualTo("alice@pixelfed.social");
        assertThat(redis.hget(sessionKey, "pt")).isEqualTo("pixelfed");

        // restart the demo (a new JVM-side everything, a fresh H2): the session lives on in Redis
        first.close();
        DemoServer second = startDemo();
        Browser again = new Browser(second.url());
        HttpResponse<String> state = again.getWithCookie("session/state", cookie);
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body()).contains("\"userId\":\"alice\"").contains("alice@pixelfed.social");

        // log out on the new server: the session leaves Redis and its cookie is dead
        HttpResponse<String> page = again.getWithCookie("", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> out = again.postFormWithCookie("session/logout",
                Map.of("_csrf", find(HIDDEN_CSRF, page.body())), cookie);
        assertThat(out.statusCode()).isIn(302, 303);
        assertThat(out.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
        assertThat(keys("s:")).isEmpty();
        assertThat(redis.zcard(prefix + "u:alice")).isZero();
        assertThat(again.getWithCookie("session/state", cookie).statusCode()).isEqualTo(401);
    }

    private static List<String> tables(DemoServer s) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = s.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as("pattern %s in page", p).isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A browser-like client with its own cookie jar, on one demo server. */
    private static final class Browser {
        final String base;
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        /** Without a cookie jar: for requests that carry a given cookie. */
        final HttpClient bare = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        Browser(String base) {
            this.base = base;
        }

        HttpResponse<String> get(String path, String accept) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> getWithCookie(String path, HttpCookie cookie) throws Exception {
            return bare.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Cookie", cookie.getName() + "=" + cookie.getValue())
                    .header("Accept", path.startsWith("session/") ? "application/json" : "text/html")
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
            return http.send(form(path, form).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postFormWithCookie(String path, Map<String, String> form, HttpCookie cookie)
                throws Exception {
            return bare.send(form(path, form).header("Cookie", cookie.getName() + "=" + cookie.getValue()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private HttpRequest.Builder form(String path, Map<String, String> form) {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
            return HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "text/html")
                    .header("Origin", base.substring(0, base.length() - 1))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        }

        HttpResponse<String> postJson(String path, String json, String csrf) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Origin", base.substring(0, base.length() - 1))
                    .header("X-CSRF-Token", csrf)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> login(String user, String password) throws Exception {
            HttpResponse<String> page = get("login", "text/html");
            assertThat(page.statusCode()).isEqualTo(200);
            return postForm("login", Map.of("username", user, "password", password, "_csrf", find(HIDDEN_CSRF, page.body())));
        }

        HttpCookie sessionCookie() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("psid"))
                    .findFirst().orElse(null);
        }
    }
}
