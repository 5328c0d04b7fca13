/**
 * Platform Sessions: server-side sessions that know which platform connection the user works with.
 * Start at {@link io.platformsessions.SessionManager#builder(io.platformsessions.spi.SessionStore)}.
 */
package io.platformsessions;
