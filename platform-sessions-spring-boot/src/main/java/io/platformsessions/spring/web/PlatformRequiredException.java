package io.platformsessions.spring.web;

import java.io.Serial;

/**
 * A handler needs an active platform connection and the session has none. Thrown by the argument resolver for
 * {@link io.platformsessions.ActivePlatform}; {@link PlatformSessionsWebMvcConfigurer} answers it like a
 * platform-required path.
 */
public final class PlatformRequiredException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public PlatformRequiredException() {
        super("choose a platform connection first");
    }
}
