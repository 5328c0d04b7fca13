package io.platformsessions.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code TRACE} with 405 before any filter or servlet sees it: the servlet default echoes
 * every request header in the body, the {@code Cookie} header (the HttpOnly session token) included.
 * Every other request goes on to the wrapped handler. Thread-safe (stateless).
 */
final class TraceRefusal extends Handler.Wrapper {
    private static final String ALLOW = "GET, HEAD, POST";
    private static final byte[] BODY = "405 Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII);

    TraceRefusal(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.TRACE.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
        response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=US-ASCII");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(BODY), callback);
        return true;
    }
}
