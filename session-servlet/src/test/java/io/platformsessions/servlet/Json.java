package io.platformsessions.servlet;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;

/** JSON parsing for assertions. */
final class Json {
    private Json() {
    }

    static Map<String, Object> map(String body) {
        try {
            return JSON.std.mapFrom(body);
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + body, e);
        }
    }
}
