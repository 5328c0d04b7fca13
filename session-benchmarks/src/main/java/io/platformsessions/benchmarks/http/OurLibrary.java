package io.platformsessions.benchmarks.http;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.benchmarks.SyntheticPlatforms;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.servlet.PlatformSessionFilter;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The HTTP benchmark's only use of the Platform Sessions API: a store, a manager and the servlet
 * filter per route, and logged-in sessions to present. Everything else in this package speaks
 * servlet API and HTTP only, so an API change touches this class alone. Not thread-safe; set up
 * before the server starts.
 */
final class OurLibrary implements AutoCloseable {
    /** The filter's session cookie with its default, secure setting (read over plain HTTP just the same). */
    static final String COOKIE_NAME = "__Host-psid";

    private final List<SessionManager> managers = new ArrayList<>();
    private final List<JdbcSessionStore> stores = new ArrayList<>();
    private int mounts;

    /** A filter over its own manager, and a way to log users in through that manager. */
    final class Mount {
        private final SessionManager manager;
        private final int index;
        private int created;

        private Mount(SessionManager manager, int index) {
            this.manager = manager;
            this.index = index;
        }

        /**
         * The filter as an application registers it (defaults: secure cookie, JSON errors).
         * @return a new filter over this mount's manager
         */
        Filter filter() {
            return PlatformSessionFilter.builder(manager).build();
        }

        /**
         * Logs in {@code count} new users (one session each, with their default platform and the
         * attribute {@code name = value}) from the given client, as a login handler would.
         * @param count how many sessions
         * @param client the client the load generator presents (address, User-Agent, Accept-Language)
         * @param name attribute name the servlet reads
         * @param value its value
         * @return one {@code Cookie} header value per session
         */
        List<String> logIn(int count, Client client, String name, String value) {
            ClientInfo info = new ClientInfo(client.address(), client.userAgent(), client.acceptLanguage());
            List<String> cookies = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                // distinct users per mount: the per-user session limit must never evict a prepared session
                long user = 1_000_000L * (index + 1) + created++;
                CreatedSession s = manager.create(SyntheticPlatforms.userId(user), SyntheticPlatforms.defaultPlatform(user),
                        info);
                manager.setAttribute(s.context().key(), name, value);
                cookies.add(COOKIE_NAME + "=" + s.token().value());
            }
            return cookies;
        }
    }

    /**
     * Opens a JDBC store (schema installed if missing) and a manager with default configuration but
     * the cache switch, over {@code ds}.
     * @param ds the pool, or a counting wrapper around it
     * @param cache whether the manager's session cache is on (the default)
     * @return the mount
     */
    Mount mount(DataSource ds, boolean cache) {
        JdbcSessionStore store = JdbcSessionStore.builder().dataSource(ds).initializeSchema(true).build();
        stores.add(store);
        SessionManager manager = SessionManager.builder(store)
                .config(SessionConfig.builder().cacheEnabled(cache).build())
                .platformDirectory(new SyntheticPlatforms())
                .build();
        managers.add(manager);
        return new Mount(manager, mounts++);
    }

    /** Closes every manager and store opened here. */
    @Override
    public void close() {
        managers.forEach(SessionManager::close);
        stores.forEach(JdbcSessionStore::close);
    }
}
