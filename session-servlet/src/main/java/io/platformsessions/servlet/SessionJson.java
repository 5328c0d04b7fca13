package io.platformsessions.servlet;

import io.platformsessions.ActivePlatform;
import io.platformsessions.ClientView;
import io.platformsessions.SessionSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one owner of the JSON shape sessions have on the wire (the endpoints' bodies, which
 * {@code sync.js} and applications read): the client view, a platform, a device. Maps in a stable
 * key order, times as ISO-8601 strings. Stateless and thread-safe.
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
}
