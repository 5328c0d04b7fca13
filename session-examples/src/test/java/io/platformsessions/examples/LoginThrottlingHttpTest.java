package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Login throttling over real HTTP: per-username and per-address exponential back-off (429 with
 * Retry-After, no password hash while refused), and the bound on concurrent password checks (503
 * at once when every permit is busy). Requests come from several loopback addresses (127.0.0.x)
 * through {@link RawHttp}; time moves with a {@link TestClock}. One demo server per test.
 */
class LoginThrottlingHttpTest {
    /** Back-off after 3 failures per username or 6 per address, 10 s doubling up to 40 s. */
    private static final LoginPolicy POLICY = LoginPolicy.defaults()
            .withBackOff(3, 6, Duration.ofSeconds(10), Duration.ofSeconds(40))
            .withHashing(2, Duration.ZERO);

    private final TestClock clock = new TestClock();
    private DemoServer server;

    private DemoServer start(LoginPolicy policy, int iterations) throws Exception {
        server = DemoServer.start(DemoSettings.defaults()
                .withPort(0)
                .withJdbcUrl("jdbc:h2:mem:demo-throttle-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withPasswordIterations(iterations)
                .withLoginPolicy(policy)
                .withClock(clock));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawHttp from(String address) {
        return new RawHttp(address, server.port());
    }

    private long hashes() {
        return server.passwordHasher().derivations();
    }

    @Test
    void repeatedWrongPasswordsGet429WithRetryAfterAndTheRightPasswordWaitsToo() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        for (int i = 0; i < 3; i++) {
            assertThat(from("127.0.0.1").login("alice", "wrong-" + i).status()).isEqualTo(401);
        }
        long before = hashes();
        RawHttp.Response wrong = from("127.0.0.1").login("alice", "wrong-again");
        assertThat(wrong.status()).isEqualTo(429);
        assertThat(wrong.header("Retry-After")).contains("10");
        assertThat(wrong.body()).contains("Too many failed sign-ins. Try again in 10 seconds.");

        RawHttp right = from("127.0.0.1");
        RawHttp.Response refused = right.login("alice", "alice-demo-password");
        assertThat(refused.status()).as("the right password during the back-off").isEqualTo(429);
        assertThat(refused.header("Retry-After")).contains("10");
        assertThat(right.hasSessionCookie()).isFalse();
        assertThat(from("127.0.0.9").login("alice", "alice-demo-password").status())
                .as("the username is blocked from every address").isEqualTo(429);
        assertThat(hashes()).as("no password is hashed while refused").isEqualTo(before);
        assertThat(server.manager().activeSessions("alice")).isEmpty();

        clock.advance(Duration.ofSeconds(4));
        assertThat(from("127.0.0.1").login("alice", "alice-demo-password").header("Retry-After")).contains("6");
        clock.advance(Duration.ofSeconds(6));
        RawHttp after = from("127.0.0.1");
        assertThat(after.login("alice", "alice-demo-password").status()).isEqualTo(303);
        assertThat(after.hasSessionCookie()).isTrue();

        // the success cleared the username's failures: a typo now is just a 401 again
        assertThat(from("127.0.0.1").login("alice", "typo").status()).isEqualTo(401);
    }

    @Test
    void theBackOffDoublesWithEachFailureUpToTheCap() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        for (int i = 0; i < 3; i++) {
            from("127.0.0." + (10 + i)).login("bob", "wrong");
        }
        for (String expected : List.of("10", "20", "40", "40")) {
            RawHttp.Response r = from("127.0.0.20").login("bob", "wrong");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).contains(expected);
            clock.advance(Duration.ofSeconds(Long.parseLong(expected)));
            assertThat(from("127.0.0.21").login("bob", "wrong").status()).as("after the block: checked, wrong").isEqualTo(401);
        }
    }

    @Test
    void anotherAccountFromAnotherAddressIsUnaffected() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        for (int i = 0; i < 4; i++) {
            from("127.0.0.1").login("alice", "wrong");
        }
        assertThat(from("127.0.0.1").login("alice", "alice-demo-password").status()).isEqualTo(429);

        RawHttp bob = from("127.0.0.2");
        assertThat(bob.login("bob", "bob-demo-password").status()).isEqualTo(303);
        assertThat(bob.hasSessionCookie()).isTrue();
        assertThat(from("127.0.0.1").login("bob", "bob-demo-password").status())
                .as("the address is still under its own threshold").isEqualTo(303);
    }

    @Test
    void manyFailuresFromOneAddressBlockThatAddressForEveryAccount() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        for (int i = 0; i < 6; i++) {
            assertThat(from("127.0.0.3").login("user" + i, "guess").status()).isEqualTo(401);
        }
        RawHttp.Response blocked = from("127.0.0.3").login("bob", "bob-demo-password");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.header("Retry-After")).contains("10");
        assertThat(from("127.0.0.4").login("bob", "bob-demo-password").status()).isEqualTo(303);
        assertThat(from("127.0.0.3").login("bob", "bob-demo-password").status())
                .as("a success elsewhere does not reset the address").isEqualTo(429);
    }

    @Test
    void unknownUsernamesAreThrottledExactlyLikeKnownOnes() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawHttp.Response k = from("127.0.0.5").login("alice", "wrong");
            RawHttp.Response u = from("127.0.0.6").login("nobody-here", "wrong");
            known.add(k.status() + " " + k.header("Retry-After").orElse("-"));
            unknown.add(u.status() + " " + u.header("Retry-After").orElse("-"));
        }
        assertThat(known).containsExactly("401 -", "401 -", "401 -", "429 10", "429 10");
        assertThat(unknown).isEqualTo(known);
    }

    @Test
    void whenEveryHashingPermitIsBusyALoginIsRefusedAtOnceWithoutHashingOrCounting() throws Exception {
        start(POLICY, PasswordHasher.MIN_ITERATIONS);
        HashingLimit limit = server.hashingLimit();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        long before = hashes();
        try {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                RawHttp.Response busy = from("127.0.0.7").login("alice", "alice-demo-password");
                assertThat(busy.status()).isEqualTo(503);
                assertThat(busy.header("Retry-After")).contains("1");
                assertThat(busy.body()).contains("The server is busy");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(hashes()).isEqualTo(before);
        } finally {
            limit.release();
            limit.release();
        }
        assertThat(from("127.0.0.7").login("alice", "alice-demo-password").status())
                .as("refusals for load are not failures").isEqualTo(303);
    }

    @Test
    void concurrentLoginsNeverCheckMorePasswordsAtOnceThanThePermits() throws Exception {
        int attempts = 8;
        start(LoginPolicy.defaults().withBackOff(100, 100, Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withHashing(1, Duration.ZERO), 300_000);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String user = "user" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return from("127.0.0.8").login(user, "guess").status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).allMatch(s -> s == 401 || s == 503).contains(401, 503);
            assertThat(server.hashingLimit().peak()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
