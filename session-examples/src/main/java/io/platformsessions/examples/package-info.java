/**
 * The Platform Sessions demo: a small web application on embedded Jetty 12 and H2 that uses
 * session-core, session-jdbc and session-servlet the way an application would. Start it with
 * {@link io.platformsessions.examples.DemoApp}; {@link io.platformsessions.examples.DemoServer} holds
 * the wiring. See {@code docs/demo.md}.
 */
package io.platformsessions.examples;
