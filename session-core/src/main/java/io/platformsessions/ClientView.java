package io.platformsessions;

import java.time.Instant;

/**
 * What a browser may see of its session: no key, no token, no CSRF secret, no client fingerprint,
 * no attributes. Immutable. Adapters decide its wire form (the servlet adapter's JSON for
 * {@code GET /session/state}).
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
}
