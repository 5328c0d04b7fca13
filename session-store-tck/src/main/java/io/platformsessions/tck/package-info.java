/**
 * The technology compatibility kit for {@link io.platformsessions.spi.SessionStore}: the contract
 * suite every store must pass ({@link io.platformsessions.tck.SessionStoreContract}), session
 * records to test with ({@link io.platformsessions.tck.TestRecords}) and a clock tests move by hand
 * ({@link io.platformsessions.tck.MutableClock}). Add {@code session-store-tck} in test scope, next
 * to JUnit Jupiter and AssertJ, and extend the contract with a subclass that makes your store.
 */
package io.platformsessions.tck;
