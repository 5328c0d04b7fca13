package io.platformsessions.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.ClientInfo;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionEvent.SuspicionKind;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionToken;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unknown-token counting per client IP, cool-down without store I/O, bounded memory. */
class BruteForceTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientInfo ATTACKER = new ClientInfo("198.51.100.66", "curl/8.0", null);
    private static final ClientInfo NEIGHBOUR = new ClientInfo("198.51.100.67", Fixture.FIREFOX_LINUX_120, "en");

    private final Fixture f = new Fixture(b -> b.maxUnknownTokensPerMinute(5).unknownTokenCooldown(Duration.ofMinutes(5)));

    private static String guess() {
        return SessionToken.generate(RANDOM).value();
    }

    @Test
    void aboveTheRateAnEventFiresAndTheIpIsRefusedWithoutStoreIoUntilTheCoolDownEnds() {
        String legit = f.manager.create("alice", NEIGHBOUR).token().value();
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

        int before = f.store.calls();
        for (int i = 0; i < 100; i++) {
            assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.THROTTLED);
        }
        assertThat(f.manager.lookup(legit, ATTACKER).status()).as("even a valid token").isEqualTo(SessionLookup.Status.THROTTLED);
        assertThat(f.manager.resolve(legit, ATTACKER)).isEmpty();
        assertThat(f.store.calls()).as("no store I/O while cooling down").isEqualTo(before);
        assertThat(f.events(SessionEvent.Suspicious.class)).as("one event, not one per refused lookup").hasSize(1);

        assertThat(f.manager.lookup(legit, NEIGHBOUR).status()).as("other IPs unaffected").isEqualTo(SessionLookup.Status.ACTIVE);

        f.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.THROTTLED);
        f.clock.advance(Duration.ofSeconds(1));
        int after = f.store.calls();
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(f.store.calls()).isGreaterThan(after);
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
        int before = f.store.calls();
        for (int i = 0; i < 50; i++) {
            assertThat(f.manager.lookup("not-a-token-" + i, ATTACKER).status()).isEqualTo(SessionLookup.Status.MALFORMED);
        }
        assertThat(f.store.calls()).isEqualTo(before);
        assertThat(f.manager.lookup(guess(), ATTACKER).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
    }
}
