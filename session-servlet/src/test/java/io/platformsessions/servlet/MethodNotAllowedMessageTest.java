package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 405's message names the method the client sent only in a safe form: at most 20 characters, and
 * nothing but letters, digits, {@code _} and {@code -} (anything else becomes {@code ?}), so a client
 * cannot write markup or control text into an error body or a log line that quotes it.
 */
class MethodNotAllowedMessageTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String message(Browser b, String method) {
        HttpResponse<String> r = b.send(b.request("/session/state").header("X-CSRF-Token", b.csrf())
                .method(method, HttpRequest.BodyPublishers.noBody()));
        SessionEndpointsTest.assertJsonError(r, 405, "METHOD_NOT_ALLOWED");
        assertThat(r.headers().firstValue("Allow")).isPresent();
        return Json.map(r.body()).get("message").toString();
    }

    @Test
    void theMethodIsQuotedCutAndMasked() {
        Browser b = server.browser();
        b.login("alice");
        assertThat(message(b, "DELETE")).isEqualTo("method DELETE not allowed here");
        assertThat(message(b, "X_Y-Z.A!B")).isEqualTo("method X_Y-Z?A?B not allowed here");
        String twenty = "ABCDEFGHIJKLMNOPQRST";
        assertThat(message(b, twenty)).isEqualTo("method " + twenty + " not allowed here");
        assertThat(message(b, twenty + "UVWXY")).isEqualTo("method " + twenty + " not allowed here");
    }
}
