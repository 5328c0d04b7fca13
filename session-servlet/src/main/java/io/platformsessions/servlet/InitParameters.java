package io.platformsessions.servlet;

import io.platformsessions.SessionManager;
import io.platformsessions.spi.PlatformDirectory;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.Arrays;

/**
 * Configures a {@link PlatformSessionFilter.Builder} from a {@code web.xml}-style registration:
 * init-parameters named like the builder methods (lists separated by commas or white space) and
 * the {@link SessionManager} (and, deprecated, a {@link PlatformDirectory}) in servlet-context
 * attributes. Stateless and thread-safe.
 */
final class InitParameters {

    private InitParameters() {
    }

    /**
     * A builder with every init-parameter applied.
     *
     * @throws ServletException if no manager is found or a parameter is invalid, saying which
     */
    @SuppressWarnings("deprecation") // the directory attribute keeps working for existing web.xml files
    static PlatformSessionFilter.Builder builder(FilterConfig config) throws ServletException {
        String attribute = param(config, "managerAttribute");
        String name = attribute == null ? PlatformSessionFilter.MANAGER_ATTRIBUTE : attribute;
        Object manager = config.getServletContext().getAttribute(name);
        if (!(manager instanceof SessionManager m)) {
            throw new ServletException("PlatformSessionFilter needs a SessionManager in the servlet-context attribute '"
                    + name + "' (set it in a ServletContextListener before filters start)");
        }
        String directoryAttribute = param(config, "platformDirectoryAttribute");
        Object directory = config.getServletContext().getAttribute(directoryAttribute == null
                ? PlatformSessionFilter.PLATFORM_DIRECTORY_ATTRIBUTE : directoryAttribute);
        if (directoryAttribute != null && !(directory instanceof PlatformDirectory)) {
            throw new ServletException("init-parameter platformDirectoryAttribute names '" + directoryAttribute
                    + "', but that servlet-context attribute holds no PlatformDirectory");
        }
        try {
            PlatformSessionFilter.Builder b = PlatformSessionFilter.builder(m);
            if (directory instanceof PlatformDirectory d) {
                b.platformDirectory(d);
            }
            String v;
            if ((v = param(config, "secureCookie")) != null) {
                b.secureCookie(parseBoolean("secureCookie", v));
            }
            if ((v = param(config, "loginPage")) != null) {
                b.loginPage(v);
            }
            if ((v = param(config, "platformPickerPage")) != null) {
                b.platformPickerPage(v);
            }
            if ((v = param(config, "platformRequiredPaths")) != null) {
                b.platformRequiredPaths(split(v));
            }
            if ((v = param(config, "csrfExemptPaths")) != null) {
                b.csrfExemptPaths(split(v));
            }
            if ((v = param(config, "csrfExemptPathsWithSession")) != null) {
                b.csrfExemptPathsWithSession(split(v));
            }
            if ((v = param(config, "loginPaths")) != null) {
                b.loginPaths(split(v));
            }
            if ((v = param(config, "allowedOrigins")) != null) {
                b.allowedOrigins(split(v));
            }
            if ((v = param(config, "trustedProxies")) != null) {
                b.trustedProxies(split(v));
            }
            if ((v = param(config, "clientAddressHeader")) != null) {
                b.clientAddressHeader(v);
            }
            if ((v = param(config, "endpointPrefix")) != null) {
                b.endpointPrefix(v);
            }
            if ((v = param(config, "retryAfterSeconds")) != null) {
                b.retryAfterSeconds(Integer.parseInt(v));
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new ServletException("invalid PlatformSessionFilter init-parameter: " + e.getMessage(), e);
        }
    }

    private static String param(FilterConfig config, String name) {
        String v = config.getInitParameter(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean parseBoolean(String name, String v) {
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, was '" + v + "'");
    }

    private static String[] split(String v) {
        return Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank()).toArray(String[]::new);
    }
}
