/**
 * Servlet adapter for Platform Sessions (jakarta.servlet 6.0).
 *
 * <p>{@link io.platformsessions.servlet.PlatformSessionFilter} resolves the session cookie on each
 * request, binds the {@link io.platformsessions.PlatformContext} to the request, backs
 * {@code HttpServletRequest#getSession} with platform sessions, enforces CSRF (token, Fetch
 * Metadata, Origin) on unsafe methods, guards platform-required paths, and serves the JSON
 * endpoints and the cross-tab {@code sync.js} script of the HTTP contract.
 * {@link io.platformsessions.servlet.PlatformSessions} holds the static helpers application code
 * calls (login, logout, CSRF token, current context).
 */
package io.platformsessions.servlet;
