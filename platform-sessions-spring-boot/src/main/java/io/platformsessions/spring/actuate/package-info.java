/**
 * Spring Boot Actuator for Platform Sessions: the {@code platformsessions} endpoint (a user's sessions, ending
 * one or all), the store health indicator and the sanitizing of encryption keys.
 */
package io.platformsessions.spring.actuate;
