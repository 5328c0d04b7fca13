package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every verification path tolerates null, empty, over-long, non-ASCII and wrong-alphabet input. */
@Tag("security")
class EngineInputValidationTest {
    private final TestFixture f = new TestFixture();

    private String validToken() {
        return f.manager.create("alice", TestFixture.HOME).token().value();
    }

    @Test
    void malformedTokensAreRefusedBeforeAnyStoreIo() {
        String good = validToken();
        String nonCanonical = good.substring(0, 42) + "B"; // last char carries 2 zero bits: B is not canonical
        int before = f.store.totalCalls();
        assertThat(f.manager.lookup(null, TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.ABSENT);
        assertThat(f.manager.lookup("", TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.ABSENT);
        for (String bad : new String[] {good + "A", good.substring(1), good.replace(good.charAt(3), '+'),
                good.substring(0, 42) + "=", "\u00e9" + good.substring(1), "\u0000".repeat(43), " ".repeat(43),
                good.substring(0, 20) + "\ud83d\ude00" + good.substring(22), "A".repeat(1_000_000), nonCanonical}) {
            assertThat(f.manager.lookup(bad, TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.MALFORMED);
            assertThat(f.manager.validate(bad, "alice", TestFixture.HOME)).isFalse();
            assertThatThrownBy(() -> f.manager.resolve(bad, TestFixture.HOME)).isInstanceOf(InvalidTokenException.class)
                    .hasMessageNotContaining(bad.substring(0, Math.min(bad.length(), 20)));
        }
        assertThat(f.store.totalCalls()).isEqualTo(before);
        assertThatThrownBy(() -> f.manager.resolve(null, TestFixture.HOME)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("no session token");
    }

    @Test
    void validateAnswersFalseForEverythingButTheOwner() {
        String token = validToken();
        assertThat(f.manager.validate(token, "alice", TestFixture.HOME)).isTrue();
        assertThat(f.manager.validate(token, "bob", TestFixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, null, TestFixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, "", TestFixture.HOME)).isFalse();
        assertThat(f.manager.validate(token, "alice\u0000", TestFixture.HOME)).isFalse();
        assertThat(f.manager.validate(null, "alice", TestFixture.HOME)).isFalse();
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
        assertThatThrownBy(() -> f.manager.create(null, TestFixture.HOME)).isInstanceOf(InvalidUserException.class);
        assertThatThrownBy(() -> f.manager.create(" ", TestFixture.HOME)).isInstanceOf(InvalidUserException.class);
        assertThatThrownBy(() -> f.manager.create("u".repeat(10_000), TestFixture.HOME)).isInstanceOf(InvalidUserException.class);
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        assertThatThrownBy(() -> f.manager.switchPlatform(key, 4)).as("bob's platform")
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
