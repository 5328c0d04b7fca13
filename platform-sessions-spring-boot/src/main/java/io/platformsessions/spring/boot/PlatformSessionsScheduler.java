package io.platformsessions.spring.boot;

import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the library's housekeeping on one daemon thread ({@code platform-sessions-scheduler}) while the
 * application context is running: {@link SessionManager#cleanupExpired()} every cleanup interval (on every
 * node: nodes split the work), and the active-sessions sample of the metrics when there are metrics. A failed run
 * is logged and retried at the next interval. Thread-safe.
 */
public final class PlatformSessionsScheduler implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformSessionsScheduler.class);

    private final SessionManager manager;
    private final Duration cleanupInterval;
    private final Runnable sampler;
    private final Duration sampleInterval;
    private ScheduledExecutorService executor;

    /**
     * Creates the scheduler.
     *
     * @param manager whose expired sessions are cleaned up
     * @param cleanupInterval time between cleanup runs, or {@code null} for no cleanup
     * @param sampler the metrics sample, or {@code null}
     * @param sampleInterval time between samples (ignored without a sampler)
     */
    public PlatformSessionsScheduler(SessionManager manager, Duration cleanupInterval, Runnable sampler,
                                     Duration sampleInterval) {
        this.manager = manager;
        this.cleanupInterval = cleanupInterval;
        this.sampler = sampler;
        this.sampleInterval = sampleInterval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "platform-sessions-scheduler");
            t.setDaemon(true);
            return t;
        });
        if (cleanupInterval != null) {
            long ms = cleanupInterval.toMillis();
            executor.scheduleWithFixedDelay(this::cleanup, ms, ms, TimeUnit.MILLISECONDS);
        }
        if (sampler != null) {
            executor.scheduleWithFixedDelay(this::sample, 0, sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one cleanup now (also what the schedule runs). */
    void cleanup() {
        try {
            int deleted = manager.cleanupExpired();
            if (deleted > 0) {
                LOG.debug("deleted {} expired sessions", deleted);
            }
        } catch (SessionStoreException e) {
            LOG.warn("session cleanup failed, will retry: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("session cleanup failed, will retry", e);
        }
    }

    private void sample() {
        try {
            sampler.run();
        } catch (RuntimeException e) {
            LOG.warn("active-sessions sample failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
