package io.platformsessions.redis;

import io.platformsessions.SessionKey;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of every Redis key the store uses, and the key prefix rule. The Lua library mirrors the names
 * of the keys scripts derive themselves ({@code lib.lua}); this class is the owner. Immutable.
 *
 * <p>A session lives in bucket {@code b} = the first two hex digits of its key (256 buckets). The bucket is
 * a Redis Cluster hash tag, so a session's hash and its bucket's expiry indexes share one hash slot and one
 * script can update them atomically on a cluster too.
 */
final class RedisKeys {
    /** Default key prefix. */
    static final String DEFAULT_PREFIX = "ps:";
    /** Longest allowed prefix. */
    static final int PREFIX_MAX = 64;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1," + PREFIX_MAX + "}");
    /** The 256 bucket names {@code 00} to {@code ff}. */
    static final List<String> BUCKETS = buckets();

    final String prefix;

    RedisKeys(String prefix) {
        this.prefix = checkPrefix(prefix);
    }

    /**
     * Validates a key prefix: 1 to 64 characters of {@code A-Z a-z 0-9 _ . : -}. Braces are refused because
     * they would change the store's Redis Cluster hash tags; spaces and control characters because they make
     * keys hard to handle in {@code redis-cli} and ACL patterns.
     */
    static String checkPrefix(String value) {
        if (value == null || !PREFIX.matcher(value).matches()) {
            throw new IllegalArgumentException("keyPrefix must be 1 to " + PREFIX_MAX
                    + " characters of A-Z a-z 0-9 _ . : - (no braces, no spaces), was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    /** The session's member name in the indexes: its key as 64 lowercase hex digits. */
    static String member(SessionKey key) {
        return key.hex();
    }

    /** The session's bucket: the first two hex digits of its key. */
    static String bucket(String member) {
        return member.substring(0, 2);
    }

    /** The hash holding one session. */
    String session(String member) {
        return prefix + "s:{" + bucket(member) + "}:" + member;
    }

    /** The set of platform types that have an expiry index in a bucket. */
    String types(String bucket) {
        return prefix + "t:{" + bucket + "}";
    }

    /** A user's index of session members, scored by absolute expiry. */
    String user(String userId) {
        return prefix + "u:" + userId;
    }

    /** The capped stream of ended sessions. */
    String archive() {
        return prefix + "archive";
    }

    /**
     * The change bus's channels: {@code <prefix>bus} on a single node; on a cluster one shard channel per bucket,
     * {@code <prefix>bus:{<bucket>}}, in the bucket's hash slot (so a script announces in its own slot).
     */
    List<String> busChannels(boolean cluster) {
        if (!cluster) {
            return List.of(prefix + "bus");
        }
        return BUCKETS.stream().map(b -> prefix + "bus:{" + b + "}").toList();
    }

    /** The pattern matching every key of this prefix, for tools and tests (never used on request paths). */
    String pattern() {
        return prefix + "*";
    }

    private static List<String> buckets() {
        String[] out = new String[256];
        for (int i = 0; i < 256; i++) {
            out[i] = String.format("%02x", i);
        }
        return List.of(out);
    }
}
