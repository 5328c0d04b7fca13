package io.platformsessions.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionManager;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.UserDetailsManager;

/**
 * The library's session limit is the only one (REFUSE fails the second login through Spring Security's failure
 * handler), and with {@code reload-user} a user disabled in the UserDetailsService loses the session at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "platform.sessions.max-sessions-per-user=1", "platform.sessions.limit-policy=refuse",
    "platform.sessions.security.reload-user=true",
    "spring.datasource.url=jdbc:h2:mem:${random.uuid};DB_CLOSE_DELAY=-1"})
class SessionLimitAndReloadHttpTest {
    @LocalServerPort
    int port;

    @Autowired
    SessionManager sessions;

    @Autowired
    UserDetailsManager users;

    @Test
    void aLoginBeyondTheLimitFailsLikeABadPasswordAndTheFirstSessionStays() throws Exception {
        Browser first = new Browser(port);
        assertThat(first.login("bob", "bob-demo-password").statusCode()).isEqualTo(302);
        Browser second = new Browser(port);
        HttpResponse<String> refused = second.login("bob", "bob-demo-password");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(second.cookies).doesNotContainKey("psid");
        assertThat(first.page("/").statusCode()).isEqualTo(200);
        assertThat(sessions.activeSessions("bob")).hasSize(1);
    }

    @Test
    void aDisabledUserLosesTheSessionOnTheNextRequest() throws Exception {
        Browser b = new Browser(port);
        b.login("carol", "carol-demo-password");
        assertThat(b.json("/api/me").body()).contains("\"name\":\"carol\"", "ROLE_USER");
        users.updateUser(User.withUserDetails(users.loadUserByUsername("carol")).disabled(true).build());
        try {
            HttpResponse<String> after = b.page("/");
            assertThat(after.statusCode()).isEqualTo(302);
            assertThat(after.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
            assertThat(sessions.activeSessions("carol")).isEmpty();
        } finally {
            users.updateUser(User.withUserDetails(users.loadUserByUsername("carol")).disabled(false).build());
        }
    }
}
