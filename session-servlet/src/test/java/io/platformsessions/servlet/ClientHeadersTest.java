package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.Limits;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over-long client headers are cut to {@link Limits#MAX_CLIENT_HEADER_LENGTH}, not dropped: the session
 * still knows the browser it was created in (device list), and the request is served normally.
 */
class ClientHeadersTest {
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> currentDevice(Browser b) {
        HttpResponse<String> r = b.get("/session/devices", "Accept", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> devices = (List<Map<String, Object>>) Json.map(r.body()).get("devices");
        return devices.stream().filter(d -> Boolean.TRUE.equals(d.get("current"))).findFirst().orElseThrow();
    }

    private static void loginWith(Browser b, String userAgent) {
        String token = b.get("/login-form", "User-Agent", userAgent).body();
        HttpResponse<String> r = b.post("/login", "application/x-www-form-urlencoded",
                "user=alice&_csrf=" + Browser.enc(token), "User-Agent", userAgent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void anOverLongUserAgentIsCutNotDropped() {
        String longUa = FIREFOX_LINUX + " " + "x".repeat(2 * Limits.MAX_CLIENT_HEADER_LENGTH);
        Browser b = server.browser();
        loginWith(b, longUa);
        assertThat(currentDevice(b).get("device")).isEqualTo("Firefox on Linux");
    }

    @Test
    void aUserAgentOfExactlyTheLimitIsReadWhole() {
        // the browser token sits at the very end: only a reader that keeps all 512 characters sees it
        String tail = " Firefox/128.0";
        String ua = "Mozilla/5.0 (X11; Linux x86_64) " + "y".repeat(Limits.MAX_CLIENT_HEADER_LENGTH - 32 - tail.length()) + tail;
        assertThat(ua).hasSize(Limits.MAX_CLIENT_HEADER_LENGTH);
        Browser b = server.browser();
        loginWith(b, ua);
        assertThat(currentDevice(b).get("device")).isEqualTo("Firefox on Linux");
    }
}
