package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** An application under a context path ("/app"): configured pages are resolved like the redirects do. */
class ContextPathTest {

    private static Object loginUrlAfterLogout(String loginPage) throws Exception {
        try (TestServer server = TestServer.start(c -> c, "/app", b -> b.loginPage(loginPage))) {
            Browser b = server.browser();
            b.login("alice");
            assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
            HttpResponse<String> r = b.post("/session/logout", null, "", "X-CSRF-Token", b.csrf(),
                    "Accept", "application/json");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Json.map(r.body()).get("loginUrl");
        }
    }

    @Test
    void logoutLoginUrlKeepsAnAbsoluteLoginPageAsIs() throws Exception {
        assertThat(loginUrlAfterLogout("https://sso.example/login")).isEqualTo("https://sso.example/login");
    }

    @Test
    void logoutLoginUrlPrefixesAPathWithTheContextPath() throws Exception {
        assertThat(loginUrlAfterLogout("/signin")).isEqualTo("/app/signin");
    }

    @Test
    void htmlRedirectsUseTheSameRule() throws Exception {
        try (TestServer server = TestServer.start(c -> c, "/app", b -> b.loginPage("https://sso.example/login"))) {
            HttpResponse<String> r = server.browser().get("/session/state", "Accept", "text/html");
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).hasValue("https://sso.example/login");
        }
    }
}
