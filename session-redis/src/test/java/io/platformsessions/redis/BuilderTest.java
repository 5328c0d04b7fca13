package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builder validation: setters check at once, build() checks combinations. Needs no Redis. */
class BuilderTest {
    @Test
    void keyPrefixesAreASafeCharsetOfBoundedLength() {
        RedisSessionStore.Builder b = RedisSessionStore.builder();
        for (String ok : new String[] {"ps:", "app-1.sessions:", "A_b:c", "x".repeat(64)}) {
            b.keyPrefix(ok);
        }
        for (String bad : new String[] {"", "a{b}:", "a}", "has space", "tab\t", "ü:", "x".repeat(65), "a*", "a\n"}) {
            assertThatThrownBy(() -> b.keyPrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyPrefix");
        }
        assertThatThrownBy(() -> b.keyPrefix(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settersValidateAtOnce() {
        RedisSessionStore.Builder b = RedisSessionStore.builder();
        assertThatThrownBy(() -> b.uri("http://example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.clusterUris()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.commandTimeout(Duration.ofMinutes(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.expiredRetention(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.expiredRetention(Duration.ofDays(31))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.archiveMaxLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxAttributesBytes(1023)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildChecksTheCombination() {
        assertThatThrownBy(() -> RedisSessionStore.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://127.0.0.1:1")
                .clusterUris("redis://127.0.0.1:2").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://127.0.0.1:1").archiveEndedSessions(true)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("expiredRetention");
        assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://127.0.0.1:1").username("app").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("password");
    }

    @Test
    void aSentinelUriBuildsWithOrWithoutCredentials() throws Exception {
        // ports nothing listens on: the store builds (it connects lazily) and a call fails transiently
        String sentinels = "127.0.0.1:" + OwnRedisServer.freePort() + ",127.0.0.1:" + OwnRedisServer.freePort();
        for (RedisSessionStore.Builder b : new RedisSessionStore.Builder[] {
                RedisSessionStore.builder().uri("redis-sentinel://" + sentinels + "#mymaster"),
                RedisSessionStore.builder().uri("redis-sentinel://" + sentinels + "/0#mymaster").password("secret")}) {
            try (RedisSessionStore store = b.commandTimeout(Duration.ofSeconds(1)).build()) {
                assertThatThrownBy(() -> store.find(io.platformsessions.SessionKey.ofBytes(new byte[io.platformsessions.SessionKey.LENGTH])))
                        .isInstanceOfSatisfying(io.platformsessions.SessionStoreException.class,
                                e -> assertThat(e.isTransient()).as("%s", e).isTrue());
            }
        }
    }

    @Test
    void theLuaScriptsUseTheCodecsFieldNames() {
        assertThat(Script.TOUCH.source).startsWith(RecordCodec.luaHeader());
        assertThat(RecordCodec.luaHeader()).contains("F_EXPIRES", "'" + RecordCodec.EXPIRES + "'")
                .doesNotContain(RecordCodec.CSRF_SECRET + " = true", RecordCodec.ATTRIBUTES + " = true");
        for (Script s : Script.values()) {
            assertThat(s.sha).hasSize(40);
        }
    }
}
