package io.platformsessions.servlet;

import static io.platformsessions.servlet.SessionEndpointsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** getSession(), getSession(false), attributes, changeSessionId() and invalidate() backed by platform sessions. */
class HttpSessionFacadeTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Browser alice() {
        Browser b = server.browser();
        b.login("alice");
        return b;
    }

    @Test
    void withoutPlatformSessionGetSessionFalseIsNullAndGetSessionIsAPlaceholder() {
        Browser b = server.browser();
        assertThat(b.get("/session-facade?op=peek").body()).isEqualTo("null");
        HttpResponse<String> created = b.get("/session-facade?op=create");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).startsWith("session placeholder-");
        // no container session and no platform session was created
        assertThat(b.cookies).doesNotContainKey("JSESSIONID").doesNotContainKey("__Host-psid");
        assertThat(created.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void thePlaceholderReadsEmptyDoesNothingAndRefusesToStoreAValueSayingHowToLogIn() {
        Browser b = server.browser();
        HttpResponse<String> r = b.get("/session-facade?op=placeholder");
        assertThat(r.statusCode()).as("not a 500").isEqualTo(200);
        assertThat(r.body()).startsWith("new=true attr=null names=[] same=true false=null idLooksPlatform=false max=1800 "
                + "refused: no platform session, so HttpSession.setAttribute(\"cart\") has nowhere to keep the value")
                .contains("PlatformSessions.login(request, response, userId)");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        // every request gets its own placeholder id
        assertThat(b.get("/session-facade?op=create").body()).isNotEqualTo(b.get("/session-facade?op=create").body());
    }

    @Test
    void aPlaceholderTakenBeforeLoginIsTheNewSessionAfterIt() {
        Browser b = server.browser();
        HttpResponse<String> r = b.get("/session-facade?op=placeholder-then-login&user=alice");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("before=true after=true new=true cart=3");
        assertThat(b.get("/session-facade?op=get&name=cart").body()).isEqualTo("3");
    }

    @Test
    void changeSessionIdWithoutASessionIsRefusedClearly() {
        HttpResponse<String> r = server.browser().get("/session-facade?op=rotate-anonymous");
        assertThat(r.body()).startsWith("refused: no platform session, so changeSessionId() has no session id to change")
                .contains("PlatformSessions.login(request, response, userId)");
    }

    @Test
    void getSessionIsThePlatformSessionWithItsStableId() {
        Browser b = alice();
        String sessionId = Json.map(b.get("/session/state").body()).get("sessionId").toString();
        assertThat(b.get("/session-facade?op=peek").body()).isEqualTo("session " + sessionId);
        assertThat(b.get("/session-facade?op=create").body()).isEqualTo("session " + sessionId);
        assertThat(b.get("/session-facade?op=peek").body()).doesNotContain(b.cookies.get("__Host-psid"));
    }

    @Test
    void attributesPersistAcrossRequestsThroughTheManager() {
        Browser b = alice();
        assertThat(b.get("/session-facade?op=set&name=theme&value=dark").body()).isEqualTo("dark");
        assertThat(b.get("/session-facade?op=get&name=theme").body()).isEqualTo("dark");
        assertThat(b.get("/session-facade?op=set&name=lang&value=fr").body()).isEqualTo("fr");
        assertThat(b.get("/session-facade?op=names").body()).isEqualTo("theme,lang");
        assertThat(b.get("/session-facade?op=remove&name=theme").body()).isEqualTo("removed");
        assertThat(b.get("/session-facade?op=get&name=theme").body()).isEqualTo("null");
        assertThat(b.get("/session-facade?op=setnull&name=lang").body()).isEqualTo("nulled");
        assertThat(b.get("/session-facade?op=names").body()).isEmpty();
        assertThat(b.get("/session-facade?op=setmap").body()).isEqualTo("map {a=1}");
        // stored in the platform session itself, visible to the manager API
        var ctx = server.manager.peek(server.manager.activeSessions("alice").stream()
                .filter(s -> s.sessionId().equals(Json.map(b.get("/session/state").body()).get("sessionId")))
                .findFirst().orElseThrow().key()).orElseThrow();
        assertThat(server.manager.getAttribute(ctx, "m", Object.class)).hasValue(java.util.Map.of("a", 1));
        // another session of the same user does not see them
        Browser other = alice();
        assertThat(other.get("/session-facade?op=get&name=m").body()).isEqualTo("null");
    }

    @Test
    void sessionInfo() {
        Browser b = server.browser();
        b.login("alice");
        String sessionId = Json.map(b.get("/session/state").body()).get("sessionId").toString();
        String info = b.get("/session-facade?op=info").body();
        assertThat(info).contains("new=false", "max=1800", "requested=" + sessionId, "valid=true", "fromCookie=true",
                "created=" + TestServer.START.toEpochMilli());
    }

    @Test
    void changeSessionIdRotatesTheCookieAndKillsTheOldToken() {
        Browser b = alice();
        b.get("/session-facade?op=set&name=cart&value=3");
        String oldToken = b.cookies.get("__Host-psid");
        HttpResponse<String> r = b.get("/session-facade?op=rotate");
        assertThat(r.statusCode()).isEqualTo(200);
        SetCookie c = Browser.setCookie(r, "__Host-psid");
        assertThat(c.value()).isNotEqualTo(oldToken).hasSize(43);
        assertThat(c.has("Secure") && c.has("HttpOnly")).isTrue();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        String[] ids = r.body().split(" ");
        assertThat(ids[1]).isEqualTo(ids[0]); // the public id is stable; the credential changed
        assertThat(b.get("/session-facade?op=get&name=cart").body()).isEqualTo("3");
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", oldToken);
        assertThat(replay.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void invalidateEndsTheSessionAndExpiresTheCookie() {
        Browser b = alice();
        String token = b.cookies.get("__Host-psid");
        HttpResponse<String> r = b.get("/session-facade?op=invalidate");
        assertThat(r.body()).isEqualTo("invalidated true ise");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
        assertThat(r.headers().firstValue("Clear-Site-Data")).hasValue("\"cookies\"");
        Browser replay = server.browser();
        replay.cookies.put("__Host-psid", token);
        assertJsonError(replay.get("/session/state", "Accept", "application/json"), 401, "SESSION_INVALID");
    }

    @Test
    void requireContextWithoutSessionBecomes401() {
        assertJsonError(server.browser().get("/require", "Accept", "application/json"), 401, "NO_SESSION");
    }

    @Test
    void requireContextWithADeadCookieSaysWhyAndExpiresIt() {
        Browser b = server.browser();
        b.cookies.put("__Host-psid", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<String> r = b.get("/require", "Accept", "application/json");
        assertJsonError(r, 401, "SESSION_INVALID");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
    }

    @Test
    void aSessionEndedWhileTheApplicationUsesItIsSessionInvalidAndItsCookieExpired() {
        Browser b = alice();
        HttpResponse<String> r = b.get("/ended-under-us", "Accept", "application/json");
        assertJsonError(r, 401, "SESSION_INVALID");
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isTrue();
    }

    @Test
    void platformErrorsFromApplicationCodeAreMapped() {
        Browser b = alice();
        assertJsonError(b.get("/switch-in-app?id=4"), 404, "PLATFORM_NOT_FOUND");
        assertJsonError(b.get("/switch-in-app?id=3"), 403, "PLATFORM_FORBIDDEN");
        assertThat(b.get("/switch-in-app?id=2").body()).isEqualTo("2");
    }
}
