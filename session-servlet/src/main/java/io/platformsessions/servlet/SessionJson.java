package io.platformsessions.servlet;

import io.platformsessions.ActivePlatform;
import io.platformsessions.ClientView;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of the JSON shapes on the wire (the endpoints' bodies and the error body, which
 * {@code sync.js} and applications read): the state, a platform, the user's platform connections,
 * a device, the logout answers, an error. Maps in a stable key order, times as ISO-8601 strings.
 * Stateless and thread-safe.
 */
final class SessionJson {

    private SessionJson() {
    }

    /** The client view: userId, username, platform (or null), the four times, version, elevated. */
    static Map<String, Object> clientView(ClientView view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", view.userId());
        m.put("username", view.username());
        m.put("platform", platform(view.platform()));
        m.put("createdAt", view.createdAt().toString());
        m.put("lastActivityAt", view.lastActivityAt().toString());
        m.put("expiresAt", view.expiresAt().toString());
        m.put("absoluteExpiresAt", view.absoluteExpiresAt().toString());
        m.put("version", view.version());
        m.put("elevated", view.elevated());
        return m;
    }

    /** The state of {@code GET <prefix>/state}: the client view, the session id and a fresh CSRF token. */
    static Map<String, Object> state(ClientView view, String sessionId, String csrfToken) {
        Map<String, Object> m = clientView(view);
        m.put("sessionId", sessionId);
        m.put("csrfToken", csrfToken);
        return m;
    }

    /** A platform connection as {id, name, type, instanceUrl}, or null for none. */
    static Map<String, Object> platform(ActivePlatform p) {
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("type", p.type());
        m.put("instanceUrl", p.instanceUrl());
        return m;
    }

    /**
     * One of the user's platform connections for a switcher: {id, name, type, instanceUrl, active,
     * default, current}; {@code current} marks the session's active platform. The owning user id is
     * left out (it is the requester).
     */
    static Map<String, Object> connection(PlatformConnection c, boolean current) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("instanceUrl", c.instanceUrl());
        m.put("active", c.active());
        m.put("default", c.defaultPlatform());
        m.put("current", current);
        return m;
    }

    /** {@code {"platforms": [...]}} in the directory's order; {@code currentId} is the session's platform or null. */
    static Map<String, Object> platforms(List<PlatformConnection> connections, Long currentId) {
        List<Map<String, Object>> out = new ArrayList<>(connections.size());
        for (PlatformConnection c : connections) {
            out.add(connection(c, currentId != null && currentId == c.id()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("platforms", out);
        return m;
    }

    /** One of the user's sessions in the device list; {@code current} marks the requesting one. */
    static Map<String, Object> device(SessionSummary s, boolean current) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sessionId", s.sessionId());
        d.put("current", current);
        d.put("platform", platform(s.platform()));
        d.put("createdAt", s.createdAt().toString());
        d.put("lastActivityAt", s.lastActivityAt().toString());
        d.put("expiresAt", s.expiresAt().toString());
        d.put("device", s.device());
        d.put("ipNetwork", s.ipNetwork());
        return d;
    }

    /** {@code {"devices": [...]}} */
    static Map<String, Object> devices(List<Map<String, Object>> devices) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        return m;
    }

    /** {@code {"loggedOut": true, "loginUrl": ...}} ({@code loginUrl} null without a login page). */
    static Map<String, Object> loggedOut(String loginUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loggedOut", true);
        m.put("loginUrl", loginUrl);
        return m;
    }

    /** {@code {"invalidated": n}} */
    static Map<String, Object> invalidated(int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invalidated", n);
        return m;
    }

    /** The error body {@code {"error": CODE, "message": ...}}. */
    static Map<String, Object> error(ErrorCode code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code.name());
        m.put("message", message);
        return m;
    }
}
