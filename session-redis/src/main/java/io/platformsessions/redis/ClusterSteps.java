package io.platformsessions.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.platformsessions.SessionStoreException;
import io.platformsessions.redis.RedisConnection.Call;
import io.platformsessions.spi.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work that spans hash slots on a Redis Cluster, where a session and its user's index (and the archive
 * stream) live on different slots: ordered so that a failure in between never leaves a session "log out
 * everywhere" cannot reach, with everything else repaired by readers. On a single node the scripts do all of
 * this atomically and this class is not used. See docs/redis.md, "Redis Cluster". Thread-safe.
 */
final class ClusterSteps {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

    private final StoreScripts scripts;
    private final RedisConnection redis;
    private final RedisKeys keys;
    private final XAddArgs capped;
    private final LongAdder archiveFailures = new LongAdder();

    ClusterSteps(StoreScripts scripts, long archiveMaxLength) {
        this.scripts = scripts;
        this.redis = scripts.redis;
        this.keys = scripts.keys;
        this.capped = new XAddArgs().maxlen(archiveMaxLength).approximateTrimming();
    }

    /**
     * After the session hash is written: index it under its user, and count the user's live sessions when asked
     * (checking the other members against their hashes: one more round trip when there are any). If indexing fails,
     * the new session is removed again and the failure thrown: its token was never handed out.
     */
    int indexNewSession(SessionRecord r, String member, Instant now, boolean count, String what) {
        long nowMillis = now.toEpochMilli();
        List<Object> members;
        try {
            members = scripts.run(Script.USER_ADD, keys.user(r.userId()), scripts.args(nowMillis, member,
                    StoreScripts.millis(r.absoluteExpiresAt())), what);
        } catch (SessionStoreException e) {
            redis.runAndForget(scripts.casDelete(nowMillis, member, r.version()), what);
            throw e;
        }
        if (!count) {
            return -1;
        }
        List<String> others = new ArrayList<>();
        for (Object m : members.subList(1, members.size())) {
            if (!member.equals(m)) {
                others.add((String) m);
            }
        }
        return (r.expiredAt(now) ? 0 : 1) + (others.isEmpty() ? 0 : countLive(r.userId(), others, nowMillis));
    }

    /** How many of these index members are live sessions of the user (one pipelined round trip). */
    private int countLive(String userId, List<String> members, long nowMillis) {
        List<Function<RedisClusterAsyncCommands<String, String>, RedisFuture<List<KeyValue<String, String>>>>> reads =
                new ArrayList<>(members.size());
        for (String m : members) {
            String sessionKey = keys.session(m);
            reads.add(c -> c.hmget(sessionKey, RecordCodec.EXPIRES, RecordCodec.USER_ID));
        }
        List<Object> results = redis.callAllSettled(reads, "count the sessions of a user");
        String userKey = keys.user(userId);
        int live = 0;
        for (int i = 0; i < results.size(); i++) {
            Object o = results.get(i);
            String m = members.get(i);
            if (o instanceof SessionStoreException e) {
                if (!RedisFailures.isWrongType(e.getCause())) {
                    throw e;
                }
                continue; // foreign data: not a live session
            }
            List<?> values = (List<?>) o;
            KeyValue<?, ?> expires = (KeyValue<?, ?>) values.get(0);
            KeyValue<?, ?> owner = (KeyValue<?, ?>) values.get(1);
            if (!expires.hasValue() && !owner.hasValue()) {
                redis.sendAndForget(c -> c.zrem(userKey, m), "drop a dangling user index entry");
            } else if (expires.hasValue() && owner.hasValue() && userId.equals(owner.getValue())
                    && parsesAfter((String) expires.getValue(), nowMillis)) {
                live++;
            }
        }
        return live;
    }

