package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.models.partitions.Partitions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which Redis failures are transient. Lettuce exceptions made by hand: a real server cannot produce each one on cue. */
class RedisFailuresTest {
    @Test
    void serverStatesThatPassAreTransient() {
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script",
            "MASTERDOWN Link with MASTER is down", "CLUSTERDOWN The cluster is down", "TRYAGAIN Multiple keys request",
            "READONLY You can't write against a read only replica.", "OOM command not allowed when used memory > 'maxmemory'"}) {
            assertThat(RedisFailures.map("x", new RedisCommandExecutionException(reply)).isTransient()).as(reply).isTrue();
        }
    }

    @Test
    void refusalsAreNot() {
        for (String reply : new String[] {"WRONGPASS invalid username-password pair", "NOPERM this user has no permissions",
            "NOAUTH Authentication required.", "ERR Error running script", "WRONGTYPE Operation against a key"}) {
            assertThat(RedisFailures.map("x", new RedisCommandExecutionException(reply)).isTransient()).as(reply).isFalse();
        }
        assertThat(RedisFailures.map("x", new RedisNoScriptException("NOSCRIPT No matching script")).isTransient()).isFalse();
        assertThat(RedisFailures.isTransient(new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair")))).isFalse();
    }

    @Test
    void connectionTroubleIsTransient() {
        assertThat(RedisFailures.isTransient(new RedisConnectionException("Connection refused"))).isTrue();
        assertThat(RedisFailures.isTransient(new RedisCommandTimeoutException("Command timed out"))).isTrue();
        assertThat(RedisFailures.isTransient(new RedisException("Currently not connected. Commands are rejected."))).isTrue();
        assertThat(RedisFailures.isTransient(new ExecutionException(new TimeoutException()))).isTrue();
        assertThat(RedisFailures.isTransient(new PartitionSelectorException(
                "Cannot determine a partition for slot 11918.", new Partitions()))).as("slot uncovered").isTrue();
        assertThat(RedisFailures.map("find session ab12cd34…", new RedisException("Connection closed")).getMessage())
                .startsWith("Redis unavailable: find session ab12cd34…");
    }
}
