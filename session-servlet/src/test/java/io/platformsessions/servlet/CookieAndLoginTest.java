package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cookie attributes, the login helper (fixation defence) and the logout helper. */
class CookieAndLoginTest {
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
    void loginSetsHostPrefixedSecureHttpOnlyLaxCookieWithoutDomainOrMaxAge() {
        Browser b = server.browser();
        HttpResponse<String> r = b.login("alice");
        SetCookie c = Browser.setCookie(r, "__Host-psid");
        assertThat(c.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(c.has("Secure")).isTrue();
        assertThat(c.has("HttpOnly")).isTrue();
        assertThat(c.attr("SameSite")).isEqualTo("Lax");
        assertThat(c.attr("Path")).isEqualTo("/");
        assertThat(c.has("Domain")).isFalse();
        assertThat(c.has("Max-Age")).isFalse();
        assertThat(c.has("Expires")).isFalse();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void cookieNameAndValueFitIn4096Bytes() {
        HttpResponse<String> r = server.browser().login("alice");
        SetCookie c = Browser.setCookie(r, "__Host-psid");
        assertThat((c.name() + "=" + c.value()).length()).isEqualTo(11 + 1 + 43).isLessThan(4096);
        assertThat(c.raw().length()).isLessThan(4096);
        // the token appears only in Set-Cookie, never in the body
        assertThat(r.body()).doesNotContain(c.value());
    }

    @Test
    void settingTheCookieTwiceInOneResponseLeavesOnlyTheLastOneAndKeepsOtherCookies() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        HttpResponse<String> r = b.post("/login-rotate", "application/x-www-form-urlencoded",
                "user=alice&_csrf=" + Browser.enc(token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Browser.setCookies(r)).filteredOn(c -> c.name().equals("__Host-psid")).hasSize(1);
        assertThat(Browser.setCookies(r)).filteredOn(c -> c.name().equals("theme")).hasSize(1);
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void loginOnAGivenPlatform() {
        Browser b = server.browser();
        b.login("alice", 2L);
        assertThat(b.get("/whoami").body()).isEqualTo("alice 2");
    }

    @Test
    void loginEndsTheOldSessionAndNeverReusesItsToken() {
        Browser b = server.browser();
        b.login("alice");
        String first = b.cookies.get("__Host-psid");
        String firstId = Json.map(b.get("/session/state").body()).get("sessionId").toString();
        HttpResponse<String> again = b.login("alice");
        String second = b.cookies.get("__Host-psid");
        assertThat(second).isNotEqualTo(first);
        assertThat(Browser.setCookie(again, "__Host-psid").value()).isEqualTo(second);
        assertThat(Json.map(b.get("/session/state").body()).get("sessionId")).isNotEqualTo(firstId);
        // fixation: the old cookie is dead after login
        Browser attacker = server.browser();
        attacker.cookies.put("__Host-psid", first);
        assertThat(attacker.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void plantedUnknownCookieIsNotAdoptedAtLogin() {
        Browser b = server.browser();
        String planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        b.cookies.put("__Host-psid", planted);
        b.login("bob");
        assertThat(b.cookies.get("__Host-psid")).isNotEqualTo(planted);
        Browser attacker = server.browser();
        attacker.cookies.put("__Host-psid", planted);
        assertThat(attacker.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void loginExpiresThePreSessionCsrfCookie() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        SetCookie pre = SetCookie.parse(b.cookies.entrySet().stream()
                .filter(e -> e.getKey().equals("__Host-psid-csrf")).map(e -> e.getKey() + "=" + e.getValue())
                .findFirst().orElseThrow());
        assertThat(pre.value()).hasSize(43);
        HttpResponse<String> r = b.post("/login", "application/x-www-form-urlencoded",
                "user=alice&_csrf=" + Browser.enc(token));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Browser.setCookie(r, "__Host-psid-csrf").deletes()).isTrue();
        assertThat(b.cookies).containsKey("__Host-psid").doesNotContainKey("__Host-psid-csrf");
    }

    @Test
    void preSessionCsrfCookieAttributes() {
        HttpResponse<String> r = server.browser().get("/login-form");
        SetCookie c = Browser.setCookie(r, "__Host-psid-csrf");
        assertThat(c.has("Secure")).isTrue();
        assertThat(c.has("HttpOnly")).isTrue();
        assertThat(c.attr("SameSite")).isEqualTo("Strict");
        assertThat(c.attr("Path")).isEqualTo("/");
        assertThat(c.has("Domain")).isFalse();
        assertThat(c.has("Max-Age")).isFalse();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).hasSize(86).doesNotContain(c.value());
    }

    @Test
    void preSessionTokenIsReusedFromCookieAndMaskedDifferentlyEachTime() {
        Browser b = server.browser();
        String t1 = b.get("/login-form").body();
        String cookie = b.cookies.get("__Host-psid-csrf");
        HttpResponse<String> second = b.get("/login-form");
        assertThat(second.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(second.body()).isNotEqualTo(t1);
        assertThat(b.cookies.get("__Host-psid-csrf")).isEqualTo(cookie);
    }

    @Test
    void logoutHelperExpiresCookieAndSendsClearSiteData() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.post("/logout", null, "", "X-CSRF-Token", b.csrf());
        assertThat(r.statusCode()).isEqualTo(200);
        SetCookie c = Browser.setCookie(r, "__Host-psid");
        assertThat(c.value()).isEmpty();
        assertThat(c.attr("Max-Age")).isEqualTo("0");
        assertThat(c.has("Secure")).isTrue();
        assertThat(c.has("HttpOnly")).isTrue();
        assertThat(r.headers().firstValue("Clear-Site-Data")).hasValue("\"cookies\"");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(b.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void loginAfterLogoutInTheSameResponseWithdrawsClearSiteDataCookies() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.post("/logout-then-login?user=bob", null, "", "X-CSRF-Token", b.csrf());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().allValues("Clear-Site-Data")).as("would wipe the new cookie").isEmpty();
        assertThat(Browser.setCookie(r, "__Host-psid").deletes()).isFalse();
        assertThat(b.get("/whoami").body()).isEqualTo("bob 4");
        // other directives the application added are kept
        HttpResponse<String> extra = b.post("/logout-then-login?user=alice&extra=%22cache%22", null, "",
                "X-CSRF-Token", b.csrf());
        assertThat(extra.statusCode()).as(extra.body()).isEqualTo(200);
        assertThat(extra.headers().allValues("Clear-Site-Data")).containsExactly("\"cache\"");
        assertThat(b.get("/whoami").body()).isEqualTo("alice 1");
    }

    @Test
    void responsesWithoutCookieChangesSetNoCookie() {
        Browser b = server.browser();
        b.login("alice");
        HttpResponse<String> r = b.get("/whoami");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Cookie"));
    }

    @Test
    void loginOfUnknownUserFailsWithoutCreatingASession() {
        Browser b = server.browser();
        String token = b.get("/login-form").body();
        HttpResponse<String> r = b.post("/login", "application/x-www-form-urlencoded",
                "user=mallory&_csrf=" + Browser.enc(token));
        assertThat(r.statusCode()).isBetween(400, 499).isNotEqualTo(200);
        assertThat(r.body()).doesNotContain("at io.platformsessions");
        assertThat(b.cookies).doesNotContainKey("__Host-psid");
    }

    @Test
    void contextAttributeAndThreadHolderAreBoundDuringTheRequest() {
        Browser b = server.browser();
        assertThat(b.get("/thread").body()).isEqualTo("none false");
        b.login("alice");
        assertThat(b.get("/thread").body()).isEqualTo("alice true");
        Map<String, Object> s = Json.map(b.get("/session/state").body());
        assertThat(s).containsEntry("userId", "alice");
    }
}
