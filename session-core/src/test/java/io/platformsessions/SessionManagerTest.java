package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionManagerTest {
    private final TestFixture f = new TestFixture();
    private final SessionManager m = f.manager;

    @Nested
    class Create {
        @Test
        void startsOnTheUsersDefaultPlatform() {
            CreatedSession s = m.create("alice", TestFixture.HOME);
            PlatformContext c = s.context();
            assertThat(c.userId()).isEqualTo("alice");
            assertThat(c.username()).isEqualTo("Alice");
            assertThat(c.platform()).contains(new ActivePlatform(1, "alice@mastodon.social", "mastodon",
                    "https://mastodon.social"));
            assertThat(c.createdAt()).isEqualTo(TestFixture.START);
            assertThat(c.expiresAt()).isEqualTo(TestFixture.START.plus(Duration.ofMinutes(30)));
            assertThat(c.absoluteExpiresAt()).isEqualTo(TestFixture.START.plus(Duration.ofHours(12)));
            assertThat(c.version()).isEqualTo(1);
            assertThat(c.key()).isEqualTo(s.token().key());
            assertThat(f.events(SessionEvent.Created.class)).singleElement()
                    .satisfies(e -> assertThat(e.key()).isEqualTo(c.key()));
        }

        @Test
        void withoutADefaultPlatformHasNone() {
            assertThat(m.create("carol", ClientInfo.unknown()).context().platform()).isEmpty();
        }

        @Test
        void onAChosenPlatform() {
            assertThat(m.create("alice", 2, TestFixture.HOME).context().platform().orElseThrow().type())
                    .isEqualTo("pixelfed");
        }

        @Test
        void tokensAreFreshAndOnlyTheirHashIsStored() {
            CreatedSession a = m.create("alice", TestFixture.HOME);
            CreatedSession b = m.create("alice", TestFixture.HOME);
            assertThat(a.token()).isNotEqualTo(b.token());
            assertThat(a.token().value()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            SessionRecord stored = f.memoryStore.find(a.token().key()).orElseThrow();
            assertThat(stored.toString()).doesNotContain(a.token().value());
            assertThat(stored.key().hex()).doesNotContain(a.token().value());
        }

        @Test
        void refusesBadUsersBeforeTheStore() {
            for (String bad : new String[] {null, "", "   ", "x".repeat(256)}) {
                assertThatThrownBy(() -> m.create(bad, ClientInfo.unknown())).isInstanceOf(InvalidUserException.class);
            }
            assertThatThrownBy(() -> m.create("mallory", ClientInfo.unknown()))
                    .isInstanceOf(InvalidUserException.class).hasMessageContaining("unknown user");
            assertThatThrownBy(() -> m.create("dave", ClientInfo.unknown()))
                    .isInstanceOf(InvalidUserException.class).hasMessageContaining("deactivated");
            assertThat(f.store.totalCalls()).isZero();
        }

        @Test
        void refusesPlatformsTheUserCannotUse() {
            assertThatThrownBy(() -> m.create("alice", 4, ClientInfo.unknown()))
                    .isInstanceOfSatisfying(InvalidPlatformException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND));
            assertThatThrownBy(() -> m.create("alice", 99, ClientInfo.unknown()))
                    .isInstanceOfSatisfying(InvalidPlatformException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND));
            assertThatThrownBy(() -> m.create("alice", 3, ClientInfo.unknown()))
                    .isInstanceOfSatisfying(InvalidPlatformException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.INACTIVE));
            assertThatThrownBy(() -> m.create("alice", -1, ClientInfo.unknown()))
                    .isInstanceOf(InvalidPlatformException.class);
            assertThat(f.store.totalCalls()).isZero();
        }
    }

    @Nested
    class Limits {
        @Test
        void evictsTheLeastRecentlyUsedSessionByDefault() {
            TestFixture g = new TestFixture(c -> c.maxSessionsPerUser(3).touchInterval(Duration.ZERO));
            CreatedSession first = g.manager.create("alice", ClientInfo.unknown());
            g.clock.advance(Duration.ofMinutes(1));
            CreatedSession second = g.manager.create("alice", ClientInfo.unknown());
            g.clock.advance(Duration.ofMinutes(1));
            CreatedSession third = g.manager.create("alice", ClientInfo.unknown());
            g.clock.advance(Duration.ofMinutes(1));
            g.manager.resolve(first.token().value(), ClientInfo.unknown()); // first is now the most recent
            g.clock.advance(Duration.ofMinutes(1));
            CreatedSession fourth = g.manager.create("alice", ClientInfo.unknown());

            assertThat(g.manager.resolve(second.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(g.manager.resolve(first.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(g.manager.resolve(third.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(g.manager.resolve(fourth.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(g.events(SessionEvent.Invalidated.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.SESSION_LIMIT));
        }

        @Test
        void refusePolicyThrowsAndKeepsExistingSessions() {
            TestFixture g = new TestFixture(c -> c.maxSessionsPerUser(2).limitPolicy(SessionConfig.LimitPolicy.REFUSE));
            CreatedSession a = g.manager.create("alice", ClientInfo.unknown());
            g.manager.create("alice", ClientInfo.unknown());
            assertThatThrownBy(() -> g.manager.create("alice", ClientInfo.unknown()))
                    .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.limit()).isEqualTo(2));
            assertThat(g.manager.activeSessions("alice")).hasSize(2);
            assertThat(g.manager.resolve(a.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(g.manager.create("bob", ClientInfo.unknown())).as("other users unaffected").isNotNull();
        }

        @Test
        void expiredSessionsDoNotCountTowardsTheLimit() {
            TestFixture g = new TestFixture(c -> c.maxSessionsPerUser(1).limitPolicy(SessionConfig.LimitPolicy.REFUSE));
            g.manager.create("alice", ClientInfo.unknown());
            g.clock.advance(Duration.ofMinutes(31));
            assertThat(g.manager.create("alice", ClientInfo.unknown())).isNotNull();
        }
    }

    @Nested
    class Resolve {
        @Test
        void findsTheLiveSession() {
            CreatedSession s = m.create("alice", TestFixture.HOME);
            Optional<PlatformContext> c = m.resolve(s.token().value(), TestFixture.HOME);
            assertThat(c).hasValueSatisfying(ctx -> assertThat(ctx.key()).isEqualTo(s.context().key()));
        }

        @Test
        void malformedTokensAreRejectedWithoutAStoreLookup() {
            f.store.reset();
            for (String bad : new String[] {"", "short", "x".repeat(44), "!".repeat(43), "é".repeat(43),
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB"}) {
                assertThatThrownBy(() -> m.resolve(bad, ClientInfo.unknown())).isInstanceOf(InvalidTokenException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.isEmpty() ? "\u0000" : bad));
                assertThat(m.lookup(bad, ClientInfo.unknown()).status()).isIn(SessionLookup.Status.MALFORMED,
                        SessionLookup.Status.ABSENT);
            }
            assertThatThrownBy(() -> m.resolve(null, ClientInfo.unknown())).isInstanceOf(InvalidTokenException.class);
            assertThat(f.store.totalCalls()).isZero();
        }

        @Test
        void aSessionGoneFromTheStoreBehindTheCacheStopsAtTheNextDueTouch() {
            // single-node: cached copies are served without the staleness bound, so the touch is what notices
            TestFixture f = new TestFixture(c -> c.singleNode(true));
            SessionManager m = f.manager;
            CreatedSession s = m.create("alice", TestFixture.HOME);
            CreatedSession other = m.create("alice", TestFixture.HOME);
            // gone without this manager knowing: deleted in the database, or lost in a database crash
            f.memoryStore.delete(s.token().key(), InvalidationReason.LOGOUT, f.clock.instant());
            assertThat(m.lookup(s.token().value(), TestFixture.HOME).status()).as("cached, no touch due yet")
                    .isEqualTo(SessionLookup.Status.ACTIVE);
            f.clock.advance(Duration.ofSeconds(61));
            f.store.reset();
            assertThat(m.lookup(s.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(f.store.calls("touch")).isEqualTo(1);
            assertThat(f.store.calls("find")).as("one read to tell gone from touched elsewhere").isEqualTo(1);
            assertThat(m.lookup(s.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(m.activeSessions("alice")).extracting(SessionSummary::sessionId)
                    .containsExactly(other.context().sessionId());
        }

        @Test
        void aTouchThatAnotherWriterBeatKeepsTheSessionWithTheStoredTimes() {
            CreatedSession s = m.create("alice", TestFixture.HOME);
            f.clock.advance(Duration.ofSeconds(61));
            java.time.Instant elsewhere = f.clock.instant().plusSeconds(5); // another node's later touch
            f.memoryStore.touch(s.token().key(), elsewhere, elsewhere.plus(Duration.ofMinutes(30)));
            SessionLookup l = m.lookup(s.token().value(), TestFixture.HOME);
            assertThat(l.status()).isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(l.context().lastActivityAt()).isEqualTo(elsewhere);
        }

        @Test
        void unknownTokenIsNotFound() {
            String unknown = SessionToken.generate(new java.security.SecureRandom()).value();
            assertThat(m.resolve(unknown, ClientInfo.unknown())).isEmpty();
            assertThat(m.lookup(unknown, ClientInfo.unknown()).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        }

        @Test
        void idleTimeoutEndsTheSessionExactlyAtTheDeadline() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.clock.advance(Duration.ofMinutes(30).minusMillis(1));
            assertThat(m.lookup(s.token().value(), ClientInfo.unknown()).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            f.clock.advance(Duration.ofMinutes(30));
            assertThat(m.lookup(s.token().value(), ClientInfo.unknown()).status()).as("touched at 29:59.999")
                    .isEqualTo(SessionLookup.Status.EXPIRED);
            assertThat(f.memoryStore.find(s.token().key())).as("removed on discovery").isEmpty();
            assertThat(f.events(SessionEvent.Expired.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.IDLE_TIMEOUT));
            assertThat(m.lookup(s.token().value(), ClientInfo.unknown()).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        }

        @Test
        void idleDeadlineIsExclusive() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.clock.advance(Duration.ofMinutes(30));
            assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).isEmpty();
        }

        @Test
        void activityKeepsTheSessionAliveUntilTheAbsoluteTimeout() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            for (int i = 0; i < 12 * 3 - 1; i++) {
                f.clock.advance(Duration.ofMinutes(20));
                assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).as("after %d x 20 min", i + 1).isPresent();
            }
            f.clock.advance(Duration.ofMinutes(20)); // exactly 12 h after creation
            assertThat(m.lookup(s.token().value(), ClientInfo.unknown()).status()).isEqualTo(SessionLookup.Status.EXPIRED);
            assertThat(f.events(SessionEvent.Expired.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.ABSOLUTE_TIMEOUT));
        }

        @Test
        void idleExpiryNeverPassesTheAbsoluteExpiry() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            for (int i = 0; i < 35; i++) {
                f.clock.advance(Duration.ofMinutes(20));
                m.resolve(s.token().value(), ClientInfo.unknown());
            }
            f.clock.advance(Duration.ofMinutes(10)); // 11 h 50 min after creation
            PlatformContext c = m.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow();
            assertThat(c.expiresAt()).isEqualTo(c.absoluteExpiresAt());
        }

        @Test
        void activityIsWrittenAtMostOncePerTouchInterval() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.store.reset();
            for (int i = 0; i < 10; i++) {
                f.clock.advance(Duration.ofSeconds(5));
                m.resolve(s.token().value(), ClientInfo.unknown());
            }
            assertThat(f.store.calls("touch")).as("50 s < 60 s touch interval").isZero();
            f.clock.advance(Duration.ofSeconds(10));
            PlatformContext c = m.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow();
            assertThat(f.store.calls("touch")).isEqualTo(1);
            assertThat(c.lastActivityAt()).isEqualTo(TestFixture.START.plusSeconds(60));
            assertThat(f.memoryStore.find(c.key()).orElseThrow().lastActivityAt()).isEqualTo(c.lastActivityAt());
            assertThat(c.version()).as("touch is not a version change").isEqualTo(1);
            m.resolve(s.token().value(), ClientInfo.unknown());
            assertThat(f.store.calls("touch")).isEqualTo(1);
        }

        @Test
        void cachedLiveSessionCostsNoStoreIo() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.store.reset();
            for (int i = 0; i < 100; i++) {
                assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).isPresent();
            }
            assertThat(f.store.totalCalls()).isZero();
            assertThat(m.metrics().cacheHitRate()).isGreaterThan(0.99);
        }

        @Test
        void withoutCacheEveryResolveReadsTheStoreOnce() {
            TestFixture g = new TestFixture(c -> c.cacheEnabled(false));
            CreatedSession s = g.manager.create("alice", ClientInfo.unknown());
            g.store.reset();
            for (int i = 0; i < 5; i++) {
                g.manager.resolve(s.token().value(), ClientInfo.unknown());
            }
            assertThat(g.store.calls("find")).isEqualTo(5);
            assertThat(g.store.totalCalls()).isEqualTo(5);
        }

        @Test
        void validateChecksOwnership() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            assertThat(m.validate(s.token().value(), "alice", ClientInfo.unknown())).isTrue();
            assertThat(m.validate(s.token().value(), "bob", ClientInfo.unknown())).isFalse();
            assertThat(m.validate("garbage", "alice", ClientInfo.unknown())).isFalse();
            assertThat(m.validate(null, "alice", ClientInfo.unknown())).isFalse();
            assertThat(m.validate(s.token().value(), null, ClientInfo.unknown())).isFalse();
            f.clock.advance(Duration.ofHours(1));
            assertThat(m.validate(s.token().value(), "alice", ClientInfo.unknown())).as("expired").isFalse();
        }

        @Test
        void peekReadsWithoutTouching() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.clock.advance(Duration.ofMinutes(5));
            f.store.reset();
            assertThat(m.peek(s.context().key())).isPresent();
            assertThat(f.store.calls("touch")).isZero();
            assertThatThrownBy(() -> m.peek(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void peekJudgesNoClientAndCountsNothing() {
            TestFixture strict = new TestFixture(c -> c.clientChangePolicy(SessionConfig.ClientChangePolicy.STRICT));
            CreatedSession s = strict.manager.create("alice", TestFixture.HOME);
            assertThat(strict.manager.peek(s.context().key())).as("no client to judge").isPresent();
            assertThat(strict.manager.peek(SessionKey.ofBytes(new byte[32]))).isEmpty();
            assertThat(strict.events(SessionEvent.Suspicious.class)).isEmpty();
        }

        @Test
        void validateRecordsNoActivity() {
            CreatedSession s = m.create("alice", TestFixture.HOME);
            f.clock.advance(Duration.ofMinutes(5));
            f.store.reset();
            assertThat(m.validate(s.token().value(), "alice", TestFixture.HOME)).isTrue();
            assertThat(f.store.calls("touch")).isZero();
            assertThat(m.peek(s.context().key()).orElseThrow().lastActivityAt()).isEqualTo(TestFixture.START);
            f.clock.advance(Duration.ofMinutes(26));
            assertThat(m.validate(s.token().value(), "alice", TestFixture.HOME)).as("idle: validate kept nothing alive")
                    .isFalse();
        }

        @Test
        void validateJudgesTheClientBindingLikeLookup() {
            TestFixture strict = new TestFixture(c -> c.clientChangePolicy(SessionConfig.ClientChangePolicy.STRICT));
            CreatedSession s = strict.manager.create("alice", TestFixture.HOME);
            ClientInfo elsewhere = new ClientInfo("198.51.100.9", TestFixture.HOME.userAgent(), "en");
            assertThat(strict.manager.validate(s.token().value(), "alice", TestFixture.HOME)).isTrue();
            assertThat(strict.manager.validate(s.token().value(), "alice", elsewhere)).isFalse();
            assertThat(strict.events(SessionEvent.Invalidated.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.SUSPICIOUS_CLIENT_CHANGE));
            assertThat(strict.manager.validate(s.token().value(), "alice", TestFixture.HOME)).as("ended").isFalse();
        }

        @Test
        void lookupWithoutActivityReportsTheStateButNeverKeepsTheSessionAlive() {
            CreatedSession s = m.create("alice", TestFixture.HOME);
            for (int i = 0; i < 29; i++) { // a background check every minute for 29 minutes
                f.clock.advance(Duration.ofMinutes(1));
                SessionLookup l = m.lookupWithoutActivity(s.token().value(), TestFixture.HOME);
                assertThat(l.status()).isEqualTo(SessionLookup.Status.ACTIVE);
                assertThat(l.context().lastActivityAt()).isEqualTo(TestFixture.START);
            }
            assertThat(f.store.calls("touch")).isZero();
            assertThat(f.store.calls("update")).isZero();
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(m.lookupWithoutActivity(s.token().value(), TestFixture.HOME).status()).as("idle timeout")
                    .isEqualTo(SessionLookup.Status.EXPIRED);
            assertThat(m.lookupWithoutActivity("garbage", TestFixture.HOME).status())
                    .isEqualTo(SessionLookup.Status.MALFORMED);
            assertThat(m.lookupWithoutActivity(null, null).status()).isEqualTo(SessionLookup.Status.ABSENT);
        }

        @Test
        void validateAppliesTheUnknownTokenLimiter() {
            TestFixture limited = new TestFixture(c -> c.maxUnknownTokensPerMinute(2));
            // created on another node: unknown to this one, so a lookup would reach the store
            CreatedSession s = limited.engine(c -> c, null).create("alice", TestFixture.HOME);
            ClientInfo guesser = new ClientInfo("198.51.100.66", null, null);
            for (int i = 0; i < 3; i++) {
                assertThat(limited.manager.validate(SessionToken.generate(new java.security.SecureRandom()).value(),
                        "alice", guesser)).isFalse();
            }
            assertThat(limited.events(SessionEvent.Suspicious.class)).as("counted like lookups").hasSize(1);
            ClientInfo sameAddress = new ClientInfo("198.51.100.66", TestFixture.HOME.userAgent(), "en");
            limited.store.reset();
            assertThat(limited.manager.validate(s.token().value(), "alice", sameAddress)).as("throttled").isFalse();
            assertThat(limited.store.totalCalls()).as("refused without store I/O").isZero();
            assertThat(limited.manager.validate(s.token().value(), "alice", TestFixture.HOME)).isTrue();
        }

        @Test
        void aNullClientIsTheUnknownClientNoBindingNoLimiter() {
            TestFixture strict = new TestFixture(c -> c.clientChangePolicy(SessionConfig.ClientChangePolicy.STRICT)
                    .maxUnknownTokensPerMinute(1));
            CreatedSession s = strict.manager.create("alice", TestFixture.HOME);
            for (int i = 0; i < 5; i++) {
                assertThat(strict.manager.lookup(SessionToken.generate(new java.security.SecureRandom()).value(), null)
                        .status()).as("no IP, nothing to throttle").isEqualTo(SessionLookup.Status.NOT_FOUND);
            }
            assertThat(strict.manager.resolve(s.token().value(), null)).as("binding not judged").isPresent();
            assertThat(strict.manager.validate(s.token().value(), "alice", null)).isTrue();
            assertThat(strict.manager.lookup(s.token().value(), ClientInfo.unknown()).status())
                    .isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(strict.events(SessionEvent.Suspicious.class)).isEmpty();
        }

        @Test
        void requireCsrfTokenThrowsCsrfExceptionForABadToken() {
            PlatformContext c = m.create("alice", TestFixture.HOME).context();
            m.requireCsrfToken(c, m.csrfToken(c));
            assertThatThrownBy(() -> m.requireCsrfToken(c, "forged")).isInstanceOf(CsrfException.class);
            assertThatThrownBy(() -> m.requireCsrfToken(c, null)).isInstanceOf(CsrfException.class);
            assertThatThrownBy(() -> m.requireCsrfToken(null, m.csrfToken(c))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class SwitchPlatform {
        @Test
        void switchesToAnotherOwnedActivePlatform() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            PlatformContext c = m.switchPlatform(s.context().key(), 2);
            assertThat(c.platform().orElseThrow().id()).isEqualTo(2);
            assertThat(c.version()).isEqualTo(2);
            assertThat(m.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow().platform().orElseThrow().type())
                    .isEqualTo("pixelfed");
            assertThat(f.events(SessionEvent.PlatformSwitched.class)).singleElement().satisfies(e -> {
                assertThat(e.from().id()).isEqualTo(1);
                assertThat(e.to().id()).isEqualTo(2);
            });
            assertThat(m.metrics().platformSwitches()).isEqualTo(1);
        }

        @Test
        void refusesOtherUsersUnknownAndInactivePlatforms() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            assertThatThrownBy(() -> m.switchPlatform(key, 4)).isInstanceOfSatisfying(InvalidPlatformException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND));
            assertThatThrownBy(() -> m.switchPlatform(key, 12345)).isInstanceOfSatisfying(InvalidPlatformException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND));
            assertThatThrownBy(() -> m.switchPlatform(key, 3)).isInstanceOfSatisfying(InvalidPlatformException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.INACTIVE));
            assertThatThrownBy(() -> m.switchPlatform(key, 0)).isInstanceOf(InvalidPlatformException.class);
            assertThat(m.peek(key).orElseThrow().platform().orElseThrow().id()).isEqualTo(1);
        }

        @Test
        void withoutCacheASwitchReadsOnceAndWritesOnce() {
            TestFixture g = new TestFixture(c -> c.cacheEnabled(false));
            SessionKey key = g.manager.create("alice", ClientInfo.unknown()).context().key();
            g.store.reset();
            g.manager.switchPlatform(key, 2);
            assertThat(g.store.calls("find")).isEqualTo(1);
            assertThat(g.store.calls("update")).isEqualTo(1);
            assertThat(g.store.totalCalls()).isEqualTo(2);
        }

        @Test
        void deadSessionCannotSwitch() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            m.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            assertThatThrownBy(() -> m.switchPlatform(s.context().key(), 2)).isInstanceOf(SessionNotFoundException.class);
            assertThatThrownBy(() -> m.switchPlatform(null, 2)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Rotate {
        @Test
        void oldTokenDiesAtOnceAndTheSessionLivesOn() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            m.setAttribute(s.context().key(), "cart", List.of("a", "b"));
            m.switchPlatform(s.context().key(), 2);
            CreatedSession r = m.rotate(s.context().key());
            assertThat(r.token()).isNotEqualTo(s.token());
            assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).isEmpty();
            PlatformContext c = m.resolve(r.token().value(), ClientInfo.unknown()).orElseThrow();
            assertThat(c.sessionId()).isEqualTo(s.context().sessionId());
            assertThat(c.platform().orElseThrow().id()).isEqualTo(2);
            assertThat(m.getAttribute(c, "cart", List.class)).contains(List.of("a", "b"));
            assertThat(f.events(SessionEvent.Rotated.class)).singleElement()
                    .satisfies(e -> assertThat(e.previousKey()).isEqualTo(s.token().key()));
            assertThatThrownBy(() -> m.rotate(s.context().key())).isInstanceOf(SessionNotFoundException.class);
        }

        @Test
        void rotationReplacesTheCsrfSecret() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            String before = m.csrfToken(s.context());
            CreatedSession r = m.rotate(s.context().key());
            assertThat(m.verifyCsrfToken(s.context(), before)).isTrue();
            assertThat(m.verifyCsrfToken(r.context(), before)).isFalse();
            assertThat(m.verifyCsrfToken(r.context(), m.csrfToken(r.context()))).isTrue();
        }
    }

    @Nested
    class Extend {
        @Test
        void movesAbsoluteExpiryFromNowButNeverPastTheMaximumLifetime() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            f.clock.advance(Duration.ofMinutes(20));
            PlatformContext c = m.extend(s.context().key(), Duration.ofHours(20));
            assertThat(c.absoluteExpiresAt()).as("now + 20 h")
                    .isEqualTo(TestFixture.START.plus(Duration.ofHours(20)).plus(Duration.ofMinutes(20)));
            f.clock.advance(Duration.ofMinutes(10));
            c = m.extend(s.context().key(), Duration.ofHours(30));
            assertThat(c.absoluteExpiresAt()).as("capped at created + 24 h")
                    .isEqualTo(TestFixture.START.plus(Duration.ofHours(24)));
            assertThat(f.events(SessionEvent.Extended.class)).hasSize(2);
        }

        @Test
        void neverShortensTheSession() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            PlatformContext c = m.extend(s.context().key(), Duration.ofMinutes(1));
            assertThat(c.absoluteExpiresAt()).isEqualTo(TestFixture.START.plus(Duration.ofHours(12)));
        }

        @Test
        void extendedSessionOutlivesTheOriginalAbsoluteTimeout() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            for (int i = 0; i < 13 * 3; i++) {
                f.clock.advance(Duration.ofMinutes(20));
                if (i == 30) {
                    m.extend(s.context().key(), Duration.ofHours(6));
                }
                assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).as("step %d", i).isPresent();
            }
        }

        @Test
        void refusesNonPositiveDurations() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            assertThatThrownBy(() -> m.extend(key, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.extend(key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.extend(key, null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Invalidate {
        @Test
        void oneSession() {
            CreatedSession s = m.create("alice", ClientInfo.unknown());
            assertThat(m.invalidate(s.context().key(), InvalidationReason.LOGOUT)).isTrue();
            assertThat(m.invalidate(s.context().key(), InvalidationReason.LOGOUT)).isFalse();
            assertThat(m.resolve(s.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(f.events(SessionEvent.Invalidated.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.LOGOUT));
            assertThat(m.metrics().invalidatedByReason()).containsEntry(InvalidationReason.LOGOUT, 1L);
        }

        @Test
        void everySessionOfAUser() {
            CreatedSession a1 = m.create("alice", ClientInfo.unknown());
            CreatedSession a2 = m.create("alice", ClientInfo.unknown());
            CreatedSession b = m.create("bob", ClientInfo.unknown());
            assertThat(m.invalidateAll("alice", InvalidationReason.LOGOUT_ALL)).isEqualTo(2);
            assertThat(m.resolve(a1.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(m.resolve(a2.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(m.resolve(b.token().value(), ClientInfo.unknown())).isPresent();
            assertThatThrownBy(() -> m.invalidateAll(" ", InvalidationReason.LOGOUT_ALL))
                    .isInstanceOf(InvalidUserException.class);
        }

        @Test
        void allButTheCurrentOne() {
            CreatedSession current = m.create("alice", ClientInfo.unknown());
            CreatedSession other1 = m.create("alice", ClientInfo.unknown());
            CreatedSession other2 = m.create("alice", ClientInfo.unknown());
            CreatedSession bob = m.create("bob", ClientInfo.unknown());
            assertThat(m.invalidateOthers(current.context().key())).isEqualTo(2);
            assertThat(m.resolve(current.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(m.resolve(other1.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(m.resolve(other2.token().value(), ClientInfo.unknown())).isEmpty();
            assertThat(m.resolve(bob.token().value(), ClientInfo.unknown())).isPresent();
        }
    }

    @Nested
    class ListAndCleanup {
        @Test
        void listsLiveSessionsMostRecentFirstWithDevices() {
            CreatedSession laptop = m.create("alice", TestFixture.HOME);
            f.clock.advance(Duration.ofMinutes(2));
            CreatedSession phone = m.create("alice", 2, new ClientInfo("2001:db8:1:2::5",
                    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36", "de"));
            f.clock.advance(Duration.ofMinutes(2));
            m.create("bob", ClientInfo.unknown());
            List<SessionSummary> list = m.activeSessions("alice");
            assertThat(list).extracting(SessionSummary::key).containsExactly(phone.context().key(), laptop.context().key());
            assertThat(list.get(0).device()).isEqualTo("Chrome on Android");
            assertThat(list.get(0).ipNetwork()).isEqualTo("2001:db8:1::/48");
            assertThat(list.get(0).platform().type()).isEqualTo("pixelfed");
            assertThat(list.get(1).device()).isEqualTo("Firefox on Linux");
            assertThat(list.get(1).ipNetwork()).isEqualTo("203.0.113.0/24");
            f.clock.advance(Duration.ofMinutes(27)); // laptop idle 31 min, phone 29 min
            assertThat(m.activeSessions("alice")).extracting(SessionSummary::key).containsExactly(phone.context().key());
        }

        @Test
        void cleanupDeletesExpiredSessionsInBatches() {
            TestFixture g = new TestFixture(c -> c.cleanupBatchSize(4).maxSessionsPerUser(100));
            for (int i = 0; i < 10; i++) {
                g.manager.create("alice", ClientInfo.unknown());
            }
            g.clock.advance(Duration.ofMinutes(20));
            CreatedSession live = g.manager.create("bob", ClientInfo.unknown());
            g.clock.advance(Duration.ofMinutes(11));
            g.store.reset();
            assertThat(g.manager.cleanupExpired()).isEqualTo(10);
            assertThat(g.store.calls("deleteExpired")).isEqualTo(3);
            assertThat(g.memoryStore.size()).isEqualTo(1);
            assertThat(g.manager.resolve(live.token().value(), ClientInfo.unknown())).isPresent();
            assertThat(g.manager.metrics().expired()).isEqualTo(10);
        }
    }

    @Nested
    class Attributes {
        @Test
        void setGetRemoveWithJsonTypes() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            m.setAttribute(key, "name", "Zoë ✓");
            m.setAttribute(key, "count", 42);
            m.setAttribute(key, "flag", true);
            PlatformContext c = m.setAttribute(key, "prefs", Map.of("theme", "dark"));
            assertThat(m.getAttribute(c, "name", String.class)).contains("Zoë ✓");
            assertThat(m.getAttribute(c, "count", Integer.class)).contains(42);
            assertThat(m.getAttribute(c, "flag", Boolean.class)).contains(true);
            assertThat(m.getAttribute(c, "prefs", Map.class)).contains(Map.of("theme", "dark"));
            assertThat(m.getAttribute(c, "missing", String.class)).isEmpty();
            c = m.removeAttribute(key, "name");
            assertThat(m.getAttribute(c, "name", String.class)).isEmpty();
            c = m.setAttribute(key, "count", null);
            assertThat(m.getAttribute(c, "count", Integer.class)).isEmpty();
            assertThat(m.getAttribute(m.peek(key).orElseThrow(), "flag", Boolean.class)).contains(true);
        }

        @Test
        void ttlHidesTheAttributeWhenItExpires() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            m.setAttribute(key, "otp", "123456", AttributeOptions.expiringAfter(Duration.ofMinutes(5)));
            f.clock.advance(Duration.ofMinutes(5).minusMillis(1));
            assertThat(m.getAttribute(m.peek(key).orElseThrow(), "otp", String.class)).contains("123456");
            f.clock.advance(Duration.ofMillis(1));
            assertThat(m.getAttribute(m.peek(key).orElseThrow(), "otp", String.class)).isEmpty();
            PlatformContext c = m.setAttribute(key, "other", 1);
            assertThat(f.memoryStore.find(c.key()).orElseThrow().attributes().get("otp")).as("purged on next write").isNull();
        }

        @Test
        void refusesBadNamesAndOversizedValuesBeforeTheStore() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            f.store.reset();
            assertThatThrownBy(() -> m.setAttribute(key, "", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.setAttribute(key, null, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.setAttribute(key, "n".repeat(129), 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.setAttribute(key, "big", "x".repeat(70_000)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttributesBytes");
            assertThatThrownBy(() -> m.setAttribute(key, "x", 1, AttributeOptions.expiringAfter(Duration.ofSeconds(-1))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(f.store.calls("update")).isZero();
        }

        @Test
        void secretAttributeWithoutAKeyIsAClearError() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            assertThatThrownBy(() -> m.setAttribute(key, "token", "s3cret", AttributeOptions.secretValue()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("encryptionKey");
        }

        @Test
        void unreadableTypeIsAClearError() {
            SessionKey key = m.create("alice", ClientInfo.unknown()).context().key();
            PlatformContext c = m.setAttribute(key, "prefs", Map.of("theme", "dark"));
            assertThatThrownBy(() -> m.getAttribute(c, "prefs", Integer.class)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.getAttribute(c, "prefs", List.class)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Metrics {
        @Test
        void snapshotCountsEverything() {
            CreatedSession a = m.create("alice", ClientInfo.unknown());
            m.create("alice", 2, ClientInfo.unknown());
            m.create("carol", ClientInfo.unknown());
            m.switchPlatform(a.context().key(), 2);
            f.clock.advance(Duration.ofMinutes(10));
            m.invalidate(a.context().key(), InvalidationReason.LOGOUT);
            SessionMetrics s = m.metrics();
            assertThat(s.activeSessions()).isEqualTo(2);
            assertThat(s.sessionsByPlatformType()).containsEntry("pixelfed", 1L).containsEntry("", 1L);
            assertThat(s.created()).isEqualTo(3);
            assertThat(s.platformSwitches()).isEqualTo(1);
            assertThat(s.invalidatedByReason()).containsEntry(InvalidationReason.LOGOUT, 1L);
            assertThat(s.averageSessionDuration()).isEqualTo(Duration.ofMinutes(10));
            assertThat(s.storeErrors()).isZero();
        }
    }

    @Test
    void listenerFailureDoesNotFailTheOperation() {
        TestFixture g = new TestFixture();
        SessionManager withBadListener = SessionManager.builder(g.memoryStore)
                .config(SessionConfig.builder().clock(g.clock).build())
                .userDirectory(g.users).platformDirectory(g.platforms)
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                }).build();
        assertThat(withBadListener.create("alice", ClientInfo.unknown()).context()).isNotNull();
    }
}
