package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter registered for every dispatcher type: a forward, include, async or error dispatch of a
 * request it handled gets the same platform session (no second lookup), the context attribute and
 * the per-thread context (an error or async dispatch starts from the container's request, which the
 * filter wraps again); code before the filter reads the context on the container's request.
 */
class RedispatchTest {
    static TestServer server;
    static Browser alice;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startForEveryDispatch();
        alice = server.browser();
        alice.login("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aForwardKeepsTheSession() {
        assertReport(alice.get("/dispatch/forward"), 200, "FORWARD user=alice sameSession=true attribute=true named=true thread=alice status=null");
    }

    @Test
    void anIncludeKeepsTheSession() {
        assertReport(alice.get("/dispatch/include"), 200, "INCLUDE user=alice sameSession=true attribute=true named=true thread=alice status=null");
    }

    @Test
    void anAsyncDispatchKeepsTheSessionAndBindsItToItsThread() {
        assertReport(alice.get("/dispatch/async"), 200, "ASYNC user=alice sameSession=true attribute=true named=true thread=alice status=null");
        assertThat(DispatchServlet.OuterFilter.SEEN_AFTER_CHAIN).as("published before the dispatch")
                .containsEntry("/dispatch/async", true);
    }

    @Test
    void anAsyncThreadGivenTheContainersRequestFindsTheSession() {
        HttpResponse<String> r = alice.get("/dispatch/async-thread");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("user=alice");
    }

    @Test
    void anErrorPageAfterSendErrorKeepsTheSession() {
        assertReport(alice.get("/dispatch/send-error"), 404, "ERROR user=alice sameSession=true attribute=true named=true thread=alice status=404");
    }

    @Test
    void anErrorPageAfterAnExceptionKeepsTheSession() {
        assertReport(alice.get("/dispatch/throw"), 500, "ERROR user=alice sameSession=true attribute=true named=true thread=alice status=500");
    }

    @Test
    void anErrorPageWithoutASessionSeesNone() {
        assertReport(server.browser().get("/dispatch/send-error"), 404,
                "ERROR user=none sameSession=false attribute=false named=false thread=none status=404");
    }

    @Test
    void codeBeforeTheFilterReadsTheContextOnTheContainersRequestAfterTheChain() {
        HttpResponse<String> r = alice.get("/thread");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("alice true");
        assertThat(DispatchServlet.OuterFilter.SEEN_AFTER_CHAIN).as("an access log or observation convention before the filter")
                .containsEntry("/thread", true);
    }

    @Test
    void aLoginInTheRequestIsOnTheContainersRequest() {
        Browser b = server.browser();
        b.login("bob");
        assertThat(DispatchServlet.OuterFilter.SEEN_AFTER_CHAIN).containsEntry("/login", true);
        assertReport(b.get("/dispatch/forward"), 200, "FORWARD user=bob sameSession=true attribute=true named=true thread=bob status=null");
    }

    private static void assertReport(HttpResponse<String> r, int status, String report) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(report);
    }
}
