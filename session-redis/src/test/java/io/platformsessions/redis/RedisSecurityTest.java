package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TLS and ACL pass through to Lettuce: a private redis-server with TLS only (certificates made with openssl),
 * and one with an ACL user allowed only the store's key prefix (which also proves every key the scripts
 * derive stays under the prefix).
 */
class RedisSecurityTest {
    /** Timeouts for calls whose answer, not their speed, is tested. */
    private static final Duration SLOW = Duration.ofSeconds(10);

    @Test
    void tlsWithTheApplicationsClient() throws Exception {
        Path certs = Files.createTempDirectory("ps-redis-tls");
        makeCertificates(certs);
        try (OwnRedisServer server = OwnRedisServer.launch("--tls-port", "0",
                "--tls-cert-file", certs.resolve("server.crt").toString(),
                "--tls-key-file", certs.resolve("server.key").toString(),
                "--tls-ca-cert-file", certs.resolve("ca.crt").toString(), "--tls-auth-clients", "no")) {
            RedisClient client = RedisClient.create("rediss://127.0.0.1:" + server.port);
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                    .trustManager(certs.resolve("ca.crt").toFile()).build()).build());
            try (RedisSessionStore store = RedisSessionStore.builder().client(client).build()) {
                SessionRecord r = SampleSessions.typical("alice", Instant.now());
                store.insert(r);
                assertThat(store.find(r.key())).contains(r);
                assertThat(store.findByUser("alice")).containsExactly(r);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            // without the CA the server's certificate is not trusted: a failure, never a silent plain connection
            try (RedisSessionStore untrusting = RedisSessionStore.builder().uri("rediss://127.0.0.1:" + server.port)
                    .commandTimeout(Duration.ofMillis(500)).build()) {
                assertThatThrownBy(() -> untrusting.find(SampleSessions.randomKey()))
                        .isInstanceOf(SessionStoreException.class);
            }
        }
    }

    @Test
    void aclUserLimitedToThePrefix() throws Exception {
        String prefix = TestRedis.randomPrefix();
        try (OwnRedisServer server = OwnRedisServer.launch("--user", "app", "on", ">s3cret", "~" + prefix + "*",
                "+@all", "--user", "default", "off")) {
            try (RedisSessionStore store = RedisSessionStore.builder().uri(server.uri()).keyPrefix(prefix)
                    .username("app").password("s3cret").expiredRetention(Duration.ofMinutes(1))
                    .archiveEndedSessions(true).build()) {
                Instant now = Instant.now();
                SessionRecord r = SampleSessions.typical("bob", now);
                assertThat(store.insertAndCountLive(r, now)).isEqualTo(1);
                SessionRecord rotated = r.withKey(SampleSessions.randomKey()).withVersion(2);
                assertThat(store.rekey(r.key(), rotated, 1)).isTrue();
                assertThat(store.touch(rotated.key(), now.plusSeconds(61), now.plusSeconds(1861))).isTrue();
                assertThat(store.findByUser("bob")).hasSize(1);
                store.insert(SampleSessions.minimal("carol", now.minusSeconds(5)));
                assertThat(store.deleteExpired(now, 10)).isEqualTo(1);
                assertThat(store.countActiveByPlatformType(now)).containsEntry("mastodon", 1L);
                assertThat(store.delete(rotated.key(), InvalidationReason.LOGOUT, Instant.now())).isTrue();
            }
            // a prefix outside the user's key pattern is refused by the server: not transient
            // (generous timeouts: on a loaded machine a timeout would be a transient failure, not the answer tested)
            try (RedisSessionStore outside = RedisSessionStore.builder().uri(server.uri()).keyPrefix("other:")
                    .username("app").password("s3cret").commandTimeout(SLOW).connectTimeout(SLOW).build()) {
                assertThatThrownBy(() -> outside.insert(SampleSessions.typical("dave", Instant.now())))
                        .isInstanceOfSatisfying(SessionStoreException.class,
                                e -> assertThat(e.isTransient()).as(e.getMessage()).isFalse());
            }
            // wrong password: refused, not transient
            try (RedisSessionStore wrong = RedisSessionStore.builder().uri(server.uri()).keyPrefix(prefix)
                    .username("app").password("wrong").commandTimeout(SLOW).connectTimeout(SLOW).build()) {
                assertThatThrownBy(() -> wrong.find(SampleSessions.randomKey()))
                        .isInstanceOfSatisfying(SessionStoreException.class,
                                e -> assertThat(e.isTransient()).as(e.getMessage()).isFalse());
            }
        }
    }

    /** A throw-away CA and a server certificate for 127.0.0.1, with the openssl command line tool. */
    private static void makeCertificates(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=platform-sessions test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            String message = "SKIPPED: the TLS test makes certificates with the openssl tool, which is not installed";
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
            return;
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
