package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine's snapshot of a session: what it tells an adapter, and what it never prints. */
class PlatformContextTest {
    private final TestFixture f = new TestFixture();
    private final SessionManager m = f.manager;

    @Test
    void hasPlatformFollowsTheSelectedPlatform() {
        assertThat(m.create("alice", TestFixture.HOME).context().hasPlatform()).isTrue();
        assertThat(m.create("carol", ClientInfo.unknown()).context().hasPlatform()).isFalse();
    }

    @Test
    void attributeNamesLeaveOutExpiredAttributesAndKeepInsertionOrder() {
        CreatedSession s = m.create("alice", TestFixture.HOME);
        SessionKey key = s.token().key();
        m.setAttribute(key, "theme", "dark");
        m.setAttribute(key, "draft", "text", AttributeOptions.expiringAfter(Duration.ofMinutes(5)));
        PlatformContext c = m.setAttribute(key, "cart", 3);
        assertThat(c.attributeNames(f.clock.instant())).containsExactly("theme", "draft", "cart");
        assertThat(c.attributeNames(f.clock.instant().plus(Duration.ofMinutes(5))))
                .as("expired at exactly its TTL").containsExactly("theme", "cart");
        assertThatThrownBy(() -> c.attributeNames(f.clock.instant()).add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(s.context().attributeNames(f.clock.instant())).as("the snapshot before the writes").isEmpty();
    }

    @Test
    void toStringNamesUserPlatformAndVersionButNoSecret() {
        CreatedSession s = m.create("alice", TestFixture.HOME);
        PlatformContext c = s.context();
        assertThat(c.toString()).isEqualTo("PlatformContext[key=" + s.token().key().prefix() + "…, user=alice, platform=1, version=1]")
                .doesNotContain(s.token().value()).doesNotContain(s.token().key().hex());
        PlatformContext none = m.create("carol", ClientInfo.unknown()).context();
        assertThat(none.toString()).contains("user=carol, platform=none, version=1");
    }
}
