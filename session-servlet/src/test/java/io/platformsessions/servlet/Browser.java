package io.platformsessions.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A minimal cookie-keeping client over java.net.http.HttpClient: cookies are handled explicitly
 * (no CookieHandler), so tests see and control every Cookie / Set-Cookie header.
 */
final class Browser {
    static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final URI base;
    final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(URI base) {
        this.base = base;
    }

    /** A browser without cookies, for requests whose Cookie header a test writes itself. */
    static Browser of(URI base) {
        return new Browser(base);
    }

    HttpRequest.Builder request(String path) {
        // relative to the base (which carries the context path, if any)
        return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(20));
    }

    HttpResponse<String> send(HttpRequest.Builder builder) {
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String h : r.headers().allValues("Set-Cookie")) {
                SetCookie c = SetCookie.parse(h);
                if (c.deletes()) {
                    cookies.remove(c.name());
                } else {
                    cookies.put(c.name(), c.value());
                }
            }
            return r;
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = request(path).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    HttpResponse<String> postJson(String path, String json, String... headers) {
        return post(path, "application/json", json, headers);
    }

    /** The masked CSRF token of the current session (from GET /session/state). */
    String csrf() {
        HttpResponse<String> r = get("/session/state", "Accept", "application/json");
        if (r.statusCode() != 200) {
            throw new AssertionError("no session state: " + r.statusCode() + " " + r.body());
        }
        return Json.map(r.body()).get("csrfToken").toString();
    }

    /** Logs in through the test app's login form (pre-session CSRF + form post). */
    HttpResponse<String> login(String user) {
        return login(user, null);
    }

    HttpResponse<String> login(String user, Long platformId) {
        String token = get("/login-form").body();
        String form = "user=" + enc(user) + (platformId == null ? "" : "&platform=" + platformId) + "&_csrf=" + enc(token);
        HttpResponse<String> r = post("/login", "application/x-www-form-urlencoded", form);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<SetCookie> setCookies(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().map(SetCookie::parse).toList();
    }

    static SetCookie setCookie(HttpResponse<?> r, String name) {
        return setCookies(r).stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + r.headers().map()));
    }
}
