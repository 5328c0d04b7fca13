package io.platformsessions.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The store's Lua scripts ({@code io/platformsessions/redis/*.lua}). Each is sent as {@code EVALSHA} with the
 * SHA-1 computed here; a server that does not know it yet (first use, restart, failover, {@code SCRIPT FLUSH})
 * answers {@code NOSCRIPT} and gets the source once with {@code EVAL}, which also caches it there. The source
 * is the generated field-name header ({@link RecordCodec#luaHeader()}), {@code lib.lua}, then the script.
 */
enum Script {
    INSERT("insert"),
    USER_ADD("user_add"),
    UPDATE("update"),
    TOUCH("touch"),
    DELETE("delete"),
    CAS_DELETE("cas_delete"),
    REKEY("rekey"),
    USER_LIST("user_list"),
    EXPIRED_COUNT("expired_count"),
    EXPIRED_CLAIM("expired_claim"),
    LIVE_COUNT("live_count");

    final String source;
    final String sha;

    Script(String name) {
        this.source = RecordCodec.luaHeader() + Resources.LIB + Resources.read(name + ".lua");
        this.sha = Resources.sha1(source);
    }

    /** Script files; a nested class so the library is loaded before the enum constants. */
    private static final class Resources {
        static final String LIB = read("lib.lua");

        static String read(String file) {
            try (InputStream in = Script.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("missing script resource " + file);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }
}
