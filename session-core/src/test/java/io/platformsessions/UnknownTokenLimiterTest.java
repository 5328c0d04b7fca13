package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionEvent.SuspicionKind;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unknown-token counting per client IP, cool-down without store I/O, bounded memory. */
@Tag("security")
class UnknownTokenLimiterTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientInfo ATTACKER = new ClientInfo("198.51.100.66", "curl/8.0", null);
    private static final ClientInfo NEIGHBOUR = new ClientInfo("198.51.100.67", TestFixture.FIREFOX_LINUX_120, "en");
    private static final ClientInfo VICTIM = new ClientInfo("198.51.100.66", TestFixture.FIREFOX_LINUX_120, "en");

    private final TestFixture f = new TestFixture(b -> b.maxUnknownTokensPerMinute(5).unknownTokenCooldown(Duration.ofMinutes(5)));

    private static String guess() {
        return SessionToken.generate(RANDOM).value();
    }

    @Test
    void aboveTheRateAnEventFiresAndTheIpIsRefusedWithoutStoreIoUntilTheCoolDownEnds() {
        String legit = f.manager.create("alice", NEIGHBOUR).token().value();
        String victim = f.manager.create("bob", VICTIM).token().value(); // behind the attacker's address
        for (int i = 0; i < 5; i++) {
            assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        }
        assertThat(f.events(SessionEvent.Suspicious.class)).as("at the limit").isEmpty();

        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(f.events(SessionEvent.Suspicious.class)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(SuspicionKind.TOKEN_GUESSING);
            assertThat(e.clientIp()).isEqualTo("198.51.100.66");
            assertThat(e.key()).isNull();
            assertThat(e.detail()).contains("5").contains("PT5M");
        });

        int before = f.store.totalCalls();
        for (int i = 0; i < 100; i++) {
            assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.THROTTLED);
        }
        assertThat(f.manager.lookup(victim, VICTIM).status()).as("a session this node knows, from the same address")
                .isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.manager.resolve(victim, VICTIM)).isPresent();
        assertThat(f.store.totalCalls()).as("no store I/O while cooling down").isEqualTo(before);
        assertThat(f.events(SessionEvent.Suspicious.class)).as("one event, not one per refused lookup").hasSize(1);

        assertThat(f.manager.lookup(legit, NEIGHBOUR).status()).as("other IPs unaffected").isEqualTo(SessionLookup.Status.ACTIVE);

        f.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.THROTTLED);
        f.clock.advance(Duration.ofSeconds(1));
        int after = f.store.totalCalls();
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(f.store.totalCalls()).isGreaterThan(after);
    }

    @Test
    void ipv6GuessesAreCountedPerSlash64() {
        for (int i = 1; i <= 6; i++) {
            f.manager.lookup(guess(), new ClientInfo("2001:db8:1:2::" + Integer.toHexString(i), "curl/8.0", null));
        }
        assertThat(f.manager.lookup(guess(), new ClientInfo("2001:db8:1:2:ffff::1", null, null)).status())
                .isEqualTo(SessionLookup.Status.THROTTLED);
        assertThat(f.manager.lookup(guess(), new ClientInfo("2001:db8:1:3::1", null, null)).status())
                .isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void malformedTokensNeverReachTheStoreAndDoNotCount() {
        int before = f.store.totalCalls();
        for (int i = 0; i < 50; i++) {
            assertThat(f.manager.lookup("not-a-token-" + i, ATTACKER).status()).isEqualTo(SessionLookup.Status.MALFORMED);
        }
        assertThat(f.store.totalCalls()).isEqualTo(before);
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void whileAnAddressCoolsDownOnlyTokensThisNodeDoesNotKnowAreRefused() {
        SessionManager other = f.engine(c -> c, null); // another node: it knows no session yet
        CreatedSession known = f.manager.create("bob", VICTIM);
        CreatedSession elsewhere = other.create("alice", VICTIM);
        for (int i = 0; i < 6; i++) {
            f.manager.lookup(guess(), ATTACKER);
        }
        int before = f.store.totalCalls();
        assertThat(f.manager.lookup(elsewhere.token().value(), VICTIM).status()).as("unknown here: would reach the store")
                .isEqualTo(SessionLookup.Status.THROTTLED);
        assertThat(f.store.totalCalls()).isEqualTo(before);
        assertThat(f.manager.lookup(known.token().value(), VICTIM).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.store.totalCalls()).as("served from the cache").isEqualTo(before);

        f.clock.advance(Duration.ofSeconds(3)); // the cached copy is past maxCacheStaleness: re-read, still allowed
        assertThat(f.manager.lookup(known.token().value(), VICTIM).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.store.calls("find")).isPositive();

        assertThat(f.manager.invalidate(elsewhere.context().key(), InvalidationReason.LOGOUT)).as("logout is by key")
                .isTrue();
        assertThat(f.manager.invalidate(known.context().key(), InvalidationReason.LOGOUT)).isTrue();
        assertThat(f.manager.lookup(known.token().value(), VICTIM).status()).isEqualTo(SessionLookup.Status.THROTTLED);
        other.close();
    }

    @Test
    void aSlash48CannotBuyAFreshBudgetWithEverySlash64() {
        // limit 5 per /64, so 20 per /56 and 80 per /48: 4 guesses from each of 20 /64s, one per /56
        int storeReadsBefore = f.store.calls("find");
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            String address = "2001:db8:7:" + Integer.toHexString((i / 4) << 8) + "::" + Integer.toHexString(i % 4 + 1);
            if (f.manager.lookup(guess(), new ClientInfo(address, "curl/8.0", null)).status()
                    == SessionLookup.Status.THROTTLED) {
                refused++;
            }
        }
        assertThat(f.store.calls("find") - storeReadsBefore).as("store reads a /48 can cause").isEqualTo(81);
        assertThat(refused).isEqualTo(1_000 - 81);
        assertThat(f.events(SessionEvent.Suspicious.class)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("2001:db8:7::/48"));
        assertThat(f.manager.lookup(guess(), new ClientInfo("2001:db8:8::1", null, null)).status())
                .as("another /48").isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void guessesFromManyAddressesAreCappedTogether() {
        TestFixture g = new TestFixture(c -> c.maxUnknownTokensPerMinuteTotal(30));
        CreatedSession held = g.manager.create("alice", TestFixture.HOME);
        for (int i = 0; i < 31; i++) {
            assertThat(g.manager.lookup(guess(), new ClientInfo("192.0.2." + i, "curl/8.0", null)).status())
                    .isEqualTo(SessionLookup.Status.NOT_FOUND);
        }
        assertThat(g.events(SessionEvent.Suspicious.class)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("all clients"));
        assertThat(g.manager.lookup(guess(), new ClientInfo("198.51.100.200", "curl/8.0", null)).status())
                .isEqualTo(SessionLookup.Status.THROTTLED);
        assertThat(g.manager.lookup(held.token().value(), TestFixture.HOME).status()).as("held sessions keep working")
                .isEqualTo(SessionLookup.Status.ACTIVE);
        g.clock.advance(Duration.ofMinutes(1));
        assertThat(g.manager.lookup(guess(), new ClientInfo("198.51.100.200", "curl/8.0", null)).status())
                .isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void clientsBehindANat64GatewayAreCountedByTheirIpv4Address() {
        for (int i = 0; i < 6; i++) {
            f.manager.lookup(guess(), new ClientInfo("64:ff9b::198.51.100.66", "curl/8.0", null));
        }
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).as("the same IPv4 client")
                .isEqualTo(SessionLookup.Status.THROTTLED);
        assertThat(f.manager.lookup(guess(), new ClientInfo("64:ff9b::198.51.100.67", null, null)).status())
                .as("another IPv4 client of the gateway, same IPv6 /64").isEqualTo(SessionLookup.Status.NOT_FOUND);
    }
}
