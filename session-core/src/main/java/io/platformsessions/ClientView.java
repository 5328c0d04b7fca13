package io.platformsessions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a browser may see of its session: no key, no token, no CSRF secret, no client fingerprint,
 * no attributes. Immutable.
 *
 * @param userId the user
 * @param username the user's display name
 * @param platform the active platform, or {@code null}
 * @param createdAt creation time
 * @param lastActivityAt last recorded activity
 * @param expiresAt effective expiry
 * @param absoluteExpiresAt absolute expiry
 * @param version the session version, for optimistic UIs
 * @param elevated whether the session is currently elevated
 */
public record ClientView(String userId, String username, ActivePlatform platform, Instant createdAt,
                         Instant lastActivityAt, Instant expiresAt, Instant absoluteExpiresAt, long version,
                         boolean elevated) {

    /**
     * The view as a JSON-ready map (times as ISO-8601 strings, platform as a nested map or
     * {@code null}).
     *
     * @return a new mutable map in a stable order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("username", username);
        if (platform == null) {
            m.put("platform", null);
        } else {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", platform.id());
            p.put("name", platform.name());
            p.put("type", platform.type());
            p.put("instanceUrl", platform.instanceUrl());
            m.put("platform", p);
        }
        m.put("createdAt", createdAt.toString());
        m.put("lastActivityAt", lastActivityAt.toString());
        m.put("expiresAt", expiresAt.toString());
        m.put("absoluteExpiresAt", absoluteExpiresAt.toString());
        m.put("version", version);
        m.put("elevated", elevated);
        return m;
    }
}
