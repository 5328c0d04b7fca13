package io.platformsessions.examples.boot;

import io.platformsessions.ActivePlatform;
import io.platformsessions.PlatformContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/me}: who Spring Security and Platform Sessions say the caller is. */
@RestController
class MeController {

    @GetMapping("/api/me")
    Map<String, Object> me(Authentication authentication, Optional<PlatformContext> session,
                           Optional<ActivePlatform> platform) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", authentication.getName());
        List<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        me.put("authorities", authorities);
        me.put("authenticationType", authentication.getClass().getSimpleName());
        me.put("sessionId", session.map(PlatformContext::sessionId).orElse(null));
        me.put("platform", platform.map(ActivePlatform::name).orElse(null));
        return me;
    }
}
