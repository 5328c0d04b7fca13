package io.platformsessions.benchmarks;

/**
 * One session library under test, doing the work of each benchmarked operation the way an
 * application (or its servlet filter) would. The {@code prepare...} methods build the data an
 * operation needs and are not measured. Implementations are safe for concurrent calls of the
 * measured operations after preparation.
 */
public interface Subject extends AutoCloseable {

    /**
     * The library's name for result tables.
     * @return {@code ours} or {@code spring}
     */
    String name();

    /**
     * Creates a session for a fresh user on a platform (operation 1).
     * @param n a per-call number, unique per thread and call, that selects the user
     * @return something derived from the result, for the blackhole
     */
    Object create(long n);

    /**
     * Creates {@code sessions} live sessions spread evenly over {@code users} users, for the request
     * cycle, platform switch and list operations.
     * @param sessions how many sessions
     * @param users over how many users
     */
    void prepareActive(int sessions, int users);

    /**
     * One request's session work for live session number {@code i} (operation 2 and 6).
     * @param i index into the prepared sessions, any non-negative number (taken modulo their count)
     * @return something derived from the result, for the blackhole
     */
    Object requestCycle(int i);

    /**
     * Switches prepared session {@code i} to its other platform (operation 3).
     * @param i index into the prepared sessions, any non-negative number
     * @return something derived from the result, for the blackhole
     */
    Object switchPlatform(int i);

    /**
     * Lists the sessions of prepared user {@code u} (operation 4).
     * @param u index into the prepared users, any non-negative number
     * @return how many sessions were listed
     */
    int listSessions(int u);

    /**
     * Stores {@code count} sessions that are already expired, on top of what is stored.
     * @param count how many
     */
    void prepareExpired(int count);

    /**
     * Removes every expired session (operation 5).
     * @return how many were removed, where the library reports it; otherwise -1
     */
    long cleanup();

    /** Releases the library's resources (not the pool). */
    @Override
    void close();
}
