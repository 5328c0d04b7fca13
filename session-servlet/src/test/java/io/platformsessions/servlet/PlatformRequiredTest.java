package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Platform-required paths: JSON errors for scripts, redirects for browsers. */
class PlatformRequiredTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.platformRequiredPaths("/compose", "/api/posts/*").loginPage("/signin")
                .platformPickerPage("/pick"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void sessionWithPlatformPasses() {
        Browser b = server.browser();
        b.login("alice");
        assertThat(b.get("/compose").body()).isEqualTo("compose 1");
        assertThat(b.get("/api/posts/1").body()).isEqualTo("compose 1");
    }

    @Test
    void sessionWithoutPlatformGetsPlatformRequired() {
        Browser b = server.browser();
        b.login("carol");
        assertJsonError(b.get("/compose", "Accept", "application/json"), 409, "PLATFORM_REQUIRED");
        assertJsonError(b.get("/api/posts/1", "Accept", "text/html", "X-Requested-With", "fetch"), 409, "PLATFORM_REQUIRED");
        HttpResponse<String> html = b.get("/compose", "Accept", "text/html");
        assertThat(html.statusCode()).isEqualTo(302);
        assertThat(html.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/pick"));
        assertThat(b.get("/whoami").body()).isEqualTo("carol none");
    }

    @Test
    void exactPatternAlsoGuardsTheTrailingSlashVariant() {
        Browser carol = server.browser();
        carol.login("carol");
        assertJsonError(carol.get("/compose/", "Accept", "application/json"), 409, "PLATFORM_REQUIRED");
        assertJsonError(server.browser().get("/compose/", "Accept", "application/json"), 401, "NO_SESSION");
        assertThat(carol.get("/compose/x").statusCode()).as("only one trailing slash, not a prefix").isEqualTo(404);
    }

    @Test
    void noSessionGets401OrLoginRedirect() {
        Browser b = server.browser();
        assertJsonError(b.get("/compose", "Accept", "application/json"), 401, "NO_SESSION");
        HttpResponse<String> html = b.get("/api/posts/1", "Accept", "text/html,*/*");
        assertThat(html.statusCode()).isEqualTo(302);
        assertThat(html.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/signin"));
    }

    @Test
    void otherPathsAreNotGuarded() {
        Browser b = server.browser();
        b.login("carol");
        assertThat(b.get("/whoami").statusCode()).isEqualTo(200);
        assertThat(b.get("/composer").statusCode()).isEqualTo(404);
    }
}
