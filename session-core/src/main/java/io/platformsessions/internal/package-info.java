/**
 * Engine internals. Not API: may change in any release.
 */
package io.platformsessions.internal;
