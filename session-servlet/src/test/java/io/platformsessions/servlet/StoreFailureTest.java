package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.withSettings;

import io.platformsessions.SessionStoreException;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * A failing store gives 503 STORE_UNAVAILABLE with Retry-After, never "no session": the cookie is
 * kept and the session works again once the store is back. The store is a Mockito mock delegating
 * to the in-memory store, so individual operations can be made to fail.
 */
class StoreFailureTest {
    static final InMemorySessionStore MEMORY = new InMemorySessionStore();
    static final SessionStore STORE = mock(SessionStore.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(MEMORY)));
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(STORE, b -> b.retryAfterSeconds(7));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void heal() {
        reset(STORE);
    }

    static void assert503(HttpResponse<String> r) {
        assertJsonError(r, 503, "STORE_UNAVAILABLE");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.body()).doesNotContain("db down").doesNotContain("Exception");
    }

    @Test
    void lookupFailureIs503AndKeepsTheCookie() {
        Browser b = server.browser();
        b.login("alice");
        Browser other = server.browser();
        // a well-formed token not in the cache: the filter must ask the store
        other.cookies.put("__Host-psid", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        doThrow(SessionStoreException.transientFailure("db down", null)).when(STORE).find(any());
        assert503(other.get("/whoami"));
        assert503(other.get("/session/state", "Accept", "application/json"));
        assertThat(other.cookies).containsKey("__Host-psid");
        reset(STORE);
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void endpointFailureIs503() {
        Browser b = server.browser();
        b.login("bob");
        doThrow(SessionStoreException.transientFailure("db down", null)).when(STORE).findByUser(any());
        assert503(b.get("/session/devices", "Accept", "application/json"));
        String csrf = b.csrf();
        assert503(b.post("/session/logout-others", null, "", "X-CSRF-Token", csrf));
        doThrow(SessionStoreException.transientFailure("db down", null)).when(STORE).update(any(), org.mockito.ArgumentMatchers.anyLong());
        assert503(b.postJson("/session/platform", "{\"platformId\":4}", "X-CSRF-Token", csrf));
        reset(STORE);
        assertThat(b.get("/whoami").body()).isEqualTo("bob 4");
        assertThat(b.get("/session/devices").statusCode()).isEqualTo(200);
    }

    @Test
    void failureInApplicationCodeIs503() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        doThrow(SessionStoreException.transientFailure("db down", null)).when(STORE).insertAndCountLive(any(), any()); // how the engine creates
        assert503(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token)));
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
        reset(STORE);
        assertThat(b.post("/login", "application/x-www-form-urlencoded", "user=alice&_csrf=" + Browser.enc(token))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void requestsWithoutCookieNeedNoStore() {
        doThrow(SessionStoreException.transientFailure("db down", null)).when(STORE).find(any());
        HttpResponse<String> r = server.browser().get("/whoami");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("anonymous");
    }
}
