package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Elevation ("sudo mode", ASVS 7.5.1 / 7.5.3): levels, cap, expiry, end on rotation. */
@Tag("security")
class ElevationTest {
    private final TestFixture f = new TestFixture(b -> b.maxElevation(Duration.ofMinutes(15)));

    @Test
    void aFreshSessionIsNotElevated() {
        PlatformContext ctx = f.manager.create("alice", TestFixture.HOME).context();
        assertThat(f.manager.isElevated(ctx, AccessLevel.READ)).isFalse();
        assertThatThrownBy(() -> f.manager.requireElevated(ctx, AccessLevel.READ))
                .isInstanceOf(ElevationRequiredException.class).hasMessageContaining("READ").hasMessageContaining("re-authenticate");
        assertThat(ctx.toClientView(f.clock.instant()).elevated()).isFalse();
    }

    @Test
    void accessLevelsAreOrderedReadWriteAdmin() {
        assertThat(AccessLevel.ADMIN.includes(AccessLevel.WRITE)).isTrue();
        assertThat(AccessLevel.WRITE.includes(AccessLevel.READ)).isTrue();
        assertThat(AccessLevel.WRITE.includes(AccessLevel.ADMIN)).isFalse();
        assertThat(AccessLevel.READ.includes(AccessLevel.WRITE)).isFalse();

        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.elevate(key, AccessLevel.WRITE, Duration.ofMinutes(10));
        assertThat(f.manager.isElevated(ctx, AccessLevel.READ)).isTrue();
        assertThat(f.manager.isElevated(ctx, AccessLevel.WRITE)).isTrue();
        assertThat(f.manager.isElevated(ctx, AccessLevel.ADMIN)).isFalse();
        f.manager.requireElevated(ctx, AccessLevel.WRITE);
        assertThatThrownBy(() -> f.manager.requireElevated(ctx, AccessLevel.ADMIN))
                .isInstanceOf(ElevationRequiredException.class).hasMessageContaining("ADMIN");
        assertThat(f.events(SessionEvent.Elevated.class)).singleElement().satisfies(e -> {
            assertThat(e.elevation().level()).isEqualTo(AccessLevel.WRITE);
            assertThat(e.elevation().until()).isEqualTo(TestFixture.START.plus(Duration.ofMinutes(10)));
        });
    }

    @Test
    void elevationEndsOnTime() {
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(10));
        f.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(f.manager.isElevated(ctx, AccessLevel.ADMIN)).isTrue();
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.manager.isElevated(ctx, AccessLevel.ADMIN)).isFalse();
        assertThat(f.manager.isElevated(f.manager.peek(key).orElseThrow(), AccessLevel.READ)).isFalse();
    }

    @Test
    void elevationIsCappedAtMaxElevation() {
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.elevate(key, AccessLevel.ADMIN, Duration.ofHours(8));
        assertThat(ctx.elevation().orElseThrow().until()).isEqualTo(TestFixture.START.plus(Duration.ofMinutes(15)));
        f.clock.advance(Duration.ofMinutes(15));
        assertThat(f.manager.isElevated(ctx, AccessLevel.READ)).isFalse();
    }

    @Test
    void elevationEndsOnRotation() {
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        f.manager.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(10));
        PlatformContext rotated = f.manager.rotate(key).context();
        assertThat(rotated.elevation()).isEmpty();
        assertThat(f.manager.isElevated(rotated, AccessLevel.READ)).isFalse();
        assertThat(f.manager.isElevated(f.manager.peek(rotated.key()).orElseThrow(), AccessLevel.READ)).isFalse();
    }

    @Test
    void badArgumentsGetSpecificExceptions() {
        SessionKey key = f.manager.create("alice", TestFixture.HOME).context().key();
        PlatformContext ctx = f.manager.peek(key).orElseThrow();
        assertThatThrownBy(() -> f.manager.elevate(key, null, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.elevate(key, AccessLevel.READ, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.elevate(key, AccessLevel.READ, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.elevate(key, AccessLevel.READ, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.elevate(null, AccessLevel.READ, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        SessionKey unknown = SessionToken.generate(new SecureRandom()).key();
        assertThatThrownBy(() -> f.manager.elevate(unknown, AccessLevel.READ, Duration.ofMinutes(1)))
                .isInstanceOf(SessionNotFoundException.class);
        assertThat(f.manager.isElevated(null, AccessLevel.READ)).isFalse();
        assertThat(f.manager.isElevated(ctx, null)).isFalse();
        assertThatThrownBy(() -> f.manager.requireElevated(null, AccessLevel.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.manager.requireElevated(ctx, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
