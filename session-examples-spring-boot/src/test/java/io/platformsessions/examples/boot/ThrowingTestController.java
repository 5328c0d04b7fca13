package io.platformsessions.examples.boot;

import io.platformsessions.PlatformContext;
import io.platformsessions.SessionManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test-only: a controller whose session call fails, to see the filter answer it (picked up by the app's scan). */
@RestController
class ThrowingTestController {
    private final SessionManager sessions;

    ThrowingTestController(SessionManager sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/test/foreign-platform")
    String foreignPlatform(PlatformContext session) {
        sessions.switchPlatform(session.key(), Long.MAX_VALUE);
        return "unreachable";
    }
}
