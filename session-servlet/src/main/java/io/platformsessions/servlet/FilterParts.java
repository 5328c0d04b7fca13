package io.platformsessions.servlet;

/**
 * The collaborators one filter is built from, made once from its settings and shared by every
 * request: resolving the session, the CSRF policy, the one error mapping, and the endpoints.
 * Immutable and thread-safe.
 */
record FilterParts(FilterSettings settings, SessionResolver resolver, CsrfPolicy csrf, ErrorResponder responder,
                   SessionEndpoints endpoints) {

    static FilterParts of(FilterSettings settings) {
        CsrfPolicy csrf = new CsrfPolicy(settings);
        ErrorResponder responder = new ErrorResponder(settings);
        return new FilterParts(settings, new SessionResolver(settings), csrf, responder,
                new SessionEndpoints(settings, csrf, responder));
    }
}