    private static boolean parsesAfter(String millis, long nowMillis) {
        try {
            return Long.parseLong(millis) > nowMillis;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The compare-and-set script, and in the same round trip the user index score raised (ZADD GT). */
    boolean update(Call update, SessionRecord next, String member, long now, String what) {
        List<Object> results = redis.runAllSettled(List.of(update, StoreScripts.call(Script.USER_ADD,
                keys.user(next.userId()), scripts.args(now, member, StoreScripts.millis(next.absoluteExpiresAt())))), what);
        if (results.get(1) instanceof SessionStoreException e) {
            LOG.warn("session {}… updated, but its user's index could not be refreshed: {}", next.key().prefix(),
                    e.getMessage());
        }
        return StoreScripts.number(scripts.settled(results.get(0)), 1) == 1;
    }

    /**
     * Rotation (old and new key usually live in different slots): write the new session, then delete the old one
     * at the expected version and index the new one, together. Until the call returns only the old token is known
     * to anyone, so clients never see both; on a version conflict or a failure the new session is removed again
     * (fail closed: at worst the user has to log in again).
     */
    boolean rekey(String oldMember, String newMember, SessionRecord next, long expectedVersion, long now, String what) {
        if (StoreScripts.number(scripts.run(Script.INSERT, keys.session(newMember),
                scripts.withRecord(now, next, newMember), what), 1) == 0) {
            throw RedisFailures.sessionExists(next.key());
        }
        List<Object> results = redis.runAllSettled(List.of(
                StoreScripts.call(Script.CAS_DELETE, keys.session(oldMember),
                        scripts.args(now, oldMember, Long.toString(expectedVersion))),
                StoreScripts.call(Script.USER_ADD, keys.user(next.userId()),
                        scripts.args(now, newMember, StoreScripts.millis(next.absoluteExpiresAt())))), what);
        boolean moved;
        try {
            moved = StoreScripts.number(scripts.settled(results.get(0)), 1) == 1;
            scripts.settled(results.get(1));
        } catch (SessionStoreException e) {
            redis.runAndForget(scripts.casDelete(now, newMember, next.version()), what);
            throw e;
        }
        String userKey = keys.user(next.userId());
        if (!moved) {
            // Waited for (one more round trip, only on a conflict): "false" promises nothing changed, so a find
            // of the new key right after must not see it. Should the removal fail, the new session is unreachable
            // anyway (nobody knows its token) and expires with its TTL.
            Object undone = redis.runAllSettled(List.of(scripts.casDelete(now, newMember, next.version())), what).get(0);
            if (undone instanceof SessionStoreException e) {
                LOG.warn("a rotation that lost its race left an unreachable copy {}… until it expires: {}",
                        next.key().prefix(), e.getMessage());
            }
            redis.sendAndForget(c -> c.zrem(userKey, newMember), what);
            return false;
        }
        redis.sendAndForget(c -> c.zrem(userKey, oldMember), what);
        return true;
    }

    /**
     * Follow-ups of ended sessions, given as (user id, member, archive entry) triples: drop the members from their
     * users' indexes (best effort; readers repair the rest) and append the archive entries (one round trip).
     */
    void afterEnded(List<Object> triples) {
        List<Object[]> entries = new ArrayList<>();
        for (int i = 0; i + 2 < triples.size(); i += 3) {
            String user = (String) triples.get(i);
            String member = (String) triples.get(i + 1);
            if (!user.isEmpty()) {
                String userKey = keys.user(user);
                redis.sendAndForget(c -> c.zrem(userKey, member), "unindex an ended session");
            }
            List<Object> entry = RedisConnection.asList(triples.get(i + 2));
            if (!entry.isEmpty()) {
                entries.add(entry.toArray());
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        String stream = keys.archive();
        List<Function<RedisClusterAsyncCommands<String, String>, RedisFuture<String>>> adds = new ArrayList<>();
        for (Object[] fields : entries) {
            adds.add(c -> c.xadd(stream, capped, fields));
        }
        for (Object o : redis.callAllSettled(adds, "archive ended sessions")) {
            if (o instanceof SessionStoreException e) {
                archiveFailures.increment();
                LOG.warn("an ended session could not be archived: {}", e.getMessage());
            }
        }
    }

    /** The user's sessions from the index members user_list.lua returned: their hashes read in one round trip. */
    List<SessionRecord> findByUser(String userId, List<Object> listed) {
        List<SessionRecord> out = new ArrayList<>();
        List<String> members = new ArrayList<>(listed.size());
        List<Function<RedisClusterAsyncCommands<String, String>, RedisFuture<Map<String, String>>>> reads =
                new ArrayList<>();
        for (Object m : listed.subList(1, listed.size())) {
            String member = (String) m;
            members.add(member);
            String sessionKey = keys.session(member);
            reads.add(c -> c.hgetall(sessionKey));
        }
        if (members.isEmpty()) {
            return out;
        }
        List<Object> hashes = redis.callAllSettled(reads, "find sessions of a user");
        String userKey = keys.user(userId);
        for (int i = 0; i < members.size(); i++) {
            Object h = hashes.get(i);
            String member = members.get(i);
            if (h instanceof SessionStoreException e) {
                if (!RedisFailures.isWrongType(e.getCause())) {
                    throw e;
                }
                scripts.addIfOwned(out, userId, member, Map.of());
            } else if (((Map<?, ?>) h).isEmpty()) {
                // the session is gone (ended, expired): its member was added after its hash, so it stays gone
                redis.sendAndForget(c -> c.zrem(userKey, member), "drop a dangling user index entry");
            } else {
                scripts.addIfOwned(out, userId, member, castMap(h));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked") // HGETALL answers with a map of strings (StringCodec)
    private static Map<String, String> castMap(Object o) {
        return (Map<String, String>) o;
    }

    long archiveFailures() {
        return archiveFailures.sum();
    }
}
