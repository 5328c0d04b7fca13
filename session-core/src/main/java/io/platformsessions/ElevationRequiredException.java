package io.platformsessions;

/**
 * The operation needs a recently re-authenticated ("elevated") session, and this session is not
 * elevated, its elevation expired, or its access level is too low. The application should ask the
 * user to re-authenticate and then call {@link SessionManager#elevate}.
 */
public class ElevationRequiredException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what level was required
     */
    public ElevationRequiredException(String message) {
        super(message);
    }
}
