package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sync.js, served by the filter, in simulated tabs under Node.js (vm contexts with real fetch
 * against this server): a platform switch in one tab reaches the other (BroadcastChannel, and the
 * localStorage fallback), a visible-again tab re-checks /session/state, and logout in one tab sends
 * both to the login page. Skipped, with a warning, when no {@code node} (18+) is on the PATH.
 */
class SyncScriptTest {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScriptTest.class);
    static TestServer server;
    static Path harness;
    static Path stubbed;
    static Path quiet;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.loginPage("/login-page"));
        harness = copy("sync-harness.cjs");
        stubbed = copy("sync-stubbed.cjs");
        quiet = copy("sync-quiet.cjs");
    }

    private static Path copy(String resource) throws IOException {
        Path file = Files.createTempFile(resource.replace(".cjs", ""), ".cjs");
        try (InputStream in = SyncScriptTest.class.getResourceAsStream(resource)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Files.deleteIfExists(harness);
        Files.deleteIfExists(stubbed);
        Files.deleteIfExists(quiet);
    }

    private static void requireNode() {
        boolean node = nodeAvailable();
        if (!node) {
            LOG.warn("SKIPPING sync.js test: install Node.js 18+ (the 'node' command) to run it");
        }
        assumeTrue(node, "sync.js tests need Node.js 18+ ('node' on the PATH)");
    }

    /** Runs a harness and returns the JSON of its last output line. */
    private static Map<String, Object> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Map<String, Object> r = Json.map(out.substring(out.lastIndexOf('\n') + 1));
        assertThat(r).as(out).doesNotContainKey("error");
        return r;
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "-e", "process.exit(typeof fetch === 'function' && "
                    + "typeof BroadcastChannel === 'function' && typeof CustomEvent === 'function' ? 0 : 3)")
                    .redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"broadcast", "storage"})
    @SuppressWarnings("unchecked")
    void tabsStayInStep(String mode) throws Exception {
        requireNode();
        Browser b = server.browser();
        b.login("alice");
        String cookie = "__Host-psid=" + b.cookies.get("__Host-psid");
        Map<String, Object> r = run("node", harness.toString(), server.base.toString(), cookie, mode);
        assertThat(r).containsEntry("initialPlatformA", 1).containsEntry("switchResult", 2).containsEntry("bCurrent", 2)
                .containsEntry("otherSwitchStatus", 200).containsEntry("bAfterVisible", 1)
                .containsEntry("foreignSwitch", "PLATFORM_NOT_FOUND 404")
                .containsEntry("platforms", List.of("1*d", "2", "3-"))
                .containsEntry("platformsWithoutSession", "NO_SESSION 401")
                .containsEntry("foreignMessageEvents", 0).containsEntry("foreignMessageNavigation", null)
                .containsEntry("aLocation", "/login-page").containsEntry("bLocation", "/login-page")
                // a re-login/rotation in another tab made tab a's cached CSRF token stale: it recovers
                .containsEntry("rotateStatus", 200).containsEntry("cookieChanged", true)
                .containsEntry("rotatedSwitch", 2).containsEntry("aTokenRenewed", true)
                .containsEntry("rotatedLogoutOthers", 0).containsEntry("afterLogoutStatus", 401)
                // a tab without a session hears of the logout but is not sent to the login page
                .containsEntry("cState", null).containsEntry("cLocation", null);
        assertThat((List<Object>) r.get("aSwitched")).containsExactly((Object) 2);
        assertThat((List<Object>) r.get("bSwitched")).startsWith((Object) 2);
        assertThat((List<Object>) r.get("aExpired")).containsExactly((Object) "logout");
        assertThat((List<Object>) r.get("bExpired")).containsExactly((Object) "logout");
        // the logout really ended the session on the server
        assertJsonError(b.get("/session/state", "Accept", "application/json"), 401, "SESSION_INVALID");
    }

    /**
     * Issue 12 item 10: the script's own checks (load, visibilitychange, pageshow, check(), a background
     * platforms list) are background checks that do not count as activity, so a tab left open does not
     * keep the session alive; state() and platforms() without options do count.
     */
    @Test
    @SuppressWarnings("unchecked")
    void backgroundChecksDoNotCountAsActivity() throws Exception {
        requireNode();
        try (TestServer own = TestServer.start(b -> b.loginPage("/login-page"))) {
            Browser b = own.browser();
            b.login("alice");
            String cookie = "__Host-psid=" + b.cookies.get("__Host-psid");
            SessionKey key = SessionToken.parse(b.cookies.get("__Host-psid")).key();
            own.clock.advance(Duration.ofMinutes(10)); // past the touch interval: any counted read would move it

            Map<String, Object> r = run("node", quiet.toString(), own.base.toString(), cookie, "quiet");
            assertThat(r).containsEntry("states", 4).containsEntry("platforms", 3).containsEntry("location", null);
            assertThat((List<String>) r.get("fetched")).containsExactly("/session/state?activity=false",
                    "/session/state?activity=false", "/session/state?activity=false", "/session/state?activity=false",
                    "/session/platforms?activity=false");
            assertThat(own.manager.peek(key).orElseThrow().lastActivityAt()).isEqualTo(TestServer.START);

            Map<String, Object> active = run("node", quiet.toString(), own.base.toString(), cookie, "active");
            assertThat((List<String>) active.get("fetched")).endsWith("/session/state", "/session/platforms");
            assertThat(own.manager.peek(key).orElseThrow().lastActivityAt()).isEqualTo(own.clock.instant());
        }
    }

    /**
     * The error codes sync.js can meet, with canned answers: CONCURRENT_UPDATE is retried once;
     * TOO_MANY_REQUESTS, STORE_UNAVAILABLE, INTERNAL_ERROR, METHOD_NOT_ALLOWED and ELEVATION_REQUIRED reject
     * with the code (and Retry-After) and never end the session in the tab.
     */
    @Test
    void errorCodesRejectWithTheirCodeAndNeverEndTheSession() throws Exception {
        requireNode();
        Map<String, Object> r = run("node", stubbed.toString(), server.base.toString());
        assertThat(r).containsEntry("initial", 1).containsEntry("concurrentRetried", 2).containsEntry("concurrentPosts", 2)
                .containsEntry("concurrentTwicePosts", 2).containsEntry("stillCurrent", 2)
                .containsEntry("navigation", null).containsEntry("lastToken", "t2");
        assertThat(r.get("concurrentTwice")).isEqualTo(Map.of("ok", false, "code", "CONCURRENT_UPDATE", "status", 409));
        assertThat(r.get("throttledSwitch"))
                .isEqualTo(Map.of("ok", false, "code", "TOO_MANY_REQUESTS", "status", 429, "retryAfter", 300));
        assertThat(r.get("logoutStoreDown"))
                .isEqualTo(Map.of("ok", false, "code", "STORE_UNAVAILABLE", "status", 503, "retryAfter", 5));
        assertThat(r.get("logoutThrottled"))
                .isEqualTo(Map.of("ok", false, "code", "TOO_MANY_REQUESTS", "status", 429, "retryAfter", 300));
        assertThat(r.get("stateStoreDown"))
                .isEqualTo(Map.of("ok", false, "code", "STORE_UNAVAILABLE", "status", 503, "retryAfter", 5));
        assertThat(r.get("internalError")).isEqualTo(Map.of("ok", false, "code", "INTERNAL_ERROR", "status", 500));
        assertThat(r.get("methodNotAllowed")).isEqualTo(Map.of("ok", false, "code", "METHOD_NOT_ALLOWED", "status", 405));
        assertThat(r.get("elevationRequired")).isEqualTo(Map.of("ok", false, "code", "ELEVATION_REQUIRED", "status", 403));
        assertThat(r).containsEntry("elevationPosts", 1).containsEntry("afterElevation", 2);
        assertThat((List<?>) r.get("expiredEvents")).isEmpty();
    }
}
