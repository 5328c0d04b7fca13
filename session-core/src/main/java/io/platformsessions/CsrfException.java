package io.platformsessions;

/**
 * A state-changing request carried no CSRF token, or one that does not match its session. Thrown by
 * {@link SessionManager#requireCsrfToken(PlatformContext, String)}; the servlet filter answers it with
 * 403 {@code CSRF_INVALID}.
 */
public class CsrfException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the request was refused
     */
    public CsrfException(String message) {
        super(message);
    }
}
