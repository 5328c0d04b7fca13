package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionToken;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP (the test client connects from 127.0.0.1): with the loopback address as a trusted
 * proxy, the client address comes from X-Forwarded-For, so clients behind one proxy are counted and
 * bound separately; without the option the header is ignored.
 */
class TrustedProxyTest {
    private static final int LIMIT = 3;

    @SuppressWarnings("unchecked")
    private static String ipNetwork(Browser b, String forwardedFor) {
        List<Map<String, Object>> devices = (List<Map<String, Object>>) Json.map(b.get("/session/devices",
                "Accept", "application/json", "X-Forwarded-For", forwardedFor).body()).get("devices");
        return devices.stream().filter(d -> Boolean.TRUE.equals(d.get("current"))).findFirst().orElseThrow()
                .get("ipNetwork").toString();
    }

    private static void loginFrom(Browser b, String user, String forwardedFor) {
        String token = b.get("/login-form", "X-Forwarded-For", forwardedFor).body();
        assertThat(b.post("/login", "application/x-www-form-urlencoded", "user=" + user + "&_csrf=" + Browser.enc(token),
                "X-Forwarded-For", forwardedFor).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
        try (TestServer server = TestServer.start()) {
            Browser b = server.browser();
            loginFrom(b, "alice", "198.51.100.7");
            assertThat(ipNetwork(b, "198.51.100.7")).isEqualTo("127.0.0.0/24");
        }
    }

    @Test
    void aTrustedProxysHeaderNamesTheClient() throws Exception {
        try (TestServer server = TestServer.start(b -> b.trustedProxies("127.0.0.1", "10.0.0.0/8"))) {
            Browser b = server.browser();
            // the left-most entry was written by the client itself and is ignored
            loginFrom(b, "alice", "6.6.6.6, 198.51.100.7, 10.1.2.3");
            assertThat(ipNetwork(b, "198.51.100.7")).isEqualTo("198.51.100.0/24");
            Browser malformed = server.browser();
            loginFrom(malformed, "bob", "not-an-address");
            assertThat(ipNetwork(malformed, "not-an-address")).isEqualTo("127.0.0.0/24");
        }
    }

    @Test
    void theForwardedHeaderCanBeChosen() throws Exception {
        try (TestServer server = TestServer.start(b -> b.trustedProxies("127.0.0.1").clientAddressHeader("Forwarded"))) {
            Browser b = server.browser();
            String token = b.get("/login-form").body();
            b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token),
                    "Forwarded", "for=198.51.100.7;proto=https", "X-Forwarded-For", "203.0.113.9");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> devices = (List<Map<String, Object>>) Json.map(b.get("/session/devices",
                    "Accept", "application/json", "Forwarded", "for=198.51.100.7").body()).get("devices");
            assertThat(devices.get(0).get("ipNetwork")).isEqualTo("198.51.100.0/24");
        }
    }

    /** The point of it: a guesser behind the proxy no longer locks out everyone else behind it. */
    @Test
    void aGuesserBehindTheProxyIsThrottledAloneAndItsNeighbourKeepsWorking() throws Exception {
        try (TestServer server = TestServer.start(c -> c.maxUnknownTokensPerMinute(LIMIT), "/",
                b -> b.trustedProxies("127.0.0.1"))) {
            Browser victim = server.browser();
            loginFrom(victim, "alice", "198.51.100.7");
            SecureRandom random = new SecureRandom();
            for (int i = 0; i <= LIMIT + 1; i++) {
                Browser attacker = server.browser();
                attacker.cookies.put("__Host-psid", SessionToken.generate(random).value());
                attacker.get("/session/state", "Accept", "application/json", "X-Forwarded-For", "203.0.113.66");
            }
            Browser attacker = server.browser();
            attacker.cookies.put("__Host-psid", SessionToken.generate(random).value());
            assertJsonError(attacker.get("/session/state", "Accept", "application/json", "X-Forwarded-For",
                    "203.0.113.66"), 429, "TOO_MANY_REQUESTS");
            assertThat(victim.get("/session/state", "Accept", "application/json", "X-Forwarded-For", "198.51.100.7")
                    .statusCode()).isEqualTo(200);
        }
    }
}
