package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The back-off tables on their own: keys, forgetting, the memory bound and the policy's checks. */
class LoginThrottleTest {
    private final TestClock clock = new TestClock();
    private final LoginPolicy policy = LoginPolicy.defaults()
            .withBackOff(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(8));

    @Test
    void ipv6AddressesAreCountedPerSlash64AndIpv4PerAddress() {
        assertThat(LoginThrottle.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo("2001:0db8:0001:0002::/64");
        assertThat(LoginThrottle.addressKey("[2001:db8:1:2:ffff:ffff:ffff:ffff]")).isEqualTo("2001:0db8:0001:0002::/64");
        assertThat(LoginThrottle.addressKey("2001:db8:1:3::1")).isEqualTo("2001:0db8:0001:0003::/64");
        assertThat(LoginThrottle.addressKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(LoginThrottle.addressKey("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(LoginThrottle.addressKey("not:an:address:at:all")).isEqualTo("not:an:address:at:all");
        assertThat(LoginThrottle.addressKey("x".repeat(500))).hasSize(64);
        assertThat(LoginThrottle.addressKey(" ")).isNull();

        LoginThrottle t = new LoginThrottle(policy, clock);
        for (int i = 1; i <= 3; i++) {
            t.failed("user" + i, "2001:db8:1:2::" + i); // three addresses of one /64
        }
        assertThat(t.refusal("someone-else", "2001:db8:1:2::99")).contains(Duration.ofSeconds(1));
        assertThat(t.refusal("someone-else", "2001:db8:1:3::1")).isEmpty();
    }

    @Test
    void usernamesAreCountedTrimmedAndCaseInsensitively() {
        LoginThrottle t = new LoginThrottle(policy, clock);
        t.failed("Alice", "192.0.2.1");
        t.failed(" alice ", "192.0.2.2");
        assertThat(t.refusal("ALICE", "192.0.2.3")).contains(Duration.ofSeconds(1));
        assertThat(LoginThrottle.accountKey("  ")).isNull();
        assertThat(LoginThrottle.accountKey("b".repeat(500))).hasSize(DemoAccounts.MAX_USERNAME_LENGTH + 1);
    }

    @Test
    void failuresAreForgottenAfterTheConfiguredTime() {
        LoginPolicy p = new LoginPolicy(2, 100, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1),
                1000, 1, Duration.ZERO);
        LoginThrottle t = new LoginThrottle(p, clock);
        t.failed("carol", "192.0.2.1");
        clock.advance(Duration.ofMinutes(1));
        t.failed("carol", "192.0.2.1");
        assertThat(t.refusal("carol", "192.0.2.1")).as("the first failure was forgotten").isEmpty();
        t.failed("carol", "192.0.2.1");
        assertThat(t.refusal("carol", "192.0.2.1")).contains(Duration.ofSeconds(1));
    }

    @Test
    void backOffDoublesAndStopsAtTheCap() {
        LoginThrottle t = new LoginThrottle(policy, clock);
        assertThat(t.backOff(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.backOff(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.backOff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.backOff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void memoryIsBoundedByMaxTrackedKeys() {
        LoginThrottle t = new LoginThrottle(policy.withMaxTrackedKeys(100), clock);
        for (int i = 0; i < 10_000; i++) {
            t.failed("user" + i, "198.51." + (i / 256 % 256) + "." + (i % 256));
        }
        assertThat(t.trackedKeys()).isLessThanOrEqualTo(200);
    }

    @Test
    void policyRefusesNonsense() {
        LoginPolicy d = LoginPolicy.defaults();
        assertThatThrownBy(() -> d.withBackOff(0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBackOff(1, 1, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBackOff(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withHashing(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withHashing(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxTrackedKeys(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.hashingPermits()).isPositive();
    }
}
