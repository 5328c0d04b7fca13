package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        SessionConfig c = SessionConfig.defaults();
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.absoluteTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(c.maxSessionsPerUser()).isEqualTo(10);
        assertThat(c.limitPolicy()).isEqualTo(SessionConfig.LimitPolicy.EVICT_LEAST_RECENTLY_USED);
        assertThat(c.touchInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.cleanupBatchSize()).isEqualTo(500);
        assertThat(c.cacheEnabled()).isTrue();
        assertThat(c.cacheMaximumBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.maxCacheStaleness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.singleNode()).isFalse();
        assertThat(c.maxUnknownTokensPerMinuteTotal()).isEqualTo(10_000);
        assertThat(c.clientChangePolicy()).isEqualTo(SessionConfig.ClientChangePolicy.LOG);
        assertThat(c.retryPolicy()).isEqualTo(RetryPolicy.defaults());
    }

    @Test
    void invalidValuesNameTheOption() {
        assertThatThrownBy(() -> SessionConfig.builder().idleTimeout(Duration.ofMinutes(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> SessionConfig.builder().absoluteTimeout(Duration.ZERO).build())
                .hasMessageContaining("absoluteTimeout");
        assertThatThrownBy(() -> SessionConfig.builder().absoluteTimeout(Duration.ofHours(48)).build())
                .hasMessageContaining("maxLifetime");
        assertThatThrownBy(() -> SessionConfig.builder().touchInterval(Duration.ofHours(1)).build())
                .hasMessageContaining("touchInterval");
        assertThatThrownBy(() -> SessionConfig.builder().maxSessionsPerUser(0).build())
                .hasMessageContaining("maxSessionsPerUser");
        assertThatThrownBy(() -> SessionConfig.builder().cleanupBatchSize(0).build())
                .hasMessageContaining("cleanupBatchSize");
        assertThatThrownBy(() -> SessionConfig.builder().encryptionKey("k1", new byte[16]).build())
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SessionConfig.builder().encryptionKey("bad id!", new byte[32]).build())
                .hasMessageContaining("key id");
        assertThatThrownBy(() -> SessionConfig.builder().activeEncryptionKey("nope").build())
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
    }

    @Test
    void badValuesAreRejectedByTheSetterAtOnce() {
        SessionConfig.Builder b = SessionConfig.builder();
        assertThatThrownBy(() -> b.idleTimeout(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> b.idleTimeout(Duration.ofMinutes(-1))).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> b.touchInterval(Duration.ofSeconds(-1))).hasMessageContaining("touchInterval");
        assertThatThrownBy(() -> b.maxSessionsPerUser(0)).hasMessageContaining("maxSessionsPerUser");
        assertThatThrownBy(() -> b.cleanupBatchSize(10_001)).hasMessageContaining("cleanupBatchSize");
        assertThatThrownBy(() -> b.cacheMaximumBytes(65_535)).hasMessageContaining("cacheMaximumBytes");
        assertThatThrownBy(() -> b.maxCacheStaleness(Duration.ofMillis(-1))).hasMessageContaining("maxCacheStaleness");
        assertThatThrownBy(() -> b.maxCacheStaleness(null)).hasMessageContaining("maxCacheStaleness");
        assertThatThrownBy(() -> b.maxUnknownTokensPerMinuteTotal(0)).hasMessageContaining("maxUnknownTokensPerMinuteTotal");
        assertThatThrownBy(() -> b.maxUnknownTokensPerMinute(0)).hasMessageContaining("maxUnknownTokensPerMinute");
        assertThatThrownBy(() -> b.encryptionKey("k1", new byte[16])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> b.encryptionKey("bad id!", new byte[32])).hasMessageContaining("key id");
        assertThatThrownBy(() -> b.limitPolicy(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("limitPolicy");
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> b.secureRandom(null)).isInstanceOf(NullPointerException.class);
        // none of the refused values stuck: the builder still builds the defaults
        assertThat(b.build().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void buildDoesNotChangeTheBuilder() {
        SessionConfig.Builder b = SessionConfig.builder();
        SessionConfig first = b.build();
        SessionConfig second = b.build();
        assertThat(second.secureRandom()).as("each build gets its own default random source, the builder keeps none")
                .isNotSameAs(first.secureRandom());
        // a rule between options is checked in build(), and a failed build leaves the builder usable
        b.touchInterval(Duration.ofHours(1));
        assertThatThrownBy(b::build).hasMessageContaining("touchInterval");
        assertThat(b.touchInterval(Duration.ZERO).build().touchInterval()).isZero();
    }

    @Test
    void maxAttributesBytesIsAtMostTheCeilingEveryStoreHolds() {
        assertThatThrownBy(() -> SessionConfig.builder().maxAttributesBytes(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttributesBytes");
        assertThatThrownBy(() -> SessionConfig.builder().maxAttributesBytes(Limits.MAX_ATTRIBUTES_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Limits.MAX_ATTRIBUTES_BYTES");
        assertThat(SessionConfig.builder().maxAttributesBytes(Limits.MAX_ATTRIBUTES_BYTES).build().maxAttributesBytes())
                .isEqualTo(Limits.MAX_ATTRIBUTES_BYTES);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        SessionConfig c = SessionConfig.builder().idleTimeout(Duration.ofMinutes(5)).maxSessionsPerUser(3)
                .encryptionKey("k1", new byte[32]).build();
        SessionConfig copy = c.toBuilder().build();
        assertThat(copy.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(copy.maxSessionsPerUser()).isEqualTo(3);
        assertThat(copy.activeEncryptionKeyId()).isEqualTo("k1");
    }

    @Test
    void retryBackoffDoublesUpToTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(25));
        assertThat(p.backoffBefore(2)).isEqualTo(Duration.ofMillis(10));
        assertThat(p.backoffBefore(3)).isEqualTo(Duration.ofMillis(20));
        assertThat(p.backoffBefore(4)).isEqualTo(Duration.ofMillis(25));
    }
}
