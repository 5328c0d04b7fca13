/**
 * In-memory implementations of the SPI: {@link io.platformsessions.memory.InMemorySessionStore},
 * directories and an in-process change bus. For tests, demos and single-node apps.
 */
package io.platformsessions.memory;
