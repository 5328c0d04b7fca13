package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A placeholder {@code HttpSession} the application took before login answers, after login, as the
 * platform session: times, context, attributes, the inactive interval and invalidation all reach it.
 */
class PlaceholderForwardingTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyCallOnAPlaceholderTakenBeforeLoginReachesTheSessionMadeAfterIt() {
        Browser b = server.browser();
        HttpResponse<String> r = b.get("/session-facade?op=placeholder-after-login&user=alice");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("placeholderToString=true createdBefore=true created=true accessed=true "
                + "context=true cart=null live=PlatformHttpSession[").endsWith("] invalidated=true");
        assertThat(r.body()).as("toString names the stable 22-character session id, not the 43-character token")
                .containsPattern("live=PlatformHttpSession\\[[A-Za-z0-9_-]{22}\\] ");
        assertThat(b.get("/session/state", "Accept", "application/json").statusCode()).as("invalidated: no session")
                .isEqualTo(401);
    }
}
