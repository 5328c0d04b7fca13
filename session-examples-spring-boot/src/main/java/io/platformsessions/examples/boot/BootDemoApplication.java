package io.platformsessions.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot demo: Spring Security form login on Platform Sessions, Thymeleaf pages with the platform
 * switcher and {@code sync.js}, H2 in memory, Actuator. Everything session-related comes from the starter and
 * {@code application.properties}; this module adds only the application's own parts (users, pages).
 */
@SpringBootApplication
public class BootDemoApplication {

    /**
     * Starts the demo on http://127.0.0.1:8080/ (set {@code SERVER_PORT} for another port).
     *
     * @param args Spring Boot arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(BootDemoApplication.class, args);
    }
}
