package io.platformsessions.examples.boot;

import io.platformsessions.PlatformConnection;
import io.platformsessions.jdbc.JdbcPlatformDirectory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The demo's platform connections, in the library's managed table (created at startup on H2):
 * alice has Mastodon (default), Pixelfed and an inactive Mastodon account; bob one Mastodon account;
 * carol none (she sees the platform picker on platform-required pages).
 */
@Component
class DemoData implements ApplicationRunner {
    private final JdbcPlatformDirectory platforms;

    DemoData(JdbcPlatformDirectory platforms) {
        this.platforms = platforms;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!platforms.findByUser("alice").isEmpty()) {
            return;
        }
        platforms.add("alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true);
        platforms.add("alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", false);
        PlatformConnection inactive = platforms.add("alice", "alice@mastodon.online", "mastodon",
                "https://mastodon.online", false);
        platforms.deactivate(inactive.id());
        platforms.add("bob", "bob@fosstodon.org", "mastodon", "https://fosstodon.org", true);
    }
}
