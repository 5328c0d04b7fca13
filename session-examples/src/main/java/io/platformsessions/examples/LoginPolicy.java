package io.platformsessions.examples;

import java.time.Duration;
import java.util.Objects;

/**
 * How the demo's login resists password guessing and CPU exhaustion: back-off thresholds per
 * account and per client address, and how many PBKDF2 checks may run at once. Immutable.
 *
 * <p>After {@code accountFailuresBeforeBackOff} failed logins for one username (or
 * {@code addressFailuresBeforeBackOff} from one client address), every further failure blocks that
 * username (or address) for {@code firstBackOff}, doubling with each failure up to
 * {@code maxBackOff}. A blocked attempt is answered 429 without checking the password. Failures are
 * forgotten {@code forgetAfter} after the last one.
 *
 * @param accountFailuresBeforeBackOff failures of one username before the back-off starts, at least 1
 * @param addressFailuresBeforeBackOff failures from one client address (IPv4 address, IPv6 /64)
 *     before the back-off starts, at least 1
 * @param firstBackOff the first block, positive
 * @param maxBackOff the longest block, at least {@code firstBackOff}
 * @param forgetAfter how long after the last failure a counter is dropped, at least {@code maxBackOff}
 * @param maxTrackedKeys how many usernames, and separately how many addresses, are tracked at most
 *     (memory bound), at least 1
 * @param hashingPermits how many password checks may run at the same time, at least 1
 * @param hashingWait how long a login waits for a free permit before it is refused with 503, zero
 *     or positive
 */
public record LoginPolicy(int accountFailuresBeforeBackOff, int addressFailuresBeforeBackOff, Duration firstBackOff,
                          Duration maxBackOff, Duration forgetAfter, int maxTrackedKeys, int hashingPermits,
                          Duration hashingWait) {

    /**
     * Validates the components.
     *
     * @param accountFailuresBeforeBackOff the {@code accountFailuresBeforeBackOff} component
     * @param addressFailuresBeforeBackOff the {@code addressFailuresBeforeBackOff} component
     * @param firstBackOff the {@code firstBackOff} component
     * @param maxBackOff the {@code maxBackOff} component
     * @param forgetAfter the {@code forgetAfter} component
     * @param maxTrackedKeys the {@code maxTrackedKeys} component
     * @param hashingPermits the {@code hashingPermits} component
     * @param hashingWait the {@code hashingWait} component
     * @throws IllegalArgumentException if a count is below 1 or a duration out of the ranges above
     * @throws NullPointerException if a duration is null
     */
    public LoginPolicy {
        Objects.requireNonNull(firstBackOff, "firstBackOff");
        Objects.requireNonNull(maxBackOff, "maxBackOff");
        Objects.requireNonNull(forgetAfter, "forgetAfter");
        Objects.requireNonNull(hashingWait, "hashingWait");
        if (accountFailuresBeforeBackOff < 1 || addressFailuresBeforeBackOff < 1 || maxTrackedKeys < 1
                || hashingPermits < 1) {
            throw new IllegalArgumentException("failure thresholds, maxTrackedKeys and hashingPermits must be at least 1");
        }
        if (firstBackOff.isNegative() || firstBackOff.isZero() || maxBackOff.compareTo(firstBackOff) < 0
                || forgetAfter.compareTo(maxBackOff) < 0) {
            throw new IllegalArgumentException("need 0 < firstBackOff <= maxBackOff <= forgetAfter, was "
                    + firstBackOff + ", " + maxBackOff + ", " + forgetAfter);
        }
        if (hashingWait.isNegative()) {
            throw new IllegalArgumentException("hashingWait must not be negative, was " + hashingWait);
        }
    }

    /**
     * The demo's policy: back-off after 5 failures per username and 20 per address, from 1 second
     * doubling to 15 minutes, counters forgotten after an hour, 100,000 tracked keys per table, and
     * half the processors (at least one) for password checks, waiting at most 1 second for one.
     *
     * @return the default policy
     */
    public static LoginPolicy defaults() {
        return new LoginPolicy(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1), 100_000,
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2), Duration.ofSeconds(1));
    }

    /**
     * A copy with other back-off thresholds and durations.
     *
     * @param accountFailures failures per username before the back-off
     * @param addressFailures failures per address before the back-off
     * @param first the first block
     * @param max the longest block
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public LoginPolicy withBackOff(int accountFailures, int addressFailures, Duration first, Duration max) {
        return new LoginPolicy(accountFailures, addressFailures, first, max,
                forgetAfter.compareTo(max) < 0 ? max : forgetAfter, maxTrackedKeys, hashingPermits, hashingWait);
    }

    /**
     * A copy with another bound on concurrent password checks.
     *
     * @param permits checks at the same time
     * @param wait how long a login waits for a permit
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public LoginPolicy withHashing(int permits, Duration wait) {
        return new LoginPolicy(accountFailuresBeforeBackOff, addressFailuresBeforeBackOff, firstBackOff, maxBackOff,
                forgetAfter, maxTrackedKeys, permits, wait);
    }

    /**
     * A copy with another memory bound.
     *
     * @param value usernames, and separately addresses, tracked at most
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public LoginPolicy withMaxTrackedKeys(int value) {
        return new LoginPolicy(accountFailuresBeforeBackOff, addressFailuresBeforeBackOff, firstBackOff, maxBackOff,
                forgetAfter, value, hashingPermits, hashingWait);
    }
}
