package io.platformsessions;

import java.time.Instant;

/**
 * One of a user's live sessions, for a "your devices" list. Immutable.
 *
 * @param key the session key (compare with the current context's key to flag "this device"; do not
 *     send it to clients)
 * @param sessionId the stable, non-secret session id
 * @param platform the active platform, or {@code null}
 * @param createdAt creation time
 * @param lastActivityAt last recorded activity
 * @param expiresAt effective expiry
 * @param device a label such as {@code Firefox on Linux}, or {@code null} when unknown
 * @param ipNetwork the client's network such as {@code 203.0.113.0/24}, or {@code null}
 */
public record SessionSummary(SessionKey key, String sessionId, ActivePlatform platform, Instant createdAt,
                             Instant lastActivityAt, Instant expiresAt, String device, String ipNetwork) {
}
