package io.platformsessions.benchmarks.http;

/**
 * What the load generator presents on every request: the loopback address it connects from and
 * the browser headers it sends. Sessions are created for exactly this client, so client binding
 * checks pass. Immutable.
 *
 * @param address remote address as the server sees it
 * @param userAgent {@code User-Agent} header
 * @param acceptLanguage {@code Accept-Language} header
 */
record Client(String address, String userAgent, String acceptLanguage) {
    /** A current desktop Firefox on loopback. */
    static final Client LOOPBACK_BROWSER = new Client("127.0.0.1",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "en-GB,en;q=0.9");
}
