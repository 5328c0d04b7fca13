package io.platformsessions.spring.actuate;

import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code platformsessions} Actuator endpoint (its own id, so it never collides with Spring Session's
 * {@code sessions}). Like every endpoint it is reachable over HTTP only when exposed
 * ({@code management.endpoints.web.exposure.include=platformsessions}) and, behind Spring Security, only as the
 * application's rules allow.
 *
 * <ul>
 *   <li>{@code GET /actuator/platformsessions}: live sessions in the store, in total and per platform type.</li>
 *   <li>{@code GET /actuator/platformsessions/{userId}}: the user's live sessions, most recently active first:
 *       session id, the first 8 hex characters of the key (never the token or the whole key), device, network,
 *       platform, times.</li>
 *   <li>{@code DELETE /actuator/platformsessions/{userId}}: ends all of them ({@code LOGOUT_ALL}).</li>
 *   <li>{@code DELETE /actuator/platformsessions/{userId}/{sessionId}}: ends one ({@code LOGOUT}).</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
@Endpoint(id = "platformsessions")
public class PlatformSessionsEndpoint {
    private final SessionManager manager;

    /**
     * Creates the endpoint.
     *
     * @param manager the application's session manager
     * @throws NullPointerException if {@code manager} is null
     */
    public PlatformSessionsEndpoint(SessionManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /**
     * Counts live sessions (one store query).
     *
     * @return the counts
     * @throws io.platformsessions.SessionStoreException if the store fails
     */
    @ReadOperation
    public Overview overview() {
        SessionMetrics m = manager.metrics();
        return new Overview(m.activeSessions(), m.sessionsByPlatformType());
    }

    /**
     * A user's live sessions.
     *
     * @param userId the user
     * @return the sessions, most recently active first
     * @throws io.platformsessions.SessionStoreException if the store fails
     */
    @ReadOperation
    public UserSessions sessions(@Selector String userId) {
        List<SessionDescriptor> out = new ArrayList<>();
        for (SessionSummary s : manager.activeSessions(userId)) {
            out.add(SessionDescriptor.of(s));
        }
        return new UserSessions(userId, out);
    }

    /**
     * Ends every session of a user, with the reason {@link InvalidationReason#ADMIN} (events, audit lines and the
     * archive show that an operator ended them, not the user).
     *
     * @param userId the user
     * @return how many sessions were ended
     * @throws io.platformsessions.SessionStoreException if the store fails
     */
    @DeleteOperation
    public Ended endAll(@Selector String userId) {
        return new Ended(manager.invalidateAll(userId, InvalidationReason.ADMIN));
    }

    /**
     * Ends one session of a user, named by its session id, with the reason {@link InvalidationReason#ADMIN}.
     *
     * @param userId the user
     * @param sessionId the session's stable id, as listed by {@link #sessions(String)}
     * @return 1 if it was ended, 0 if the user has no such live session
     * @throws io.platformsessions.SessionStoreException if the store fails
     */
    @DeleteOperation
    public Ended end(@Selector String userId, @Selector String sessionId) {
        for (SessionSummary s : manager.activeSessions(userId)) {
            if (s.sessionId().equals(sessionId)) {
                return new Ended(manager.invalidate(s.key(), InvalidationReason.ADMIN) ? 1 : 0);
            }
        }
        return new Ended(0);
    }

    /**
     * Live sessions in the store.
     *
     * @param activeSessions all of them
     * @param byPlatformType per platform type ({@code ""} for none)
     */
    public record Overview(long activeSessions, Map<String, Long> byPlatformType) implements OperationResponseBody {
    }

    /**
     * A user's live sessions.
     *
     * @param userId the user
     * @param sessions most recently active first
     */
    public record UserSessions(String userId, List<SessionDescriptor> sessions) implements OperationResponseBody {
    }

    /**
     * One session, without anything that would let a reader use it.
     *
     * @param sessionId the stable, non-secret id
     * @param keyPrefix the first 8 hex characters of the session key (as in logs), never the token
     * @param device for example {@code Firefox on Linux}, or {@code null}
     * @param ipNetwork for example {@code 203.0.113.0/24}, or {@code null}
     * @param platform the active platform, or {@code null}
     * @param createdAt creation time
     * @param lastActivityAt last recorded activity
     * @param expiresAt effective expiry
     */
    public record SessionDescriptor(String sessionId, String keyPrefix, String device, String ipNetwork,
                                    ActivePlatform platform, Instant createdAt, Instant lastActivityAt,
                                    Instant expiresAt) {
        static SessionDescriptor of(SessionSummary s) {
            return new SessionDescriptor(s.sessionId(), s.key().prefix(), s.device(), s.ipNetwork(), s.platform(),
                    s.createdAt(), s.lastActivityAt(), s.expiresAt());
        }
    }

    /**
     * The outcome of a delete.
     *
     * @param ended how many sessions were ended
     */
    public record Ended(int ended) implements OperationResponseBody {
    }
}
