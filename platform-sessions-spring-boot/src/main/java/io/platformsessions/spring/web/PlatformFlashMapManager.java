package io.platformsessions.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.AbstractFlashMapManager;

/**
 * Spring MVC flash attributes ({@code RedirectAttributes.addFlashAttribute}) in the platform session. Spring's
 * own {@code SessionFlashMapManager} stores {@code FlashMap} objects in the {@code HttpSession}; the platform
 * session keeps attributes as JSON, so this manager stores each flash map as a JSON object (target path,
 * target parameters, expiry, attributes) under the session attribute {@value #ATTRIBUTE} and rebuilds it.
 * Flash attribute values must therefore be JSON values (strings, numbers, booleans, lists, maps; a bean comes
 * back as a map). Without a platform session (before login) there is nowhere to keep them: they are dropped,
 * and logged at DEBUG. Thread-safe.
 */
public final class PlatformFlashMapManager extends AbstractFlashMapManager {
    /** The session attribute holding the flash maps. */
    public static final String ATTRIBUTE = "spring.flash";

    private static final Logger LOG = LoggerFactory.getLogger(PlatformFlashMapManager.class);

    /** Creates the manager. */
    public PlatformFlashMapManager() {
    }

    @Override
    protected List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object stored = session == null ? null : session.getAttribute(ATTRIBUTE);
        if (!(stored instanceof List<?> list)) {
            return null;
        }
        List<FlashMap> maps = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                maps.add(read(m));
            }
        }
        return maps;
    }

    @Override
    protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            if (!flashMaps.isEmpty()) {
                LOG.debug("dropping {} flash map(s): no platform session to keep them in", flashMaps.size());
            }
            return;
        }
        if (flashMaps.isEmpty()) {
            session.removeAttribute(ATTRIBUTE);
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>(flashMaps.size());
        for (FlashMap f : flashMaps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.getTargetRequestPath());
            Map<String, List<String>> params = new LinkedHashMap<>();
            f.getTargetRequestParams().forEach(params::put);
            m.put("params", params);
            m.put("expires", f.getExpirationTime());
            m.put("attributes", new LinkedHashMap<>(f));
            out.add(m);
        }
        session.setAttribute(ATTRIBUTE, out);
    }

    private static FlashMap read(Map<?, ?> m) {
        FlashMap f = new FlashMap();
        if (m.get("path") instanceof String path) {
            f.setTargetRequestPath(path);
        }
        if (m.get("params") instanceof Map<?, ?> params) {
            params.forEach((k, v) -> {
                if (v instanceof List<?> values) {
                    values.forEach(value -> f.addTargetRequestParam(String.valueOf(k), String.valueOf(value)));
                }
            });
        }
        if (m.get("expires") instanceof Number expires) {
            f.setExpirationTime(expires.longValue());
        }
        if (m.get("attributes") instanceof Map<?, ?> attributes) {
            attributes.forEach((k, v) -> f.put(String.valueOf(k), v));
        }
        return f;
    }
}
