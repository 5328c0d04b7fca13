package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis memory per session, measured on a private empty redis-server: {@code MEMORY USAGE} of one session hash and
 * the growth of {@code used_memory} per session with every index included. The figures are printed (see
 * docs/redis.md) and bounded here so the documentation stays true.
 */
class MemoryUsageTest {
    private static final int SESSIONS = 5_000;
    private static final int USERS = 2_500;

    @Test
    void memoryPerSession() throws Exception {
        try (OwnRedisServer server = OwnRedisServer.launch();
             RedisSessionStore store = RedisSessionStore.builder().uri(server.uri()).build()) {
            Instant now = Instant.now();
            store.insert(SampleSessions.typical("warm-up", now)); // scripts loaded, first keys allocated
            store.insert(SampleSessions.minimal("warm-up", now.plusSeconds(600)));
            long before = usedMemory(server);
            List<SessionRecord> typical = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                SessionRecord r = SampleSessions.typical("user-" + (i % USERS), now);
                typical.add(r);
                store.insert(r);
            }
            long perTypical = (usedMemory(server) - before) / SESSIONS;
            long hashTypical = memoryUsage(server, store, typical.get(0));

            long beforeMinimal = usedMemory(server);
            SessionRecord minimal = null;
            for (int i = 0; i < SESSIONS; i++) {
                minimal = SampleSessions.minimal("other-" + (i % USERS), now.plusSeconds(1800));
                store.insert(minimal);
            }
            long perMinimal = (usedMemory(server) - beforeMinimal) / SESSIONS;
            long hashMinimal = memoryUsage(server, store, minimal);

            String report = String.format("MEMORY per session (%d sessions, 2 per user): typical record (platform, client,"
                    + " elevation, 2 attributes): hash %d B (MEMORY USAGE), %d B used_memory growth with all indexes;"
                    + " minimal record: hash %d B, %d B with all indexes", SESSIONS, hashTypical, perTypical, hashMinimal,
                    perMinimal);
            System.out.println(report);
            assertThat(hashTypical).as("listpack encoding kept").isBetween(200L, 800L);
            assertThat(perTypical).isBetween(hashTypical, 1_200L);
            assertThat(hashMinimal).isLessThan(hashTypical);
            assertThat(perMinimal).isLessThan(perTypical);
        }
    }

    private static long usedMemory(OwnRedisServer server) throws Exception {
        // MEMORY USAGE and INFO through a plain socket: the reply of INFO is a bulk string, read it whole
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port)) {
            s.getOutputStream().write("INFO memory\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    private static long memoryUsage(OwnRedisServer server, RedisSessionStore store, SessionRecord r) throws Exception {
        String key = store.keyPrefix() + "s:{" + r.key().hex().substring(0, 2) + "}:" + r.key().hex();
        String reply = server.command("MEMORY USAGE " + key + " SAMPLES 0");
        return Long.parseLong(reply.substring(1)); // ":<n>"
    }
}
