/**
 * Audit logging of session events: {@link io.platformsessions.audit.AuditLogListener} writes one
 * structured SLF4J line per event, with key prefixes only, never raw tokens, CSRF secrets or
 * attribute values.
 */
package io.platformsessions.audit;
