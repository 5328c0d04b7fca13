package io.platformsessions.jdbc;

import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionChangeBus;
import java.util.HexFormat;

/**
 * The one owner of what a change announcement looks like in the database: the PostgreSQL {@code NOTIFY} payload
 * {@code <node id, 16 hex>:<version, decimal, or -1 for ended>:<session key, 64 hex>} (at most 103 characters), and
 * the checks a change-log row must pass. Nothing else goes in: no token, no secret, no attribute (the key is a hash
 * of the token). Anything that does not parse exactly is malformed, never an exception. Stateless and thread-safe.
 */
final class ChangeMessages {
    private static final HexFormat HEX = HexFormat.of();
    private static final int NODE_HEX = 16;
    private static final int KEY_HEX = SessionKey.LENGTH * 2;
    /** Longest well-formed payload: node, version (19 digits), key, two colons. */
    static final int MAX_PAYLOAD = NODE_HEX + 1 + 19 + 1 + KEY_HEX;

    private ChangeMessages() {
    }

    /** A decoded announcement and the node that made it. */
    record Message(long nodeId, SessionChangeBus.Change change) {
    }

    /** The payload announcing that the session under {@code key} now has {@code version} (or ended: -1). */
    static String payload(long nodeId, byte[] key, long version) {
        return HEX.toHexDigits(nodeId) + ":" + version + ":" + HEX.formatHex(key);
    }

    /**
     * Decodes a payload.
     *
     * @param payload what arrived, possibly {@code null} or anything
     * @return the message, or {@code null} if it is not exactly in the format above
     */
    static Message parse(String payload) {
        if (payload == null || payload.length() > MAX_PAYLOAD) {
            return null;
        }
        int first = payload.indexOf(':');
        int second = first < 0 ? -1 : payload.indexOf(':', first + 1);
        if (first != NODE_HEX || second < 0 || payload.length() - second - 1 != KEY_HEX) {
            return null;
        }
        try {
            long node = HexFormat.fromHexDigitsToLong(payload, 0, NODE_HEX);
            String v = payload.substring(first + 1, second);
            if (v.isEmpty() || (v.charAt(0) == '+') || (v.length() > 1 && v.charAt(0) == '0')) {
                return null;
            }
            long version = Long.parseLong(v);
            byte[] key = HEX.parseHex(payload, second + 1, payload.length());
            return change(node, key, version);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return null;
        }
    }

    /**
     * Checks a change-log row.
     *
     * @return the message, or {@code null} if the key is not a session key or the version is neither positive nor -1
     */
    static Message change(long nodeId, byte[] key, long version) {
        if (key == null || key.length != SessionKey.LENGTH
                || (version < 1 && version != SessionChangeBus.DELETED)) {
            return null;
        }
        return new Message(nodeId, new SessionChangeBus.Change(SessionKey.ofBytes(key), version));
    }
}
