package io.platformsessions.redis;

import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionChangeBus.Change;
import java.util.regex.Pattern;

/**
 * The change bus's message format, the one owner of it in Java ({@code lib.lua}'s {@code announce} writes it):
 * {@code 1 <node id> <session key hex> <version>}, where the node id is 16 lowercase hex digits, the key 64, and
 * the version a positive number or {@code -1} ({@link SessionChangeBus#DELETED}). Nothing else is ever in it (no
 * token, no secret). Stateless.
 */
final class RedisBusMessage {
    /** What {@link #parse} returns for a well-formed message of the reading node itself. */
    static final Change OWN = new Change(SessionKey.ofHex("0".repeat(64)), 1);
    private static final Pattern NODE = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern MESSAGE = Pattern.compile("1 [0-9a-f]{16} [0-9a-f]{64} (-1|[1-9][0-9]{0,18})");

    private RedisBusMessage() {
    }

    /** Whether {@code id} is a node id (16 lowercase hex digits). */
    static boolean isNodeId(String id) {
        return id != null && NODE.matcher(id).matches();
    }

    /** The message announcing {@code change} from {@code nodeId} (what the scripts send; for tests and tools). */
    static String format(String nodeId, Change change) {
        return "1 " + nodeId + " " + change.key().hex() + " " + change.version();
    }

    /**
     * Reads a message.
     *
     * @param payload the message as received
     * @param ownNodeId the reading node's id
     * @return the change, {@link #OWN} if the reading node sent it, or {@code null} if it is not a message of this
     *         format (never throws)
     */
    static Change parse(String payload, String ownNodeId) {
        if (payload == null || payload.length() > 110 || !MESSAGE.matcher(payload).matches()) {
            return null;
        }
        if (payload.regionMatches(2, ownNodeId, 0, 16)) {
            return OWN;
        }
        try {
            long version = Long.parseLong(payload.substring(84));
            return new Change(SessionKey.ofHex(payload.substring(19, 83)), version);
        } catch (IllegalArgumentException e) { // an out-of-range version
            return null;
        }
    }
}
