package io.platformsessions.redis;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.redis.RedisConnection.Call;
import io.platformsessions.spi.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the store talks to its scripts: the arguments every script starts with (see {@code lib.lua}), records as
 * script arguments, results and their repair counts, and reading hashes back with foreign data counted, never
 * thrown. Shared by {@link RedisSessionStore} and {@link ClusterSteps}. Thread-safe.
 */
final class StoreScripts {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

    final RedisConnection redis;
    final RedisKeys keys;
    private final String retentionMillis;
    private final String sameNode;
    private final int maxAttributesBytes;
    private final LongAdder malformed = new LongAdder();

    /**
     * @param busNode the change bus's node id, which the write scripts put in their announcements; {@code null}
     *        when the bus is off (the scripts then announce nothing)
     */
    StoreScripts(RedisConnection redis, RedisKeys keys, long retentionMillis, boolean cluster, int maxAttributesBytes,
                 String busNode) {
        this.redis = redis;
        this.keys = keys;
        this.retentionMillis = Long.toString(retentionMillis);
        this.sameNode = (cluster ? "0" : "1") + (busNode == null ? "" : " " + busNode);
        this.maxAttributesBytes = maxAttributesBytes;
    }

    /** Runs a script on one key and returns its settled result (one round trip). */
    List<Object> run(Script s, String key, String[] args, String what) {
        return settled(redis.run(call(s, key, args), what));
    }

    /** Runs a script on two keys (one node only). */
    List<Object> run(Script s, String key1, String key2, String[] args, String what) {
        return settled(redis.run(new Call(s, new String[] {key1, key2}, args), what));
    }

    static Call call(Script s, String key, String[] args) {
        return new Call(s, new String[] {key}, args);
    }

    /** Deletes a session only at {@code version}: the undo of a half-done cluster create or rotation. */
    Call casDelete(long now, String member, long version) {
        return call(Script.CAS_DELETE, keys.session(member), args(now, member, Long.toString(version)));
    }

    /** A settled script result: rethrows its failure, counts the foreign values it replaced. */
    List<Object> settled(Object result) {
        if (result instanceof SessionStoreException e) {
            throw e;
        }
        List<Object> r = RedisConnection.asList(result);
        long repairs = number(r, 0);
        if (repairs > 0) {
            malformed.add(repairs);
            LOG.warn("replaced {} foreign value(s) under the key prefix '{}' that were not this store's indexes",
                    repairs, keys.prefix);
        }
        return r;
    }

    static long number(List<Object> r, int index) {
        return ((Number) r.get(index)).longValue();
    }

    /**
     * The arguments every script starts with (now, retention, prefix, same-node flag with the bus's node id when
     * the change bus is on), then {@code tail}.
     */
    String[] args(long now, List<String> tail) {
        String[] a = new String[4 + tail.size()];
        a[0] = Long.toString(now);
        a[1] = retentionMillis;
        a[2] = keys.prefix;
        a[3] = sameNode;
        for (int i = 0; i < tail.size(); i++) {
            a[4 + i] = tail.get(i);
        }
        return a;
    }

    String[] args(long now, String... tail) {
        return args(now, Arrays.asList(tail));
    }

    /** Arguments of insert.lua: the member, then the record. */
    String[] withRecord(long now, SessionRecord r, String member) {
        List<String> tail = new ArrayList<>(48);
        tail.add(member);
        addRecord(tail, r);
        return args(now, tail);
    }

    /** Effective and absolute expiry, platform type, user id, then the hash's fields. */
    void addRecord(List<String> tail, SessionRecord r) {
        tail.add(millis(r.expiresAt()));
        tail.add(millis(r.absoluteExpiresAt()));
        tail.add(RecordCodec.platformType(r));
        tail.add(r.userId());
        tail.addAll(RecordCodec.encode(r, checkedAttributes(r)));
    }

    private String checkedAttributes(SessionRecord r) {
        String attributes = r.attributes().encode();
        // UTF-8 needs at most 3 bytes per UTF-16 char: only count exactly when it could matter
        if ((long) attributes.length() * 3 > maxAttributesBytes) {
            int bytes = attributes.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxAttributesBytes) {
                throw new IllegalArgumentException("session attributes are " + bytes + " bytes encoded, over the Redis "
                        + "store's limit of " + maxAttributesBytes + " (RedisSessionStore.Builder.maxAttributesBytes)");
            }
        }
        return attributes;
    }

    static String millis(java.time.Instant t) {
        return Long.toString(t.toEpochMilli());
    }

    /** Reads a session back, or {@code null} (counted and logged) if the hash is not one. */
    SessionRecord decode(SessionKey key, Map<String, String> hash) {
        try {
            return RecordCodec.decode(key, hash);
        } catch (RecordCodec.MalformedEntryException e) {
            malformed(key.prefix(), e.getMessage());
            return null;
        }
    }

    /** Adds the session read from an index member's hash to {@code out} if it is a readable session of {@code userId}. */
    void addIfOwned(List<SessionRecord> out, String userId, String member, Map<String, String> hash) {
        SessionKey key;
        try {
            key = SessionKey.ofHex(member);
        } catch (IllegalArgumentException e) {
            malformed(member.length() > 8 ? member.substring(0, 8) : member, "user index entry is not a session key");
            return;
        }
        if (hash.isEmpty()) {
            malformed(key.prefix(), "holds another Redis type");
            return;
        }
        SessionRecord record = decode(key, hash);
        if (record != null && record.userId().equals(userId)) {
            out.add(record);
        } else if (record != null) {
            malformed(key.prefix(), "is listed under another user");
        }
    }

    /** A script's flat field/value list (an {@code HGETALL}-style reply) as a hash. */
    static Map<String, String> hashOf(Object flatReply) {
        List<Object> flat = RedisConnection.asList(flatReply);
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            h.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return h;
    }

    void malformed(String keyPrefix, String why) {
        malformed.increment();
        LOG.warn("Redis entry for session {}… under prefix '{}' is not a readable session ({}); treated as no session",
                keyPrefix, keys.prefix, why);
    }

    long malformedEntries() {
        return malformed.sum();
    }
}
