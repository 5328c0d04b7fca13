package io.platformsessions.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A binding is "unknown" (nothing to compare a later client with) only when nothing identifying is known. */
class ClientBindingUnknownTest {

    @Test
    void anyOneKnownPartMakesTheBindingKnown() {
        assertThat(ClientBinding.unknown().isUnknown()).isTrue();
        assertThat(new ClientBinding(null, null, null, null).isUnknown()).isTrue();
        assertThat(new ClientBinding(null, null, null, "Firefox on Linux").isUnknown())
                .as("the device label is for display only, not compared").isTrue();
        assertThat(new ClientBinding("203.0.113.0/24", null, null, null).isUnknown()).isFalse();
        assertThat(new ClientBinding(null, "Firefox", null, null).isUnknown()).isFalse();
        assertThat(new ClientBinding(null, null, "de", null).isUnknown()).isFalse();
    }
}
