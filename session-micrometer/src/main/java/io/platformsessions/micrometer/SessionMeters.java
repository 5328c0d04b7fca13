package io.platformsessions.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts session events and samples the number of live sessions. Register it as a
 * {@link SessionListener} on the {@code SessionManager.Builder}, and call {@link #sampleActiveSessions()}
 * on a schedule (for example once a minute) for the active-sessions gauge.
 *
 * <p>Meters (counters unless said otherwise):
 * <ul>
 *   <li>{@code platform.sessions.created}</li>
 *   <li>{@code platform.sessions.ended}, tag {@code reason}: an {@link InvalidationReason} in lower case
 *       ({@code logout}, {@code idle_timeout}, ...) for sessions ended one by one; sessions deleted in bulk
 *       by cleanup are counted by {@link MeteredSessionStore} under {@code reason = cleanup}</li>
 *   <li>{@code platform.sessions.platform.switches}, {@code platform.sessions.rotations},
 *       {@code platform.sessions.extensions}, {@code platform.sessions.elevations}</li>
 *   <li>{@code platform.sessions.suspicious}, tag {@code kind}: {@code client_change},
 *       {@code rapid_platform_switching} or {@code token_guessing}</li>
 *   <li>{@code platform.sessions.active} (gauge), tag {@code platform.type}: live sessions per platform type
 *       ({@code none} for sessions without a platform, always present) at the last {@link #sampleActiveSessions()};
 *       a type with no live session left disappears at the next sample</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #onEvent} only increments counters.
 */
public final class SessionMeters implements SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionMeters.class);

    private final SessionStore store;
    private final Clock clock;
    private final Counter created;
    private final Map<InvalidationReason, Counter> ended = new EnumMap<>(InvalidationReason.class);
    private final Counter switches;
    private final Counter rotations;
    private final Counter extensions;
    private final Counter elevations;
    private final Map<SessionEvent.SuspicionKind, Counter> suspicious = new EnumMap<>(SessionEvent.SuspicionKind.class);
    private final MultiGauge active;

    /**
     * Registers the meters.
     *
     * @param store where live sessions are counted by {@link #sampleActiveSessions()}
     * @param clock the engine's clock ({@code SessionConfig.clock()}), which decides what is live
     * @param registry where the meters go
     * @throws NullPointerException if an argument is null
     */
    public SessionMeters(SessionStore store, Clock clock, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        created = Counter.builder("platform.sessions.created").description("Sessions created").register(registry);
        for (InvalidationReason r : InvalidationReason.values()) {
            ended.put(r, ended(registry, r.name().toLowerCase(Locale.ROOT)));
        }
        switches = Counter.builder("platform.sessions.platform.switches").description("Platform switches")
                .register(registry);
        rotations = Counter.builder("platform.sessions.rotations").description("Token rotations").register(registry);
        extensions = Counter.builder("platform.sessions.extensions").description("Absolute expiry extensions")
                .register(registry);
        elevations = Counter.builder("platform.sessions.elevations").description("Elevations after re-authentication")
                .register(registry);
        for (SessionEvent.SuspicionKind k : SessionEvent.SuspicionKind.values()) {
            suspicious.put(k, Counter.builder("platform.sessions.suspicious")
                    .description("Suspicious activity: client changes, rapid platform switching, token guessing")
                    .tag("kind", k.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        active = MultiGauge.builder("platform.sessions.active")
                .description("Live sessions per platform type, as last sampled from the store")
                .register(registry);
    }

    /** The one definition of the {@code platform.sessions.ended} counter, shared with the store decorator. */
    static Counter ended(MeterRegistry registry, String reason) {
        return Counter.builder("platform.sessions.ended").description("Sessions that ended, by reason")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void onEvent(SessionEvent event) {
        if (event instanceof SessionEvent.Created) {
            created.increment();
        } else if (event instanceof SessionEvent.Invalidated e) {
            ended.get(e.reason()).increment();
        } else if (event instanceof SessionEvent.Expired e) {
            ended.get(e.reason()).increment();
        } else if (event instanceof SessionEvent.PlatformSwitched) {
            switches.increment();
        } else if (event instanceof SessionEvent.Rotated) {
            rotations.increment();
        } else if (event instanceof SessionEvent.Extended) {
            extensions.increment();
        } else if (event instanceof SessionEvent.Elevated) {
            elevations.increment();
        } else if (event instanceof SessionEvent.Suspicious e) {
            suspicious.get(e.kind()).increment();
        }
    }

    /**
     * Counts live sessions in the store (one query) and updates {@code platform.sessions.active}. A store
     * failure is logged at WARN and leaves the previous values in place.
     *
     * @return {@code true} if the gauge was updated, {@code false} if the store failed
     */
    public boolean sampleActiveSessions() {
        Map<String, Long> byType;
        try {
            byType = store.countActiveByPlatformType(clock.instant());
        } catch (SessionStoreException e) {
            LOG.warn("could not count active sessions for metrics: {}", e.getMessage());
            return false;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>(byType.size() + 1);
        byType.forEach((type, count) -> rows.add(
                MultiGauge.Row.of(Tags.of("platform.type", type.isEmpty() ? "none" : type), count)));
        if (!byType.containsKey("")) {
            rows.add(MultiGauge.Row.of(Tags.of("platform.type", "none"), 0)); // an empty store still reports 0
        }
        active.register(rows, true);
        return true;
    }
}
