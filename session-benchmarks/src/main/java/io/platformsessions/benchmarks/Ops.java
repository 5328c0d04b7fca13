package io.platformsessions.benchmarks;

/**
 * Operation labels and the targets (ratio ours / Spring, same run): issue 7's on the JDBC databases, issue 14's
 * on Redis. Constants only.
 */
final class Ops {
    static final String CREATE = "create";
    /** Ours with {@code JdbcSessionStore.Builder#asynchronousCreateCommit(true)} (opt-in), against Spring's create. */
    static final String CREATE_ASYNC = "create, ours with asynchronousCreateCommit (opt-in)";
    static final String REQUEST_CACHE_ON = "request cycle, cache on";
    static final String REQUEST_CACHE_OFF = "request cycle, cache off";
    static final String SWITCH = "switch platform";
    static final String LIST = "list a user's sessions";
    static final String CLEANUP = "cleanup of expired (sessions/s)";
    static final String REQUEST_CACHE_ON_2T = "request cycle, cache on, 2 threads";
    static final String REQUEST_CACHE_OFF_2T = "request cycle, cache off, 2 threads";

    private Ops() {
    }

    /**
     * The target ratio for an operation on a database.
     * @param op one of the labels
     * @param db the database
     * @return the least acceptable ours / Spring ratio
     */
    static double target(String op, Db db) {
        if (db == Db.REDIS) {
            return switch (op) {
                case REQUEST_CACHE_ON, REQUEST_CACHE_ON_2T -> 100;
                case REQUEST_CACHE_OFF, REQUEST_CACHE_OFF_2T, LIST -> 2;
                case CREATE, SWITCH -> 1.5;
                default -> throw new IllegalArgumentException(op + " is not benchmarked on Redis");
            };
        }
        boolean pg = db == Db.POSTGRESQL;
        return switch (op) {
            case REQUEST_CACHE_ON, REQUEST_CACHE_ON_2T -> pg ? 100 : 20;
            case REQUEST_CACHE_OFF, REQUEST_CACHE_OFF_2T -> pg ? 3 : 2;
            case CREATE, CREATE_ASYNC, SWITCH -> pg ? 2 : 1.5;
            case LIST -> 2;
            case CLEANUP -> pg ? 1 : 2;
            default -> throw new IllegalArgumentException(op);
        };
    }
}
