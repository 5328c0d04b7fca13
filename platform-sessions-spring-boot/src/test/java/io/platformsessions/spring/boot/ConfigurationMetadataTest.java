package io.platformsessions.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The generated configuration metadata (what IDEs complete) states the real defaults, and docs/spring-boot.md
 * lists every property.
 */
class ConfigurationMetadataTest {
    private static final String PREFIX = "platform.sessions.";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> properties() throws Exception {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes()));
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object p : (List<Object>) json.get("properties")) {
                Map<String, Object> m = (Map<String, Object>) p;
                if (((String) m.get("name")).startsWith(PREFIX)) {
                    out.add(m);
                }
            }
            return out;
        }
    }

    @Test
    void everyStatedDefaultIsTheRealOne() throws Exception {
        Map<String, Object> stated = new LinkedHashMap<>();
        for (Map<String, Object> p : properties()) {
            Object d = p.get("defaultValue");
            if (d instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    stated.put(p.get("name") + "[" + i + "]", String.valueOf(list.get(i)));
                }
            } else if (d != null) {
                stated.put((String) p.get("name"), String.valueOf(d));
            }
        }
        assertThat(stated).hasSizeGreaterThan(30);
        PlatformSessionsProperties bound = new Binder(new MapConfigurationPropertySource(stated))
                .bind("platform.sessions", Bindable.of(PlatformSessionsProperties.class)).get();
        BeanWrapperImpl real = new BeanWrapperImpl(new PlatformSessionsProperties());
        BeanWrapperImpl fromMetadata = new BeanWrapperImpl(bound);
        for (String name : stated.keySet()) {
            String path = beanPath(name.replaceAll("\\[\\d+]$", ""));
            assertThat(fromMetadata.getPropertyValue(path)).as(name).isEqualTo(real.getPropertyValue(path));
        }
    }

    @Test
    void theDocumentationListsEveryProperty() throws Exception {
        String docs = Files.readString(Path.of("../docs/spring-boot.md"));
        for (Map<String, Object> p : properties()) {
            assertThat(docs).as("docs/spring-boot.md").contains("`" + p.get("name") + "`");
        }
    }

    /** {@code platform.sessions.filter.dispatcher-types} to {@code filter.dispatcherTypes}. */
    private static String beanPath(String name) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name.substring(PREFIX.length()).toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
