package io.platformsessions.spring.actuate;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks {@code platform.sessions.encryption.keys.*} in the {@code env} and {@code configprops} endpoints in
 * every spelling (for example the environment variable {@code PLATFORM_SESSIONS_ENCRYPTION_KEYS_K1}), also
 * when the application shows other values unsanitized. Stateless and thread-safe.
 */
public final class EncryptionKeySanitizer implements SanitizingFunction {
    private static final String KEYS = "platform.sessions.encryption.keys";

    /** Creates the function. */
    public EncryptionKeySanitizer() {
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getKey().toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "").replace("[", ".")
                .replace("]", "");
        return key.startsWith(KEYS) ? data.withSanitizedValue() : data;
    }
}
