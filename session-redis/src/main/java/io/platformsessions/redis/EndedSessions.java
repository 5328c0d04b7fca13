package io.platformsessions.redis;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.redis.RedisConnection.Call;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How sessions end in the store, and what the per-bucket expiry indexes are read for: the delete with a reason,
 * the count-then-claim sweep of expired sessions ({@code deleteExpired}), the archive argument both pass to their
 * scripts (the stream's approximate length, or {@code "0"} when archiving is off), the cluster follow-ups of the
 * sessions they ended (through {@link ClusterSteps}), and the live count per platform type. The behaviour is
 * documented on {@link RedisSessionStore}'s methods and in {@code docs/redis.md} ("Expiry, {@code deleteExpired}").
 * Thread-safe (immutable; every call is independent Redis work).
 */
final class EndedSessions {
    /** Count-then-claim passes per {@link #deleteExpired} call when other nodes claim concurrently. */
    private static final int CLAIM_ATTEMPTS = 4;

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final StoreScripts scripts;
    /** The cross-slot follow-ups on a cluster; {@code null} on a single node, where the scripts do everything. */
    private final ClusterSteps cluster;
    private final boolean archive;
    private final String archiveMax;

    /**
     * @param cluster the cluster steps, {@code null} on a single node
     * @param archive whether ended sessions are appended to the archive stream
     * @param archiveMaxLength about how many entries the archive stream keeps (used only when archiving)
     */
    EndedSessions(StoreScripts scripts, ClusterSteps cluster, boolean archive, long archiveMaxLength) {
        this.redis = scripts.redis;
        this.keys = scripts.keys;
        this.scripts = scripts;
        this.cluster = cluster;
        this.archive = archive;
        this.archiveMax = archive ? Long.toString(archiveMaxLength) : "0";
    }

    /** Whether ended sessions are archived. */
    boolean archives() {
        return archive;
    }

    /** {@link RedisSessionStore#delete}: one script, then on a cluster the index and archive follow-ups. */
    boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        Objects.requireNonNull(reason, "reason");
        String member = RedisKeys.member(key);
        List<Object> r = scripts.run(Script.DELETE, keys.session(member), scripts.args(endedAt.toEpochMilli(), member,
                reason.name(), archiveMax), "delete session " + key.prefix() + "…");
        if (StoreScripts.number(r, 1) == 0) {
            return false;
        }
        if (cluster != null) {
            cluster.afterEnded(List.of(r.get(2), member, r.get(3)));
        }
        return true;
    }

    /** {@link RedisSessionStore#deleteExpired}: count-then-claim passes until a pass got all it counted. */
    int deleteExpired(Instant now, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        long nowMillis = now.toEpochMilli();
        int claimed = 0;
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS && claimed < batchSize; attempt++) {
            Claimed pass = claimExpired(nowMillis, batchSize - claimed);
            claimed += pass.claimed();
            if (pass.claimed() == pass.counted()) {
                break; // got all it counted: no other node raced this pass
            }
        }
        return claimed;
    }

    /** What one count-then-claim pass counted (up to its limit) and claimed. */
    private record Claimed(int counted, int claimed) {
    }

    /** One count-then-claim pass: two round trips (one when nothing has expired). */
    private Claimed claimExpired(long nowMillis, int limit) {
        List<String> buckets = rotatedBuckets();
        List<Call> counts = new ArrayList<>(buckets.size());
        for (String b : buckets) {
            counts.add(StoreScripts.call(Script.EXPIRED_COUNT, keys.types(b), scripts.args(nowMillis, b)));
        }
        List<List<Object>> expired = redis.runAll(counts, "count expired sessions");
        List<Call> claims = new ArrayList<>();
        int remaining = limit;
        for (int i = 0; i < buckets.size() && remaining > 0; i++) {
            int quota = (int) Math.min(StoreScripts.number(scripts.settled(expired.get(i)), 1), remaining);
            if (quota > 0) {
                remaining -= quota;
                String b = buckets.get(i);
                claims.add(StoreScripts.call(Script.EXPIRED_CLAIM, keys.types(b), scripts.args(nowMillis, b,
                        Integer.toString(quota), archiveMax, InvalidationReason.ABSOLUTE_TIMEOUT.name(),
                        InvalidationReason.IDLE_TIMEOUT.name())));
            }
        }
        if (claims.isEmpty()) {
            return new Claimed(0, 0);
        }
        int claimed = 0;
        List<Object> followUps = new ArrayList<>();
        for (List<Object> r : redis.runAll(claims, "delete expired sessions")) {
            scripts.settled(r);
            claimed += (int) StoreScripts.number(r, 1);
            followUps.addAll(r.subList(2, r.size()));
        }
        if (cluster != null && !followUps.isEmpty()) {
            cluster.afterEnded(followUps);
        }
        return new Claimed(limit - remaining, claimed);
    }

    /** All buckets in order, starting at a random one. */
    private static List<String> rotatedBuckets() {
        int start = ThreadLocalRandom.current().nextInt(RedisKeys.BUCKETS.size());
        List<String> out = new ArrayList<>(RedisKeys.BUCKETS.size());
        out.addAll(RedisKeys.BUCKETS.subList(start, RedisKeys.BUCKETS.size()));
        out.addAll(RedisKeys.BUCKETS.subList(0, start));
        return out;
    }

    /** {@link RedisSessionStore#countActiveByPlatformType}: one pipelined script per bucket, summed per type. */
    Map<String, Long> countActiveByPlatformType(Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Call> calls = new ArrayList<>(RedisKeys.BUCKETS.size());
        for (String b : RedisKeys.BUCKETS) {
            calls.add(StoreScripts.call(Script.LIVE_COUNT, keys.types(b), scripts.args(nowMillis, b)));
        }
        Map<String, Long> out = new HashMap<>();
        for (List<Object> r : redis.runAll(calls, "count active sessions")) {
            scripts.settled(r);
            for (int i = 1; i + 1 < r.size(); i += 2) {
                out.merge((String) r.get(i), StoreScripts.number(r, i + 1), Long::sum);
            }
        }
        return out;
    }
}
