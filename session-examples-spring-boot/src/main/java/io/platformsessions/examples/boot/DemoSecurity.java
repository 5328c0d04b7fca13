package io.platformsessions.examples.boot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The demo's Spring Security setup: an ordinary form-login chain. Nothing in it mentions sessions: the starter's
 * {@code Customizer<HttpSecurity>} has already put the chain on Platform Sessions (security context, login,
 * logout, CSRF, request cache) before this method runs.
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {

    @Bean
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/css/**", "/js/**", "/error", "/actuator/health").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Demo users; the starter also uses this service to decide who may hold a session. */
    @Bean
    InMemoryUserDetailsManager users(PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password(encoder.encode("alice-demo-password")).roles("USER").build(),
                User.withUsername("bob").password(encoder.encode("bob-demo-password")).roles("USER").build(),
                User.withUsername("carol").password(encoder.encode("carol-demo-password")).roles("USER").build(),
                User.withUsername("admin").password(encoder.encode("admin-demo-password")).roles("USER", "ADMIN").build());
    }
}
