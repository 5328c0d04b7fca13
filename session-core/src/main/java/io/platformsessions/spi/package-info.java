/**
 * Interfaces the engine calls out to: {@link io.platformsessions.spi.SessionStore} (persistence),
 * {@link io.platformsessions.spi.PlatformDirectory} and {@link io.platformsessions.spi.UserDirectory}
 * (the application's data), {@link io.platformsessions.spi.SessionListener} (events) and
 * {@link io.platformsessions.spi.SessionChangeBus} (cache coherence across engines).
 */
package io.platformsessions.spi;
