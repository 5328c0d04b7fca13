package io.platformsessions.examples.boot;

import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidPlatformException;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionManager;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spring.web.RequiresPlatform;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The demo's pages: the dashboard (platform switcher, devices), the composer, the login page. */
@Controller
class DashboardController {
    private final SessionManager sessions;
    private final PlatformDirectory platforms;

    DashboardController(SessionManager sessions, PlatformDirectory platforms) {
        this.sessions = sessions;
        this.platforms = platforms;
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String dashboard(PlatformContext session, Model model) {
        model.addAttribute("me", session.toClientView());
        model.addAttribute("platforms", platforms.findByUser(session.userId()));
        model.addAttribute("devices", sessions.activeSessions(session.userId()));
        model.addAttribute("currentSessionId", session.sessionId());
        return "dashboard";
    }

    /** Without JavaScript: the same switch sync.js makes through POST /session/platform. */
    @PostMapping("/account/platform")
    String switchPlatform(PlatformContext session, @RequestParam long platformId, RedirectAttributes redirect) {
        try {
            PlatformContext switched = sessions.switchPlatform(session.key(), platformId);
            // a flash attribute: kept in the platform session for the next request only
            redirect.addFlashAttribute("notice", "Switched to " + switched.platform().map(ActivePlatform::name).orElse("none"));
        } catch (InvalidPlatformException e) {
            redirect.addFlashAttribute("notice", "That platform connection cannot be used");
        }
        return "redirect:/";
    }

    /** Without JavaScript: the same as POST /session/logout-others. */
    @PostMapping("/account/logout-others")
    String logoutOthers(PlatformContext session) {
        sessions.invalidateOthers(session.key());
        return "redirect:/?others-logged-out";
    }

    @GetMapping("/compose")
    @RequiresPlatform
    String compose(ActivePlatform platform, Model model) {
        model.addAttribute("platform", platform);
        return "compose";
    }

    @PostMapping("/compose")
    @RequiresPlatform
    String post(ActivePlatform platform, @RequestParam String text, Model model) {
        model.addAttribute("platform", platform);
        model.addAttribute("posted", text.length() + " characters to " + platform.name() + " (nothing leaves the demo)");
        return "compose";
    }
}
