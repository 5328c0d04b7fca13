/**
 * Micrometer meters for Platform Sessions, usable with or without Spring. All meters are named
 * {@code platform.sessions.*} and carry only low-cardinality tags (an operation, an outcome, a reason,
 * a kind, a platform type): never a user, session, key or platform id.
 *
 * <pre>{@code
 * MeteredSessionStore store = new MeteredSessionStore(jdbcStore, registry);      // store calls, CAS conflicts
 * SessionMeters meters = new SessionMeters(store, config.clock(), registry);      // events, active sessions
 * SessionManager manager = new MeteredSessionManager(                             // lookups by outcome
 *         SessionManager.builder(store).config(config).listener(meters).build(), store, registry);
 * scheduler.scheduleWithFixedDelay(meters::sampleActiveSessions, 0, 1, TimeUnit.MINUTES);
 * }</pre>
 */
package io.platformsessions.micrometer;
