package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionConfig.ClientChangePolicy;
import io.platformsessions.SessionEvent.SuspicionKind;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Client binding judged by meaning; OFF / LOG / STRICT policies; rapid platform switching. */
@Tag("security")
class ClientBindingTest {

    // ------------------------------------------------------------ policies in the engine

    @Test
    void strictPolicyKeepsTheSessionForChangesThatMeanNothing() {
        TestFixture f = new TestFixture(b -> b.clientChangePolicy(ClientChangePolicy.STRICT));
        String token = f.manager.create("alice", TestFixture.HOME).token().value();
        ClientInfo sameMeaning = new ClientInfo("203.0.113.250", TestFixture.FIREFOX_LINUX_121, "en-GB,en;q=0.8");
        assertThat(f.manager.lookup(token, sameMeaning).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.events(SessionEvent.Suspicious.class)).isEmpty();
    }

    @Test
    void strictPolicyKeepsAnIpv6SessionWithinTheSameSlash48() {
        TestFixture f = new TestFixture(b -> b.clientChangePolicy(ClientChangePolicy.STRICT));
        ClientInfo v6 = new ClientInfo("2001:db8:1:2::10", TestFixture.FIREFOX_LINUX_120, "en");
        String token = f.manager.create("alice", v6).token().value();
        assertThat(f.manager.lookup(token, new ClientInfo("2001:db8:1:9::77", TestFixture.FIREFOX_LINUX_120, "en")).status())
                .isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.manager.lookup(token, new ClientInfo("2001:db8:2::77", TestFixture.FIREFOX_LINUX_120, "en")).status())
                .isEqualTo(SessionLookup.Status.INVALIDATED);
    }

    @Test
    void strictPolicyInvalidatesOnAnotherNetwork() {
        TestFixture f = new TestFixture(b -> b.clientChangePolicy(ClientChangePolicy.STRICT));
        CreatedSession s = f.manager.create("alice", TestFixture.HOME);
        ClientInfo elsewhere = new ClientInfo("198.51.100.9", TestFixture.FIREFOX_LINUX_120, "en-US");

        assertThat(f.manager.lookup(s.token().value(), elsewhere).status()).isEqualTo(SessionLookup.Status.INVALIDATED);

        SessionEvent.Suspicious suspicious = f.events(SessionEvent.Suspicious.class).get(0);
        assertThat(suspicious.kind()).isEqualTo(SuspicionKind.CLIENT_CHANGE);
        assertThat(suspicious.detail()).isEqualTo("network 203.0.113.0/24 -> 198.51.100.0/24");
        assertThat(suspicious.clientIp()).isEqualTo("198.51.100.9");
        assertThat(f.events(SessionEvent.Invalidated.class)).singleElement()
                .extracting(SessionEvent.Invalidated::reason).isEqualTo(InvalidationReason.SUSPICIOUS_CLIENT_CHANGE);
        assertThat(f.store.delegate.find(s.context().key())).isEmpty();
        assertThat(f.manager.lookup(s.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void strictPolicyInvalidatesOnAnotherBrowserFamily() {
        TestFixture f = new TestFixture(b -> b.clientChangePolicy(ClientChangePolicy.STRICT));
        String token = f.manager.create("alice", TestFixture.HOME).token().value();
        ClientInfo chrome = new ClientInfo("203.0.113.7", TestFixture.CHROME_LINUX, "en-US");
        assertThat(f.manager.lookup(token, chrome).status()).isEqualTo(SessionLookup.Status.INVALIDATED);
    }

    @Test
    void logPolicyReportsOnceAndKeepsTheSession() {
        TestFixture f = new TestFixture();
        assertThat(f.config.clientChangePolicy()).as("default").isEqualTo(ClientChangePolicy.LOG);
        CreatedSession s = f.manager.create("alice", TestFixture.HOME);
        ClientInfo chrome = new ClientInfo("198.51.100.9", TestFixture.CHROME_LINUX, "en-US");

        assertThat(f.manager.lookup(s.token().value(), chrome).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.manager.lookup(s.token().value(), chrome).status()).isEqualTo(SessionLookup.Status.ACTIVE);

        assertThat(f.events(SessionEvent.Suspicious.class)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(SuspicionKind.CLIENT_CHANGE);
            assertThat(e.detail()).contains("network 203.0.113.0/24 -> 198.51.100.0/24")
                    .contains("browser Firefox/Linux -> Chrome/Linux");
            assertThat(e.key()).isEqualTo(s.context().key());
        });
        assertThat(f.events(SessionEvent.Invalidated.class)).isEmpty();
        assertThat(f.store.delegate.find(s.context().key())).isPresent();
    }

    @Test
    void offPolicyIgnoresClientChanges() {
        TestFixture f = new TestFixture(b -> b.clientChangePolicy(ClientChangePolicy.OFF));
        String token = f.manager.create("alice", TestFixture.HOME).token().value();
        ClientInfo other = new ClientInfo("198.51.100.9", TestFixture.CHROME_LINUX, "de");
        assertThat(f.manager.lookup(token, other).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.events(SessionEvent.Suspicious.class)).isEmpty();
    }

    // ------------------------------------------------------------ rapid platform switching

    @Test
    void rapidPlatformSwitchingAboveTheConfiguredRateIsSuspicious() {
        TestFixture f = new TestFixture(b -> b.maxPlatformSwitchesPerMinute(3));
        SessionKey key = f.manager.create("alice", 1, TestFixture.HOME).context().key();

        for (int i = 0; i < 3; i++) {
            f.manager.switchPlatform(key, i % 2 == 0 ? 2 : 1);
            f.clock.advance(Duration.ofSeconds(5));
        }
        assertThat(f.events(SessionEvent.Suspicious.class)).as("at the limit").isEmpty();

        f.manager.switchPlatform(key, 2);
        f.manager.switchPlatform(key, 1);
        assertThat(f.events(SessionEvent.Suspicious.class)).as("once per window").singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(SuspicionKind.RAPID_PLATFORM_SWITCHING);
            assertThat(e.detail()).contains("3");
        });

        f.clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            f.manager.switchPlatform(key, i % 2 == 0 ? 2 : 1);
        }
        assertThat(f.events(SessionEvent.Suspicious.class)).as("a new minute starts a new count").hasSize(1);
        // rotation does not reset the count: it is kept per stable session id
        key = f.manager.rotate(key).context().key();
        f.manager.switchPlatform(key, 2);
        assertThat(f.events(SessionEvent.Suspicious.class)).hasSize(2);
    }
}
