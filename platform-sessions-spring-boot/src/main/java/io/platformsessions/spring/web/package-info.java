/**
 * Spring MVC on Platform Sessions: {@link io.platformsessions.PlatformContext} and
 * {@link io.platformsessions.ActivePlatform} (plain or {@code Optional}) as controller arguments,
 * {@link io.platformsessions.spring.web.RequiresPlatform}, and the servlet filter that lets
 * {@code PlatformSessionFilter} answer session exceptions thrown by controllers.
 */
package io.platformsessions.spring.web;
