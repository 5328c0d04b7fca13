package io.platformsessions.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.AttributeOptions;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidPlatformException;
import io.platformsessions.InvalidTokenException;
import io.platformsessions.InvalidUserException;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionToken;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every verification path tolerates null, empty, over-long, non-ASCII and wrong-alphabet input. */
class BadInputTest {
    private final Fixture f = new Fixture();

    private String validToken() {
        return f.manager.create("alice", Fixture.HOME).token().value();
    }

    @Test
    void malformedTokensAreRefusedBeforeAnyStoreIo() {
        String good = validToken();
        String nonCanonical = good.substring(0, 42) + "B"; // last char carries 2 zero bits: B is not canonical
        int before = f.store.calls();
        assertThat(f.manager.lookup(null, Fixture.HOME).status()).isEqualTo(SessionLookup.Status.ABSENT);
        assertThat(f.manager.lookup("", Fixture.HOME).status()).isEqualTo(SessionLookup.Status.ABSENT);
        for (String bad : new String[] {good + "A", good.substring(1), good.replace(good.charAt(3), '+'),
                good.substring(0, 42) + "=", "\u00e9" + good.substring(1), "\u0000".repeat(43), " ".repeat(43),
                good.substring(0, 20) + "\ud83d\ude00" + good.substring(22), "A".repeat(1_000_000), nonCanonical}) {
            assertThat(f.manager.lookup(bad, Fixture.HOME).status()).isEqualTo(SessionLookup.Status.MALFORMED);
            assertThat(f.manager.validate(bad, "alice", Fixture.HOME)).isFalse();
            assertThatThrownBy(() -> f.manager.resolve(bad, Fixture.HOME)).isInstanceOf(InvalidTokenException.class)
                    .hasMessageNotContaining(bad.substring(0, Math.min(bad.length(), 20)));
        }
        assertThat(f.store.calls()).isEqualTo(before);
        assertThatThrownBy(() -> f.manager.resolve(null, Fixture.HOME)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("no session token");
    }

    @Test
    void validateAnswersFalseForEverythingButTheOwner() {
        String token = validToken();
        assertThat(f.manager.validate(token, "alice", Fixture.HOME)).isTrue();
        assertThat(f.manager.validate(token, "bob", Fixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, null, Fixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, "", Fixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, "alice\u0000", Fixture.HOME)).isFalse();
        assertThat(f.manager.validate(null, "alice", Fixture.HOME)).isFalse();
    }

    @Test
    void sessionKeysRejectMalformedInput() {
        for (String bad : new String[] {null, "", "zz".repeat(32), "0".repeat(63), "0".repeat(65), "\u0660".repeat(64)}) {
            assertThatThrownBy(() -> SessionKey.ofHex(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SessionKey.ofBytes(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        SessionKey k = SessionToken.generate(new java.security.SecureRandom()).key();
        assertThat(SessionKey.ofHex(k.hex().toUpperCase())).isEqualTo(k);
    }

    @Test
    void hugeOrHostileClientHeadersAreTolerated() {
        ClientInfo hostile = new ClientInfo("x".repeat(1_000_000), "\u0000\n".repeat(500_000), "\u00e9".repeat(1_000_000));
        CreatedSession s = f.manager.create("alice", hostile);
        assertThat(f.manager.lookup(s.token().value(), hostile).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.manager.lookup(s.token().value(), new ClientInfo(null, null, null)).status())
                .isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.manager.lookup(SessionToken.generate(new java.security.SecureRandom()).value(), hostile).status())
                .isEqualTo(SessionLookup.Status.NOT_FOUND);
    }

    @Test
    void badUserPlatformAttributeAndDurationInputGetsSpecificExceptions() {
        assertThatThrownBy(() -> f.manager.create(null, Fixture.HOME)).isInstanceOf(InvalidUserException.class);
        assertThatThrownBy(() -> f.manager.create(" ", Fixture.HOME)).isInstanceOf(InvalidUserException.class);
        assertThatThrownBy(() -> f.manager.create("u".repeat(10_000), Fixture.HOME)).isInstanceOf(InvalidUserException.class);
        SessionKey key = f.manager.create("alice", Fixture.HOME).context().key();
        assertThatThrownBy(() -> f.manager.switchPlatform(key, 3)).as("bob's platform")
                .isInstanceOf(InvalidPlatformException.class)
                .extracting(e -> ((InvalidPlatformException) e).reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> f.manager.switchPlatform(key, -1)).isInstanceOf(InvalidPlatformException.class);
        assertThatThrownBy(() -> f.manager.setAttribute(key, "n".repeat(129), "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.setAttribute(key, null, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.getAttribute(null, "n", String.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttributeOptions.expiringAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.extend(key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
