package io.platformsessions.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns Lettuce and Redis failures into {@link SessionStoreException}s, transient when the same call may succeed
 * later. The one place that decides what "transient" means for Redis, and that creates the store's exceptions.
 */
final class RedisFailures {
    /**
     * Error prefixes of replies that a later try may not get: loading, busy, failover, cluster resharding or
     * down, out of memory (eviction may free some), replicas missing.
     */
    private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN",
            "TRYAGAIN", "READONLY", "OOM", "NOREPLICAS", "MOVED", "ASK", "UNBLOCKED");

    private RedisFailures() {
    }

    /** A failure the same call may not hit if tried again (connection lost, timeout, failover). */
    static SessionStoreException transientFailure(String message, Throwable cause) {
        return SessionStoreException.transientFailure(message, cause);
    }

    /** A failure that retrying will not fix (bad credentials, a refused command, a duplicate key). */
    static SessionStoreException permanentFailure(String message, Throwable cause) {
        return SessionStoreException.permanentFailure(message, cause);
    }

    /** The permanent failure of a write whose (new) session key is taken; names the key by its prefix only. */
    static SessionStoreException sessionExists(SessionKey key) {
        return permanentFailure("a session with key " + key.prefix() + "… exists", null);
    }

    /** Maps a failure of {@code what} (names sessions by key prefix only). */
    static SessionStoreException map(String what, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof SessionStoreException s) {
            return s;
        }
        boolean transientFailure = isTransient(e);
        return transientFailure
                ? transientFailure("Redis unavailable: " + what + " failed: " + e, e)
                : permanentFailure("Redis refused: " + what + " failed: " + e, e);
    }

    static boolean isTransient(Throwable failure) {
        Throwable e = unwrap(failure);
        // a refused connection setup (WRONGPASS, NOAUTH, NOPERM during HELLO/AUTH) is decided by the server's reply
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RedisCommandExecutionException) {
                e = c;
                break;
            }
        }
        if (e instanceof RedisCommandExecutionException x) {
            String message = x.getMessage() == null ? "" : x.getMessage();
            for (String prefix : TRANSIENT_REPLIES) {
                if (message.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
        return e instanceof RedisConnectionException || e instanceof RedisCommandTimeoutException
                || e instanceof RedisCommandInterruptedException || e instanceof TimeoutException
                || e instanceof CancellationException || e instanceof IOException || e instanceof InterruptedException
                // Lettuce's own state errors: "Connection closed", "Currently not connected", ...
                || e instanceof RedisException && e.getClass() == RedisException.class
                // no node the client knows serves the slot: a failed primary left out of the topology until the
                // refresh that finds its promoted replica (like CLUSTERDOWN from the server)
                || e instanceof PartitionSelectorException;
    }

    /** Whether Redis answered WRONGTYPE: a key under our prefix holds another type (foreign data). */
    static boolean isWrongType(Throwable failure) {
        return unwrap(failure) instanceof RedisCommandExecutionException x && x.getMessage() != null
                && x.getMessage().startsWith("WRONGTYPE");
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
