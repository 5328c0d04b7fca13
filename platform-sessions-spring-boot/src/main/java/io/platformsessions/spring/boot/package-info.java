/**
 * Spring Boot 4 auto-configuration of Platform Sessions, and its configuration properties
 * ({@link io.platformsessions.spring.boot.PlatformSessionsProperties}, prefix {@code platform.sessions}).
 * Registered in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
package io.platformsessions.spring.boot;
