/**
 * Spring Security 7 on Platform Sessions: the {@code SecurityContext} lives in the platform session
 * ({@link io.platformsessions.spring.security.PlatformSecurityContextRepository}), a successful authentication
 * starts a new platform session with a new token, logout ends it, and Spring Security's own session-fixation,
 * concurrency-control, request-cache and CSRF machinery stand down in favour of the library's
 * ({@link io.platformsessions.spring.security.PlatformSessionsHttpSecurityCustomizer}).
 */
package io.platformsessions.spring.security;
