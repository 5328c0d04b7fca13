package io.platformsessions.benchmarks;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Spring Session Data Redis under test, on spring-data-redis with Lettuce ({@link LettuceConnectionFactory}, its
 * defaults: one shared native connection, no pool), wired as its {@code @Enable...} configurations wire it:
 * <ul>
 *   <li>{@link Kind#DEFAULT}: {@link RedisSessionRepository}, what {@code @EnableRedisHttpSession} and Spring
 *   Boot ({@code spring.session.redis.repository-type=default}) set up in Spring Session 3.x. It cannot list
 *   a user's sessions.</li>
 *   <li>{@link Kind#INDEXED}: {@link RedisIndexedSessionRepository}, what {@code @EnableRedisIndexedHttpSession}
 *   sets up (and what an application needs for {@code findByPrincipalName}), with its message listener container
 *   subscribed to the created/deleted/expired channels and its once-a-minute cleanup task. The keyspace
 *   notification set-up ({@code CONFIG SET notify-keyspace-events}) is replaced by
 *   {@code ConfigureRedisAction.NO_OP}, as on managed Redis: the benchmark never reconfigures the shared server.</li>
 * </ul>
 * Both: a {@code RedisTemplate<String, Object>} with string keys and hash keys and JDK serialization of values,
 * idle timeout 30 minutes, flush on save, save on set attribute, and a fresh random namespace. Thread-safe
 * after preparation.
 */
public final class SpringRedisSubject implements Subject {
    private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

    /** Which of Spring Session's Redis repositories. */
    public enum Kind {
        /** {@link RedisSessionRepository} ({@code @EnableRedisHttpSession}, Spring Boot's default). */
        DEFAULT("spring"),
        /** {@link RedisIndexedSessionRepository} ({@code @EnableRedisIndexedHttpSession}). */
        INDEXED("spring-indexed");

        private final String lib;

        Kind(String lib) {
            this.lib = lib;
        }

        /**
         * The library name in tables and JMH parameters.
         * @return {@code spring} or {@code spring-indexed}
         */
        public String lib() {
            return lib;
        }
    }

    private final Kind kind;
    private final String namespace;
    private final LettuceConnectionFactory factory;
    private final SessionRepository<? extends Session> repo;
    private final RedisIndexedSessionRepository indexed;
    private final RedisMessageListenerContainer container;
    private String[] ids = new String[0];
    private long[] sessionUsers = new long[0];
    private int users = 1;

    /**
     * Connects to Redis and builds the repository.
     * @param kind which repository
     * @param uri the Redis URI (host, port, password, database are used)
     * @param namespace the key namespace (keys are {@code namespace:...}); deleted by the caller afterwards
     */
    public SpringRedisSubject(Kind kind, String uri, String namespace) {
        this.kind = kind;
        this.namespace = namespace;
        RedisURI u = RedisURI.create(uri);
        RedisStandaloneConfiguration where = new RedisStandaloneConfiguration(u.getHost(), u.getPort());
        where.setDatabase(u.getDatabase());
        String userInfo = java.net.URI.create(uri).getUserInfo(); // redis://[user:]password@host...
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon > 0) {
                where.setUsername(userInfo.substring(0, colon));
            }
            where.setPassword(RedisPassword.of(userInfo.substring(colon + 1)));
        }
        factory = new LettuceConnectionFactory(where);
        factory.afterPropertiesSet();
        factory.start();
        // what AbstractRedisHttpSessionConfiguration.createRedisTemplate() builds
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setConnectionFactory(factory);
        template.setBeanClassLoader(SpringRedisSubject.class.getClassLoader());
        template.afterPropertiesSet();
        if (kind == Kind.DEFAULT) {
            RedisSessionRepository r = new RedisSessionRepository(template);
            r.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
            r.setRedisKeyNamespace(namespace);
            repo = r;
            indexed = null;
            container = null;
        } else {
            RedisIndexedSessionRepository r = new RedisIndexedSessionRepository(template);
            r.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
            r.setRedisKeyNamespace(namespace);
            r.setDatabase(u.getDatabase());
            r.afterPropertiesSet(); // starts its cleanup task (cron, once a minute), as the bean would
            // what RedisIndexedHttpSessionConfiguration.springSessionRedisMessageListenerContainer() sets up
            RedisMessageListenerContainer c = new RedisMessageListenerContainer();
            c.setConnectionFactory(factory);
            c.addMessageListener(r, Arrays.asList(new ChannelTopic(r.getSessionDeletedChannel()),
                    new ChannelTopic(r.getSessionExpiredChannel())));
            c.addMessageListener(r, Collections.singletonList(new PatternTopic(r.getSessionCreatedChannelPrefix() + "*")));
            c.afterPropertiesSet();
            c.start();
            repo = r;
            indexed = r;
            container = c;
        }
    }

    @Override
    public String name() {
        return kind.lib();
    }

    /**
     * The namespace the repository writes under.
     * @return the namespace (no trailing colon)
     */
    public String namespace() {
        return namespace;
    }

    @Override
    public Object create(long n) {
        return create(repo, OursSubject.FRESH_USERS + n);
    }

    /**
     * Creates a session for synthetic user {@code user} (for memory measurements).
     * @param user the user number
     * @return the session id
     */
    String createFor(long user) {
        return create(repo, user);
    }

    // generic helpers: the repositories' session types are not public, as for applications
    private static <S extends Session> String create(SessionRepository<S> repo, long user) {
        S s = repo.createSession();
        s.setAttribute(PRINCIPAL, SyntheticPlatforms.userId(user));
        s.setAttribute(SpringSubject.PLATFORM, SyntheticPlatforms.defaultPlatform(user));
        repo.save(s);
        return s.getId();
    }

    private static <S extends Session> S touch(SessionRepository<S> repo, String id) {
        S s = repo.findById(id);
        if (s == null) {
            throw new IllegalStateException("prepared Spring session not found");
        }
        s.setLastAccessedTime(Instant.now());
        repo.save(s);
        return s;
    }

    private static <S extends Session> S setPlatform(SessionRepository<S> repo, String id, long platform) {
        S s = repo.findById(id);
        if (s == null) {
            throw new IllegalStateException("prepared Spring session not found");
        }
        s.setAttribute(SpringSubject.PLATFORM, platform);
        repo.save(s);
        return s;
    }

    @Override
    public void prepareActive(int sessions, int userCount) {
        this.users = userCount;
        ids = new String[sessions];
        sessionUsers = new long[sessions];
        Parallel.forEach(userCount, user -> {
            for (int k = user; k < sessions; k += userCount) {
                ids[k] = create(repo, user);
                sessionUsers[k] = user;
            }
        });
    }

    @Override
    public Object requestCycle(int i) {
        // what SessionRepositoryFilter does for a request with a session in use
        return touch(repo, ids[i % ids.length]);
    }

    @Override
    public Object switchPlatform(int i) {
        int k = i % ids.length;
        long user = sessionUsers[k];
        long target = (i / ids.length) % 2 == 0 ? SyntheticPlatforms.otherPlatform(user)
                : SyntheticPlatforms.defaultPlatform(user);
        return setPlatform(repo, ids[k], target);
    }

    /**
     * Lists a user's sessions with {@code findByPrincipalName}.
     * @throws UnsupportedOperationException for {@link Kind#DEFAULT}, which has no index
     */
    @Override
    public int listSessions(int u) {
        if (indexed == null) {
            throw new UnsupportedOperationException("RedisSessionRepository cannot find sessions by principal name");
        }
        return indexed.findByPrincipalName(SyntheticPlatforms.userId(u % users)).size();
    }

    /**
     * Not benchmarked on Redis.
     * @throws UnsupportedOperationException always
     */
    @Override
    public void prepareExpired(int count) {
        throw new UnsupportedOperationException("cleanup is not benchmarked on Redis");
    }

    /**
     * Not benchmarked on Redis.
     * @throws UnsupportedOperationException always
     */
    @Override
    public long cleanup() {
        throw new UnsupportedOperationException("cleanup is not benchmarked on Redis");
    }

    @Override
    public void close() {
        try {
            if (container != null) {
                container.destroy();
            }
            if (indexed != null) {
                indexed.destroy();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not stop Spring Session's listener container", e);
        } finally {
            factory.destroy();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s)", kind.lib(), namespace);
    }
}
