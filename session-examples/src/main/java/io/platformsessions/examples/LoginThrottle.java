package io.platformsessions.examples;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Exponential back-off for failed logins, counted per username and per client address (the IPv4
 * address, or the IPv6 /64 a subscriber usually holds), as {@link LoginPolicy} describes. Every
 * presented username is counted the same way whether or not the account exists, so a refusal
 * tells nothing about which accounts exist. A success clears the username's counter but not the
 * address's (otherwise one valid account would reset an attacker's address budget).
 *
 * <p>Memory is bounded: each table keeps at most {@link LoginPolicy#maxTrackedKeys()} entries
 * (Caffeine evicts the least useful first) and drops an entry {@link LoginPolicy#forgetAfter()}
 * after its last failure. Thread-safe.
 */
final class LoginThrottle {
    /** Longest username key kept; longer names cannot log in anyway. */
    private static final int MAX_KEY = DemoAccounts.MAX_USERNAME_LENGTH + 1;

    /** Failures so far and until when further attempts are refused. */
    private record Entry(int failures, Instant lastFailure, Instant blockedUntil) {
    }

    private final LoginPolicy policy;
    private final Clock clock;
    private final Cache<String, Entry> accounts;
    private final Cache<String, Entry> addresses;

    LoginThrottle(LoginPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accounts = table();
        this.addresses = table();
    }

    private Cache<String, Entry> table() {
        return Caffeine.newBuilder()
                .maximumSize(policy.maxTrackedKeys())
                .expireAfterWrite(policy.forgetAfter())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * How long the caller must wait before this username may be tried from this address, if it
     * is blocked now (the longer of the two blocks).
     *
     * @param username the presented username, may be null
     * @param address the client address as text, may be null
     * @return the remaining block, or empty when the attempt may go ahead
     */
    Optional<Duration> refusal(String username, String address) {
        Instant now = clock.instant();
        Duration wait = longer(remaining(accounts, accountKey(username), now),
                remaining(addresses, addressKey(address), now));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /**
     * Counts a failed login for the username and the address.
     *
     * @param username the presented username, may be null
     * @param address the client address as text, may be null
     */
    void failed(String username, String address) {
        Instant now = clock.instant();
        count(accounts, accountKey(username), policy.accountFailuresBeforeBackOff(), now);
        count(addresses, addressKey(address), policy.addressFailuresBeforeBackOff(), now);
    }

    /**
     * Clears the username's failures after a successful login.
     *
     * @param username the username that logged in
     */
    void succeeded(String username) {
        String key = accountKey(username);
        if (key != null) {
            accounts.invalidate(key);
        }
    }

    /**
     * How many usernames and addresses are tracked right now (for tests of the memory bound).
     *
     * @return the entries in both tables
     */
    long trackedKeys() {
        accounts.cleanUp();
        addresses.cleanUp();
        return accounts.estimatedSize() + addresses.estimatedSize();
    }

    private void count(Cache<String, Entry> table, String key, int threshold, Instant now) {
        if (key == null) {
            return;
        }
        table.asMap().compute(key, (k, old) -> {
            int failures = old == null || forgotten(old, now) ? 1 : old.failures() + 1;
            Instant blockedUntil = failures < threshold ? now : now.plus(backOff(failures - threshold));
            return new Entry(failures, now, blockedUntil);
        });
    }

    private boolean forgotten(Entry e, Instant now) {
        return !now.isBefore(e.lastFailure().plus(policy.forgetAfter()));
    }

    /** {@code firstBackOff * 2^n}, at most {@code maxBackOff}. */
    Duration backOff(int n) {
        Duration d = policy.firstBackOff();
        for (int i = 0; i < n && d.compareTo(policy.maxBackOff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(policy.maxBackOff()) > 0 ? policy.maxBackOff() : d;
    }

    private static Duration remaining(Cache<String, Entry> table, String key, Instant now) {
        Entry e = key == null ? null : table.getIfPresent(key);
        return e == null || !now.isBefore(e.blockedUntil()) ? Duration.ZERO : Duration.between(now, e.blockedUntil());
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The username as counted: trimmed and lower-cased (so case variants share one budget), or null if blank. */
    static String accountKey(String username) {
        if (username == null || username.isBlank()) {
            return null;
        }
        String s = username.strip().toLowerCase(Locale.ROOT);
        return s.length() > MAX_KEY ? s.substring(0, MAX_KEY) : s;
    }

    /**
     * The address as counted: an IPv4 address as itself, an IPv6 address as its /64 (so one
     * subscriber cannot rotate through its addresses), anything else cut to 64 characters.
     */
    static String addressKey(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String s = address.strip();
        if (s.indexOf(':') >= 0) {
            try {
                // an IPv6 literal (it has a colon), so this never asks DNS
                byte[] b = InetAddress.getByName(s.startsWith("[") ? s : "[" + s + "]").getAddress();
                if (b.length == 16) {
                    return String.format(Locale.ROOT, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64",
                            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
                }
                return InetAddress.getByAddress(b).getHostAddress(); // IPv4-mapped
            } catch (UnknownHostException e) {
                // not an address: counted as the text below
            }
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
