package io.platformsessions.examples.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal browser over real HTTP: keeps cookies by name (Set-Cookie with Max-Age=0 removes), never follows
 * redirects, sends {@code Accept: text/html} for pages. One per simulated browser; not thread-safe.
 */
final class Browser {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> page(String path) throws IOException, InterruptedException {
        return send(request(path).header("Accept", "text/html").GET());
    }

    HttpResponse<String> json(String path) throws IOException, InterruptedException {
        return send(request(path).header("Accept", "application/json").header("X-Requested-With", "XMLHttpRequest").GET());
    }

    HttpResponse<String> form(String path, Map<String, String> fields) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return send(request(path).header("Accept", "text/html").header("Origin", base)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    HttpResponse<String> postJson(String path, String json, String csrfToken) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).header("Accept", "application/json").header("X-Requested-With", "XMLHttpRequest")
                .header("Content-Type", "application/json").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfToken != null) {
            b.header("X-CSRF-Token", csrfToken);
        }
        return send(b);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (set.contains("Max-Age=0") || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    /** Logs in through the login form: GET /login for the token, then POST /login. */
    HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        String token = csrfField(page("/login").body());
        return form("/login", Map.of("username", user, "password", password, "_csrf", token));
    }

    static String csrfField(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no _csrf field in: " + html);
        }
        return m.group(1);
    }

    static String csrfMeta(String html) {
        Matcher m = CSRF_META.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no csrf-token meta in: " + html);
        }
        return m.group(1);
    }

    static List<String> all(Pattern p, String s) {
        return p.matcher(s).results().map(r -> r.group(1)).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
