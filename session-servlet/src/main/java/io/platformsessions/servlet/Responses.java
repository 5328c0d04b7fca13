package io.platformsessions.servlet;

import com.fasterxml.jackson.jr.ob.JSON;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Pure writers: JSON bodies, the error body and redirects, on the request and response they are
 * given. What to answer is decided elsewhere ({@link ErrorResponder} for every error). Stateless
 * and thread-safe.
 */
final class Responses {
    static final JSON JSON_CODEC = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    /** Largest leftover request body {@link #discardBody} reads. */
    static final int MAX_DISCARD = 64 * 1024;

    /** Written when a body cannot be encoded: fixed bytes, so this path cannot fail in turn. */
    private static final byte[] UNENCODABLE = ("{\"error\":\"" + ErrorCode.INTERNAL_ERROR.name()
            + "\",\"message\":\"the response could not be encoded\"}").getBytes(StandardCharsets.UTF_8);

    private Responses() {
    }

    /** Whether the client is a browser navigating (wants HTML) rather than a script (wants JSON). */
    static boolean wantsHtml(HttpServletRequest request) {
        if (request.getHeader("X-Requested-With") != null) {
            return false;
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        int html = a.indexOf("text/html");
        if (html < 0) {
            return false;
        }
        int json = a.indexOf("application/json");
        return json < 0 || html < json;
    }

    static void json(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON_CODEC.asBytes(body);
        } catch (IOException e) {
            // e.g. a lone surrogate in a name from a directory: never a trace, never a half-written body
            bytes = UNENCODABLE;
            status = ErrorCode.INTERNAL_ERROR.status();
            response.resetBuffer();
        }
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    /** The error body with the code's status, after dropping a small unread request body. No-op once committed. */
    static void error(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        discardBody(request);
        response.resetBuffer();
        json(response, code.status(), SessionJson.error(code, message));
    }

    /**
     * Reads and drops what is left of a small request body before the filter answers on its own, so
     * the container can keep the connection alive (a response sent while body bytes are still
     * unread makes some containers close the connection under a client that already reuses it).
     * Bounded: bodies larger than {@link #MAX_DISCARD} are left to the container (it closes).
     */
    static void discardBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length == 0 || length > MAX_DISCARD) {
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] buf = new byte[4096];
            long total = 0;
            int n;
            while (total <= MAX_DISCARD && (n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // already read as a form or reader, or the client went away: nothing to drop
        }
    }

    /** A configured page as a URL for the client: paths starting with "/" get the context path, URLs stay. */
    static String target(HttpServletRequest request, String page) {
        return page.startsWith("/") ? request.getContextPath() + page : page;
    }

    static void redirect(HttpServletRequest request, HttpServletResponse response, String page) throws IOException {
        String target = target(request, page);
        boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!safe) {
            discardBody(request);
        }
        response.resetBuffer();
        response.setStatus(safe ? HttpServletResponse.SC_FOUND : HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", target);
        response.setContentLength(0);
    }
}
