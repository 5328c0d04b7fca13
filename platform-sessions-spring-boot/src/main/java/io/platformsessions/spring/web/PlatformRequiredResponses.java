package io.platformsessions.spring.web;

import io.platformsessions.servlet.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes the answer of a platform-required path for a session without an active platform, the same as
 * {@code PlatformSessionFilter} does: a redirect to the picker page for a browser asking for HTML (302 for
 * GET and HEAD, 303 otherwise), else {@code 409 {"error":"PLATFORM_REQUIRED",...}}. The filter's own writer is
 * not public, so this is the one copy (see the project's issue on a public hook). Stateless and thread-safe.
 */
final class PlatformRequiredResponses {
    private static final byte[] BODY = ("{\"error\":\"" + ErrorCode.PLATFORM_REQUIRED.name()
            + "\",\"message\":\"choose a platform connection first\"}").getBytes(StandardCharsets.UTF_8);

    private final String pickerPage;

    PlatformRequiredResponses(String pickerPage) {
        this.pickerPage = pickerPage;
    }

    void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (pickerPage != null && wantsHtml(request)) {
            boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
            response.setStatus(safe ? HttpServletResponse.SC_FOUND : HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", pickerPage.startsWith("/") ? request.getContextPath() + pickerPage : pickerPage);
            response.setContentLength(0);
            return;
        }
        response.setStatus(ErrorCode.PLATFORM_REQUIRED.status());
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(BODY.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(BODY);
        }
    }

    /** A browser navigating: no X-Requested-With, and text/html accepted before (or without) JSON. */
    private static boolean wantsHtml(HttpServletRequest request) {
        if (request.getHeader("X-Requested-With") != null) {
            return false;
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        int html = a.indexOf("text/html");
        int json = a.indexOf("application/json");
        return html >= 0 && (json < 0 || html < json);
    }
}
