package io.platformsessions.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny HTTP/1.1 client over a plain socket whose source address the test chooses (any of
 * 127.0.0.0/8 reaches the demo on 127.0.0.1), so tests can be "another client address" over real
 * HTTP; {@link java.net.http.HttpClient} cannot bind a local address on Java 17. One request per
 * connection; keeps the cookies it is sent, like a browser. Not thread-safe.
 */
final class RawHttp {
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** A response: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    private final String source;
    private final int port;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    RawHttp(String source, int port) {
        this.source = source;
        this.port = port;
    }

    /** Logs in through the form as a browser would: GET the form (pre-session CSRF), then POST it. */
    Response login(String username, String password) throws IOException {
        Response form = send("GET", "/login", null, null);
        if (form.status() != 200) {
            throw new AssertionError("login form: " + form.status());
        }
        Matcher m = HIDDEN_CSRF.matcher(form.body());
        if (!m.find()) {
            throw new AssertionError("no _csrf field in the login form");
        }
        String body = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(m.group(1));
        return send("POST", "/login", "application/x-www-form-urlencoded", body);
    }

    boolean hasSessionCookie() {
        return cookies.keySet().stream().anyMatch(n -> n.equals("psid") || n.endsWith("-psid"));
    }

    Response send(String method, String path, String contentType, String body) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Origin: http://127.0.0.1:").append(port).append("\r\n")
                .append("Accept: text/html\r\n")
                .append("Connection: close\r\n");
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            head.append("Cookie: ").append(c).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return parse(s.getInputStream());
        }
    }

    private Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String raw = all.toString(StandardCharsets.ISO_8859_1);
        int end = raw.indexOf("\r\n\r\n");
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            if (name.equals("set-cookie")) {
                String pair = value.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String cookieName = pair.substring(0, eq).trim();
                String cookieValue = pair.substring(eq + 1).trim();
                if (cookieValue.isEmpty() || value.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(cookieName);
                } else {
                    cookies.put(cookieName, cookieValue);
                }
            }
        }
        String body = raw.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = s.indexOf("\r\n", i);
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
