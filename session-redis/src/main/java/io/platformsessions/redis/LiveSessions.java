package io.platformsessions.redis;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.redis.RedisConnection.Call;
import io.platformsessions.spi.SessionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading and writing live sessions: insert (with the user's live count), find, compare-and-set update, rekey,
 * touch and find by user. On a single node each is one script (or one {@code HGETALL}); on a cluster the steps that
 * span hash slots are {@link ClusterSteps}'. Ending sessions is {@link EndedSessions}'. The behaviour is documented
 * on {@link RedisSessionStore}'s methods and in {@code docs/redis.md}. Thread-safe (immutable; every call is
 * independent Redis work).
 */
final class LiveSessions {
    private final RedisConnection redis;
    private final RedisKeys keys;
    private final StoreScripts scripts;
    /** The cross-slot steps on a cluster; {@code null} on a single node, where the scripts do everything. */
    private final ClusterSteps cluster;
    /** The store's clock: "now" for the scripts (native TTLs, expiry checks). */
    private final Clock clock;

    /** @param cluster the cluster steps, {@code null} on a single node */
    LiveSessions(StoreScripts scripts, ClusterSteps cluster, Clock clock) {
        this.redis = scripts.redis;
        this.keys = scripts.keys;
        this.scripts = scripts;
        this.cluster = cluster;
        this.clock = clock;
    }

    /** Inserts at the store clock's now, without counting. */
    void insert(SessionRecord record) {
        insert(record, clock.instant(), false);
    }

    /**
     * Inserts, and with {@code count} returns the user's live sessions including this one (else a value to ignore).
     *
     * @throws SessionStoreException (permanent) if a session with the key exists
     */
    int insert(SessionRecord r, Instant now, boolean count) {
        String member = RedisKeys.member(r.key());
        String what = "insert session " + r.key().prefix() + "…";
        List<Object> inserted = scripts.run(Script.INSERT, keys.session(member),
                scripts.withRecord(now.toEpochMilli(), r, member), what);
        if (StoreScripts.number(inserted, 1) == 0) {
            throw RedisFailures.sessionExists(r.key());
        }
        return cluster == null ? (int) StoreScripts.number(inserted, 2)
                : cluster.indexNewSession(r, member, now, count, what);
    }

    Optional<SessionRecord> find(SessionKey key) {
        String member = RedisKeys.member(key);
        Map<String, String> hash;
        try {
            hash = redis.call(c -> c.hgetall(keys.session(member)), "find session " + key.prefix() + "…");
        } catch (SessionStoreException e) {
            if (RedisFailures.isWrongType(e.getCause())) {
                scripts.malformed(key.prefix(), "holds another Redis type");
                return Optional.empty();
            }
            throw e;
        }
        return hash.isEmpty() ? Optional.empty() : Optional.ofNullable(scripts.decode(key, hash));
    }

    boolean update(SessionRecord next, long expectedVersion) {
        String member = RedisKeys.member(next.key());
        long now = clock.millis();
        String what = "update session " + next.key().prefix() + "…";
        List<String> tail = new ArrayList<>(48);
        tail.add(member);
        tail.add(Long.toString(expectedVersion));
        scripts.addRecord(tail, next);
        Call update = StoreScripts.call(Script.UPDATE, keys.session(member), scripts.args(now, tail));
        if (cluster != null) {
            return cluster.update(update, next, member, now, what);
        }
        return StoreScripts.number(scripts.settled(redis.run(update, what)), 1) == 1;
    }

    /** @throws SessionStoreException (permanent) if a session with the new key exists */
    boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        String oldMember = RedisKeys.member(oldKey);
        String newMember = RedisKeys.member(next.key());
        long now = clock.millis();
        String what = "rekey session " + oldKey.prefix() + "…";
        if (cluster != null) {
            return cluster.rekey(oldMember, newMember, next, expectedVersion, now, what);
        }
        List<String> tail = new ArrayList<>(48);
        tail.add(oldMember);
        tail.add(newMember);
        tail.add(Long.toString(expectedVersion));
        scripts.addRecord(tail, next);
        long status = StoreScripts.number(scripts.run(Script.REKEY, keys.session(oldMember), keys.session(newMember),
                scripts.args(now, tail), what), 1);
        if (status == -1) {
            throw RedisFailures.sessionExists(next.key());
        }
        return status == 1;
    }

    boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        String member = RedisKeys.member(key);
        return StoreScripts.number(scripts.run(Script.TOUCH, keys.session(member), scripts.args(clock.millis(), member,
                StoreScripts.millis(lastActivityAt), StoreScripts.millis(idleExpiresAt)),
                "touch session " + key.prefix() + "…"), 1) == 1;
    }

    List<SessionRecord> findByUser(String userId) {
        List<Object> r = scripts.run(Script.USER_LIST, keys.user(userId), scripts.args(clock.millis()),
                "find sessions of a user");
        if (cluster != null) {
            return cluster.findByUser(userId, r);
        }
        List<SessionRecord> out = new ArrayList<>();
        for (int i = 1; i + 1 < r.size(); i += 2) {
            scripts.addIfOwned(out, userId, (String) r.get(i), StoreScripts.hashOf(r.get(i + 1)));
        }
        return out;
    }
}
