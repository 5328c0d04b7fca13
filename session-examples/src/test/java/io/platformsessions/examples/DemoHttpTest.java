package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.PlatformConnection;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo over real HTTP (embedded Jetty + {@link HttpClient}), no browser needed: login with and
 * without the right password and CSRF token, equal hashing work for every failed login, dashboard
 * content, the composer endpoint (limits, CSRF, Content-Type checks), TRACE refused, 404s, static
 * files, demo data and settings.
 */
class DemoHttpTest {
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    private static DemoServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(DemoSettings.defaults()
                .withPort(0)
                .withJdbcUrl("jdbc:h2:mem:demo-http-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withPasswordIterations(PasswordHasher.MIN_ITERATIONS));
        base = server.url();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A browser-like client with its own cookie jar. */
    private static final class Client {
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> get(String path, String accept) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
            return http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "text/html")
                    .header("Origin", base.substring(0, base.length() - 1))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postJson(String path, String json, String csrf) throws Exception {
            return postJson(http, path, json, csrf);
        }

        /** A JSON body with the given raw Content-Type header, on its own connection. */
        HttpResponse<String> postWithContentType(String path, String contentType, String body, String csrf)
                throws Exception {
            HttpClient alone = HttpClient.newBuilder().cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            return alone.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", contentType)
                    .header("Accept", "application/json")
                    .header("Origin", base.substring(0, base.length() - 1))
                    .header("X-CSRF-Token", csrf)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /**
         * For requests the filter refuses before reading the body: on its own connection, because Jetty
         * may close a connection whose request body was left unread without saying so, and the next
         * request reusing it would then fail.
         */
        HttpResponse<String> postJsonAlone(String path, String json, String csrf) throws Exception {
            HttpClient alone = HttpClient.newBuilder().cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            return postJson(alone, path, json, csrf);
        }

        private HttpResponse<String> postJson(HttpClient client, String path, String json, String csrf) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Origin", base.substring(0, base.length() - 1))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpCookie sessionCookie() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("psid") || c.getName().endsWith("-psid"))
                    .findFirst().orElse(null);
        }

        /** Logs in through the form, as a browser would. */
        HttpResponse<String> login(String user, String password) throws Exception {
            HttpResponse<String> page = get("login", "text/html");
            assertThat(page.statusCode()).isEqualTo(200);
            return postForm("login", Map.of("username", user, "password", password, "_csrf", find(HIDDEN_CSRF, page.body())));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as("pattern %s in page", p).isTrue();
        return m.group(1);
    }

    @Test
    void loginPageHasAFormWithAHiddenCsrfFieldAndSecurityHeaders() throws Exception {
        HttpResponse<String> r = new Client().get("login", "text/html");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("script-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.body()).contains("name=\"username\"").contains("name=\"password\"");
        assertThat(find(HIDDEN_CSRF, r.body())).isNotBlank();
    }

    @Test
    void rightPasswordCreatesASessionAndShowsTheDashboard() throws Exception {
        Client c = new Client();
        HttpResponse<String> r = c.login("alice", "alice-demo-password");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/"));
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(v -> v.contains("psid=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie set: " + r.headers().map()));
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .doesNotContainIgnoringCase("Secure").doesNotContainIgnoringCase("Max-Age");

        HttpResponse<String> dash = c.get("", "text/html");
        assertThat(dash.statusCode()).isEqualTo(200);
        assertThat(dash.body()).contains("id=\"current-user\">alice<")
                .contains("id=\"platform-name\">alice@mastodon.social<")
                .contains("data-type=\"mastodon\"")
                .contains("maxlength=\"500\"")
                .contains("src=\"/session/sync.js\"")
                .contains("id=\"platform-list\"")
                .contains("This device");
        assertThat(dash.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(c.get("session/state", "application/json").statusCode()).isEqualTo(200);
        // the switcher's connections come from the library's endpoint (app.js draws them)
        HttpResponse<String> platforms = c.get("session/platforms?activity=false", "application/json");
        assertThat(platforms.statusCode()).isEqualTo(200);
        assertThat(platforms.body()).contains("alice@mastodon.social").contains("alice@pixelfed.social")
                .contains("alice@mastodon.online").doesNotContain("bob@");
    }

    @Test
    void wrongPasswordShowsTheLoginPageAgainAndCreatesNoSession() throws Exception {
        int before = server.manager().activeSessions("alice").size();
        Client c = new Client();
        HttpResponse<String> r = c.login("alice", "not-the-password");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong username or password").contains("name=\"_csrf\"")
                .contains("value=\"alice\"").doesNotContain("not-the-password");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(v -> v.contains("psid="));
        assertThat(c.sessionCookie()).isNull();
        assertThat(c.get("session/state", "application/json").statusCode()).isEqualTo(401);
        assertThat(server.manager().activeSessions("alice")).hasSize(before);

        HttpResponse<String> unknown = new Client().login("mallory", "alice-demo-password");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("Wrong username or password");
    }

    @Test
    void loginWithoutOrWithAForgedCsrfTokenIsRefused() throws Exception {
        int before = server.manager().activeSessions("bob").size();
        Client c = new Client();
        c.get("login", "text/html");
        HttpResponse<String> none = c.postForm("login", Map.of("username", "bob", "password", "bob-demo-password"));
        assertThat(none.statusCode()).isEqualTo(403);
        HttpResponse<String> forged = c.postForm("login",
                Map.of("username", "bob", "password", "bob-demo-password", "_csrf", "forged-token"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(c.sessionCookie()).isNull();
        assertThat(server.manager().activeSessions("bob")).hasSize(before);
    }

    @Test
    void logoutFormWorksWithoutJavaScriptAndKillsTheCookie() throws Exception {
        Client c = new Client();
        assertThat(c.login("bob", "bob-demo-password").statusCode()).isEqualTo(303);
        HttpCookie cookie = c.sessionCookie();
        assertThat(cookie).isNotNull();
        HttpResponse<String> dash = c.get("", "text/html");
        assertThat(dash.body()).contains("bob@fosstodon.org").contains("id=\"current-user\">bob<");
        assertThat(c.get("login", "text/html").statusCode()).as("signed-in users skip the login page").isEqualTo(302);

        HttpResponse<String> out = c.postForm("session/logout", Map.of("_csrf", find(HIDDEN_CSRF, dash.body())));
        assertThat(out.statusCode()).isIn(302, 303);
        assertThat(out.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
        assertThat(c.get("", "text/html").statusCode()).isEqualTo(302);

        HttpClient replay = HttpClient.newHttpClient();
        HttpResponse<String> state = replay.send(HttpRequest.newBuilder(URI.create(base + "session/state"))
                .header("Cookie", cookie.getName() + "=" + cookie.getValue()).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(state.statusCode()).isEqualTo(401);
    }

    @Test
    void dashboardWithoutASessionRedirectsToLogin() throws Exception {
        HttpResponse<String> r = new Client().get("", "text/html");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
    }

    @Test
    void unknownRoutesGetTheNotFoundPage() throws Exception {
        Client c = new Client();
        for (String path : List.of("nope", "login/extra", "static/missing.css", "static/../pom.xml", "api",
                "%3Cscript%3Ealert(1)%3C/script%3E")) {
            HttpResponse<String> r = c.get(path, "text/html");
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("<script>alert(1)").doesNotContain("at org.eclipse");
        }
        HttpResponse<String> r = c.get("nope", "text/html");
        assertThat(r.body()).contains("Page not found").contains("/nope");
    }

    @Test
    void staticFilesAreServed() throws Exception {
        Client c = new Client();
        HttpResponse<String> css = c.get("static/app.css", "text/css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        HttpResponse<String> js = c.get("static/app.js", "*/*");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("ps:platform-switched");
        HttpResponse<String> sync = c.get("session/sync.js", "*/*");
        assertThat(sync.statusCode()).isEqualTo(200);
    }

    @Test
    void composerEndpointEnforcesThePlatformLimitAndCsrf() throws Exception {
        Client c = new Client();
        assertThat(c.login("alice", "alice-demo-password").statusCode()).isEqualTo(303);
        String csrf = find(META_CSRF, c.get("", "text/html").body());

        assertThat(c.postJsonAlone("api/posts", "{\"text\":\"hello\"}", null).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = c.postJson("api/posts", "{\"text\":\"hello\"}", csrf);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"platform\":\"alice@mastodon.social\"").contains("\"limit\":500");

        String sixHundred = "x".repeat(600);
        HttpResponse<String> tooLong = c.postJson("api/posts", "{\"text\":\"" + sixHundred + "\"}", csrf);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("TOO_LONG");
        assertThat(c.postJson("api/posts", "{not json", csrf).statusCode()).isEqualTo(400);
        assertThat(c.postJson("api/posts", "{\"text\":42}", csrf).statusCode()).isEqualTo(400);

        long pixelfed = server.platforms().findByUser("alice").stream()
                .filter(p -> p.type().equals("pixelfed")).findFirst().orElseThrow().id();
        HttpResponse<String> switched = c.postJson("session/platform", "{\"platformId\":" + pixelfed + "}", csrf);
        assertThat(switched.statusCode()).isEqualTo(200);
        HttpResponse<String> pix = c.postJson("api/posts", "{\"text\":\"" + sixHundred + "\"}", csrf);
        assertThat(pix.statusCode()).isEqualTo(200);
        assertThat(pix.body()).contains("\"limit\":2200").contains("\"length\":600");
        assertThat(c.get("", "text/html").body()).contains("maxlength=\"2200\"");
    }

    @Test
    void composerEndpointAnswersAnUnknownCharsetOrAMalformedContentTypeWithA4xxJsonError() throws Exception {
        Client c = new Client();
        assertThat(c.login("alice", "alice-demo-password").statusCode()).isEqualTo(303);
        String csrf = find(META_CSRF, c.get("", "text/html").body());
        String post = "{\"text\":\"hello\"}";
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("application/json; charset=foo", 415);
        expected.put("application/json; charset=ISO-8859-1", 415);
        expected.put("application/json; charset=\"no such charset\"", 400);
        expected.put("application/json; charset=", 400);
        expected.put("application/json; =utf-8", 400);
        expected.put("application/json; charset=\"utf-8", 400);
        expected.put("application/json; charset=utf-8; charset=foo", 415);
        expected.put("garbage", 415);
        expected.put(";;;", 415);
        expected.put("text/plain; charset=foo", 415);
        expected.put("application/jsonfoo", 415);
        expected.put("application/json" + "; x=y".repeat(60), 400);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            HttpResponse<String> r = c.postWithContentType("api/posts", e.getKey(), post, csrf);
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.headers().firstValue("Content-Type")).as(e.getKey())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.body()).as(e.getKey()).contains(e.getValue() == 415 ? "\"error\":\"UNSUPPORTED_MEDIA_TYPE\""
                    : "\"error\":\"BAD_REQUEST\"").doesNotContain("Exception").doesNotContain("at org.");
        }
        for (String fine : List.of("application/json", "application/json; charset=utf-8", "APPLICATION/JSON;CHARSET=\"UTF-8\"",
                "application/json ; charset=UTF-8 ;")) {
            assertThat(c.postWithContentType("api/posts", fine, post, csrf).statusCode()).as(fine).isEqualTo(200);
        }
    }

    @Test
    void aPostOverTheBodyLimitIs413WithItsOwnCode() throws Exception {
        Client c = new Client();
        assertThat(c.login("alice", "alice-demo-password").statusCode()).isEqualTo(303);
        String csrf = find(META_CSRF, c.get("", "text/html").body());
        HttpResponse<String> r = c.postJson("api/posts", "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}", csrf);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"error\":\"PAYLOAD_TOO_LARGE\"");
    }

    /** The demo has no TRACE handler of its own: the library's filter, mapped to every path, refuses it. */
    @Test
    void traceIsRefusedWith405AndNeverEchoesTheCookie() throws Exception {
        Client c = new Client();
        assertThat(c.login("bob", "bob-demo-password").statusCode()).isEqualTo(303);
        HttpCookie cookie = c.sessionCookie();
        for (String path : List.of("", "login", "session/state", "session/sync.js", "api/posts", "static/app.js",
                "static/", "nope", "nope/deeper?q=1")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Cookie", cookie.getName() + "=" + cookie.getValue())
                    .timeout(Duration.ofSeconds(10))
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(path).contains("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            assertThat(r.body()).as(path).doesNotContain(cookie.getValue()).doesNotContainIgnoringCase("cookie");
        }
        assertThat(c.get("session/state", "application/json").statusCode()).as("the session is untouched").isEqualTo(200);
    }

    @Test
    void everyFailedLoginCostsExactlyOnePasswordHashWhetherOrNotTheUserExists() throws Exception {
        Map<String, Map<String, String>> attempts = new java.util.LinkedHashMap<>();
        attempts.put("known user, wrong password", Map.of("username", "bob", "password", "wrong"));
        attempts.put("unknown user", Map.of("username", "nobody-at-all", "password", "wrong"));
        attempts.put("known user, no password", Map.of("username", "bob"));
        attempts.put("unknown user, no password", Map.of("username", "nobody-at-all"));
        attempts.put("known user, empty password", Map.of("username", "bob", "password", ""));
        attempts.put("blank username", Map.of("username", " ", "password", "wrong"));
        attempts.put("no username", Map.of("password", "wrong"));
        attempts.put("over-long username", Map.of("username", "b".repeat(200), "password", "wrong"));
        for (Map.Entry<String, Map<String, String>> a : attempts.entrySet()) {
            Client c = new Client();
            String csrf = find(HIDDEN_CSRF, c.get("login", "text/html").body());
            Map<String, String> form = new java.util.HashMap<>(a.getValue());
            form.put("_csrf", csrf);
            long before = server.passwordHasher().derivations();
            assertThat(c.postForm("login", form).statusCode()).as(a.getKey()).isEqualTo(401);
            assertThat(server.passwordHasher().derivations() - before).as(a.getKey()).isEqualTo(1);
        }
        server.loginThrottle().succeeded("bob"); // leave bob's budget as it was for the other tests
    }

    @Test
    void inactiveConnectionCannotBeSelected() throws Exception {
        Client c = new Client();
        assertThat(c.login("alice", "alice-demo-password").statusCode()).isEqualTo(303);
        String csrf = find(META_CSRF, c.get("", "text/html").body());
        long inactive = server.platforms().findByUser("alice").stream()
                .filter(p -> !p.active()).findFirst().orElseThrow().id();
        assertThat(c.postJson("session/platform", "{\"platformId\":" + inactive + "}", csrf).statusCode()).isEqualTo(403);
        long bobs = server.platforms().findByUser("bob").get(0).id();
        assertThat(c.postJson("session/platform", "{\"platformId\":" + bobs + "}", csrf).statusCode()).isEqualTo(404);
    }

    @Test
    void demoDataIsAsDocumented() {
        List<PlatformConnection> alice = server.platforms().findByUser("alice");
        assertThat(alice).extracting(PlatformConnection::name, PlatformConnection::type, PlatformConnection::active,
                        PlatformConnection::defaultPlatform)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("alice@mastodon.social", "mastodon", true, true),
                        org.assertj.core.groups.Tuple.tuple("alice@pixelfed.social", "pixelfed", true, false),
                        org.assertj.core.groups.Tuple.tuple("alice@mastodon.online", "mastodon", false, false));
        List<PlatformConnection> bob = server.platforms().findByUser("bob");
        assertThat(bob).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("mastodon");
            assertThat(p.active()).isTrue();
        });
        assertThat(server.accounts().storedHash("alice")).hasValueSatisfying(
                h -> assertThat(h).startsWith("pbkdf2-sha256$").doesNotContain("alice-demo-password"));
        assertThat(server.accounts().storedHash("bob")).hasValueSatisfying(
                h -> assertThat(h).startsWith("pbkdf2-sha256$").doesNotContain("bob-demo-password"));
    }

    @Test
    void settingsReadPortFromTheEnvironment() {
        assertThat(DemoSettings.fromEnvironment(Map.of()).port()).isEqualTo(8080);
        assertThat(DemoSettings.fromEnvironment(Map.of()).host()).isEqualTo("127.0.0.1");
        assertThat(DemoSettings.fromEnvironment(Map.of("PORT", "9090")).port()).isEqualTo(9090);
        assertThat(DemoSettings.fromEnvironment(Map.of("PORT", " 0 ")).port()).isZero();
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of("PORT", "http"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of("PORT", "70000"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoSettings.defaults().withJdbcUrl("jdbc:oracle:thin:@x:1521/y"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsReadTheDatabaseAndTheChangeBusFromTheEnvironment() {
        DemoSettings h2 = DemoSettings.fromEnvironment(Map.of());
        assertThat(h2.jdbcUrl()).isEqualTo(DemoSettings.DEFAULT_JDBC_URL);
        assertThat(h2.tablePrefix()).isEqualTo("ps_");
        assertThat(h2.effectiveChangeBus()).as("one node on H2 in memory").isEqualTo(DemoSettings.ChangeBus.NONE);
        DemoSettings pg = DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV,
                " jdbc:postgresql://db:5432/app?user=app&password=s3cret ", DemoSettings.TABLE_PREFIX_ENV, "demo_"));
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=s3cret");
        assertThat(pg.tablePrefix()).isEqualTo("demo_");
        assertThat(pg.effectiveChangeBus()).isEqualTo(DemoSettings.ChangeBus.POSTGRES);
        assertThat(pg.toString()).contains("jdbc:postgresql://db:5432/app?user=app&password=***").doesNotContain("s3cret");
        assertThat(pg.withPort(0).effectiveChangeBus()).as("copies keep the bus").isEqualTo(DemoSettings.ChangeBus.POSTGRES);
        assertThat(DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV, "jdbc:postgresql://db/app",
                DemoSettings.CHANGE_BUS_ENV, "Polling")).effectiveChangeBus()).isEqualTo(DemoSettings.ChangeBus.POLLING);
        assertThat(DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV, "jdbc:postgresql://db/app",
                DemoSettings.CHANGE_BUS_ENV, "none")).effectiveChangeBus()).isEqualTo(DemoSettings.ChangeBus.NONE);
        assertThat(DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV, "jdbc:mariadb://db:3306/app?user=root"))
                .effectiveChangeBus()).isEqualTo(DemoSettings.ChangeBus.POLLING);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV, "jdbc:mariadb://db/app",
                DemoSettings.CHANGE_BUS_ENV, "postgres"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DemoSettings.CHANGE_BUS_ENV);
        DemoSettings redis = DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, "redis://127.0.0.1:6379"));
        assertThat(redis.effectiveChangeBus()).as("sessions in Redis: the store's own bus").isEqualTo(DemoSettings.ChangeBus.REDIS);
        assertThat(DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, "redis://127.0.0.1:6379",
                DemoSettings.CHANGE_BUS_ENV, "none")).effectiveChangeBus()).isEqualTo(DemoSettings.ChangeBus.NONE);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, "redis://127.0.0.1:6379",
                DemoSettings.CHANGE_BUS_ENV, "polling"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessions are in Redis");
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.CHANGE_BUS_ENV, "redis")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DemoSettings.REDIS_URI_ENV);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.CHANGE_BUS_ENV, "kafka")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DemoSettings.CHANGE_BUS_ENV);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.JDBC_URL_ENV, "postgres://db/app")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DemoSettings.JDBC_URL_ENV);
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.TABLE_PREFIX_ENV, "Demo-")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DemoSettings.TABLE_PREFIX_ENV);
        assertThat(DemoStorage.withoutPassword("jdbc:mariadb://root:pw@db/app")).isEqualTo("jdbc:mariadb://root:***@db/app");
    }

    @Test
    void settingsReadTheRedisOptionFromTheEnvironment() {
        DemoSettings h2 = DemoSettings.fromEnvironment(Map.of());
        assertThat(h2.sessionsInRedis()).isFalse();
        assertThat(h2.redisKeyPrefix()).isEqualTo(DemoSettings.DEFAULT_REDIS_KEY_PREFIX);
        DemoSettings redis = DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, " redis://:s3cret@cache:6379 ",
                DemoSettings.REDIS_KEY_PREFIX_ENV, "shop:"));
        assertThat(redis.sessionsInRedis()).isTrue();
        assertThat(redis.redisUri()).isEqualTo("redis://:s3cret@cache:6379");
        assertThat(redis.redisKeyPrefix()).isEqualTo("shop:");
        assertThat(redis.withPort(0).redisUri()).as("copies keep the Redis option").isEqualTo(redis.redisUri());
        assertThat(redis.toString()).contains("redis://cache:6379").doesNotContain("s3cret");
        assertThat(DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, " ")).sessionsInRedis()).isFalse();
        assertThatThrownBy(() -> DemoSettings.fromEnvironment(Map.of(DemoSettings.REDIS_URI_ENV, "http://cache:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DemoSettings.REDIS_URI_ENV);
        assertThat(server.store()).as("the default keeps the sessions in H2")
                .isInstanceOf(io.platformsessions.jdbc.JdbcSessionStore.class);
        assertThat(server.dataDescription()).contains("H2").doesNotContain("Redis");
    }

    @Test
    void startupBannerShowsTheUrlAndTheDemoAccounts() {
        assertThat(DemoApp.banner(server.url(), server.dataDescription()))
                .contains("http://localhost:" + server.port() + "/")
                .contains("alice").contains("alice-demo-password")
                .contains("bob").contains("bob-demo-password");
    }

    @Test
    void limitsPerPlatformType() {
        assertThat(PlatformLimits.forType("mastodon")).isEqualTo(500);
        assertThat(PlatformLimits.forType("Pixelfed")).isEqualTo(2200);
        assertThat(PlatformLimits.forType("other")).isEqualTo(500);
        assertThat(PlatformLimits.forType(null)).isEqualTo(500);
    }
}
