package io.platformsessions.spring.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The handler (method, or every handler of a controller class) needs a session with an active platform
 * connection, and answers like the filter's platform-required paths: without a session, 401 JSON or a redirect
 * to the login page; with a session but no active platform, {@code 409 PLATFORM_REQUIRED} JSON, or for a browser
 * asking for HTML a redirect to {@code platform.sessions.filter.platform-picker-page} when that is set.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPlatform {
}
