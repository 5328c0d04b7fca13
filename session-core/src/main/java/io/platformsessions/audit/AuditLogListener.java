package io.platformsessions.audit;

import io.platformsessions.ActivePlatform;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionListener} that writes one structured line per session event to SLF4J, in
 * {@code key=value} form (logfmt), for example:
 *
 * <pre>{@code
 * session_event=CREATED key=3fa1b2c4 session=Yx1... user=alice platform=12 platform_type=mastodon reason=- ip=203.0.113.7
 * session_event=SUSPICIOUS key=3fa1b2c4 session=Yx1... user=alice platform=- reason=CLIENT_CHANGE ip=198.51.100.9 detail="network 203.0.113.0/24 -> 198.51.100.0/24"
 * }</pre>
 *
 * <p>Fields, always in this order: {@code session_event} (CREATED, PLATFORM_SWITCHED, ROTATED,
 * EXTENDED, INVALIDATED, EXPIRED, ELEVATED, SUSPICIOUS), {@code key} (the 8-character
 * {@link SessionKey#prefix()} of the SHA-256 key, never the token), {@code session} (the stable,
 * non-secret session id), {@code user}, {@code platform} (and {@code platform_type} when known),
 * {@code reason} (invalidation reason, suspicion kind, or for a platform switch the engine made, the
 * {@link SessionEvent.SwitchReason}; {@code -} for a switch the user asked for), {@code ip} (when the event carries it),
 * then event-specific extras ({@code previous_key}, {@code from_platform}, {@code level},
 * {@code until}, {@code absolute_expires}, {@code detail}). A missing value is written as {@code -}.
 * Events never carry raw tokens, CSRF secrets or attribute values, so neither does this line.
 *
 * <p>Values are sanitised against log injection: anything outside printable ASCII, spaces, quotes,
 * backslashes and {@code =} cause the value to be quoted with escapes ({@code \n}, {@code \"},
 * {@code \\u00e9}), and each value is cut to 200 characters.
 *
 * <p>Suspicious-activity events are logged at WARN, everything else at INFO. Thread-safe and
 * stateless apart from the logger.
 */
public final class AuditLogListener implements SessionListener {
    /** The default logger name: {@value}. */
    public static final String LOGGER_NAME = "io.platformsessions.audit";
    private static final int MAX_VALUE = 200;

    private final Logger log;

    /** Creates a listener writing to the logger named {@value #LOGGER_NAME}. */
    public AuditLogListener() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /**
     * Creates a listener writing to the given logger.
     *
     * @param log the logger
     * @throws NullPointerException if {@code log} is null
     */
    public AuditLogListener(Logger log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Writes the event's line: WARN for {@link SessionEvent.Suspicious}, INFO otherwise.
     *
     * @param event the event
     */
    @Override
    public void onEvent(SessionEvent event) {
        if (event == null) {
            return;
        }
        if (event instanceof SessionEvent.Suspicious) {
            if (log.isWarnEnabled()) {
                log.warn("{}", format(event));
            }
        } else if (log.isInfoEnabled()) {
            log.info("{}", format(event));
        }
    }

    /**
     * The audit line for an event, without writing it.
     *
     * @param event the event
     * @return one line, no line breaks
     * @throws NullPointerException if {@code event} is null
     */
    public static String format(SessionEvent event) {
        Objects.requireNonNull(event, "event");
        Line line = new Line();
        ActivePlatform platform = null;
        String reason = null;
        String ip = null;
        String name;
        Line extras = new Line();
        if (event instanceof SessionEvent.Created e) {
            name = "CREATED";
            platform = e.platform();
            ip = e.clientIp();
        } else if (event instanceof SessionEvent.PlatformSwitched e) {
            name = "PLATFORM_SWITCHED";
            platform = e.to();
            reason = e.reason() == null || e.reason() == SessionEvent.SwitchReason.REQUESTED ? null : e.reason().name();
            extras.add("from_platform", e.from() == null ? null : Long.toString(e.from().id()));
        } else if (event instanceof SessionEvent.Rotated e) {
            name = "ROTATED";
            extras.add("previous_key", prefix(e.previousKey()));
        } else if (event instanceof SessionEvent.Extended e) {
            name = "EXTENDED";
            extras.add("absolute_expires", String.valueOf(e.absoluteExpiresAt()));
        } else if (event instanceof SessionEvent.Invalidated e) {
            name = "INVALIDATED";
            reason = e.reason() == null ? null : e.reason().name();
        } else if (event instanceof SessionEvent.Expired e) {
            name = "EXPIRED";
            reason = e.reason() == null ? null : e.reason().name();
        } else if (event instanceof SessionEvent.Elevated e) {
            name = "ELEVATED";
            if (e.elevation() != null) {
                extras.add("level", e.elevation().level().name());
                extras.add("until", e.elevation().until().toString());
            }
        } else if (event instanceof SessionEvent.Suspicious e) {
            name = "SUSPICIOUS";
            reason = e.kind() == null ? null : e.kind().name();
            ip = e.clientIp();
            extras.add("detail", e.detail());
        } else {
            name = event.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
        }
        line.add("session_event", name);
        line.add("key", prefix(event.key()));
        line.add("session", event.sessionId());
        line.add("user", event.userId());
        line.add("platform", platform == null ? null : Long.toString(platform.id()));
        if (platform != null && platform.type() != null) {
            line.add("platform_type", platform.type());
        }
        line.add("reason", reason);
        line.add("ip", ip);
        return line.append(extras).toString();
    }

    private static String prefix(SessionKey key) {
        return key == null ? null : key.prefix();
    }

    /** Builds {@code k=v k=v}. */
    private static final class Line {
        private final StringBuilder out = new StringBuilder(160);

        void add(String key, String value) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(key).append('=');
            appendValue(out, value);
        }

        Line append(Line other) {
            if (other.out.length() > 0) {
                out.append(' ').append(other.out);
            }
            return this;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    static void appendValue(StringBuilder out, String raw) {
        if (raw == null || raw.isEmpty()) {
            out.append('-');
            return;
        }
        String value = raw.length() > MAX_VALUE ? raw.substring(0, MAX_VALUE) : raw;
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c < 127 && c != '"' && c != '\\' && c != '=';
        }
        if (plain) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= ' ' && c < 127) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        out.append('"');
    }
}
