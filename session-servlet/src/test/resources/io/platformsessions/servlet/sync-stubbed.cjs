// Runs sync.js (fetched from the test server) in one simulated tab whose fetch is a script of
// canned answers, to check how the script handles each error code it can meet without a server
// that would have to produce them. Prints one JSON line with what happened.
// Usage: node sync-stubbed.cjs <baseUrl>
'use strict';
const vm = require('vm');

const [base] = process.argv.slice(2);
const deadline = setTimeout(() => { console.log(JSON.stringify({ error: 'timeout' })); process.exit(2); }, 20000);

const STATE = (platform) => ({
  userId: 'alice', username: 'Alice', platform: { id: platform, name: 'p' + platform, type: 'mastodon', instanceUrl: 'https://x' },
  createdAt: '2026-01-05T10:00:00Z', lastActivityAt: '2026-01-05T10:00:00Z', expiresAt: '2026-01-05T10:30:00Z',
  absoluteExpiresAt: '2026-01-05T22:00:00Z', version: platform, elevated: false, sessionId: 's1', csrfToken: 't' + platform,
});
const answer = (status, body, headers) => ({ status, body, headers: headers || {} });
const error = (status, code, headers) => answer(status, { error: code, message: code.toLowerCase() }, headers);

// canned answers per "METHOD path", consumed in order; the last one repeats
const queues = {};
const calls = [];
function script(key, ...answers) { queues[key] = answers; }
function fakeFetch(url, init) {
  const method = (init && init.method) || 'GET';
  const path = new URL(url, base).pathname.replace(/^.*\/session/, '');
  const key = method + ' ' + path;
  calls.push({ key, token: init && init.headers ? init.headers['X-CSRF-Token'] || null : null });
  const q = queues[key] || [error(404, 'NOT_SCRIPTED')];
  const a = q.length > 1 ? q.shift() : q[0];
  const text = a.body === undefined ? '' : JSON.stringify(a.body);
  return Promise.resolve({
    status: a.status, ok: a.status >= 200 && a.status < 300,
    headers: { get: (n) => { const k = Object.keys(a.headers).find((h) => h.toLowerCase() === n.toLowerCase()); return k ? String(a.headers[k]) : null; } },
    text: () => Promise.resolve(text),
  });
}

function tab(src) {
  const events = [];
  const document = new EventTarget();
  document.visibilityState = 'visible';
  document.currentScript = { src: base + 'session/sync.js', getAttribute: (n) => (n === 'data-login-url' ? '/login-page' : null) };
  document.querySelector = () => null;
  const location = { href: base + 'page', pathname: '/page', assigned: null, assign(url) { this.assigned = url; } };
  const window = { location, addEventListener: () => {} };
  const context = vm.createContext({
    window, document, location, fetch: fakeFetch, URL, CustomEvent, Event, JSON, Promise, Date, Math, Object, Number,
    setTimeout, clearTimeout, console, BroadcastChannel: undefined,
  });
  for (const type of ['ps:state', 'ps:platform-switched', 'ps:expired']) {
    document.addEventListener(type, (e) => events.push(type + (e.detail && e.detail.reason ? ':' + e.detail.reason : '')));
  }
  vm.runInContext(src, context);
  return { events, location, api: window.PlatformSessions };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function settle(p) {
  try {
    const v = await p;
    return { ok: true, value: v };
  } catch (e) {
    const r = { ok: false, code: e.code, status: e.status };
    if (e.retryAfter !== null && e.retryAfter !== undefined) r.retryAfter = e.retryAfter;
    return r;
  }
}

(async () => {
  const result = {};
  const src = await (await fetch(base + 'session/sync.js')).text();
  script('GET /state', answer(200, STATE(1)));
  const t = tab(src);
  await sleep(100);
  result.initial = t.api.current() && t.api.current().platform.id;

  // 409 CONCURRENT_UPDATE is sent again once and then succeeds
  script('POST /platform', error(409, 'CONCURRENT_UPDATE'), answer(200, STATE(2)));
  let before = calls.length;
  const retried = await settle(t.api.switchPlatform(2));
  result.concurrentRetried = retried.ok ? retried.value.platform.id : retried;
  result.concurrentPosts = calls.slice(before).filter((c) => c.key === 'POST /platform').length;

  // ... but only once
  script('POST /platform', error(409, 'CONCURRENT_UPDATE'));
  before = calls.length;
  result.concurrentTwice = await settle(t.api.switchPlatform(1));
  result.concurrentTwicePosts = calls.slice(before).filter((c) => c.key === 'POST /platform').length;

  // 429 and 503 reject with the code and Retry-After, and never end the session in the tab
  script('POST /platform', error(429, 'TOO_MANY_REQUESTS', { 'Retry-After': 300 }));
  result.throttledSwitch = await settle(t.api.switchPlatform(1));
  script('POST /logout', error(503, 'STORE_UNAVAILABLE', { 'Retry-After': 5 }));
  result.logoutStoreDown = await settle(t.api.logout());
  script('POST /logout', error(429, 'TOO_MANY_REQUESTS', { 'Retry-After': 300 }));
  result.logoutThrottled = await settle(t.api.logout());
  script('GET /state', error(503, 'STORE_UNAVAILABLE', { 'Retry-After': 5 }));
  result.stateStoreDown = await settle(t.api.state());
  script('POST /logout-others', error(500, 'INTERNAL_ERROR'));
  result.internalError = await settle(t.api.logoutOthers());
  result.stillCurrent = t.api.current() && t.api.current().platform.id;
  result.expiredEvents = t.events.filter((e) => e.startsWith('ps:expired'));
  result.navigation = t.location.assigned;

  // METHOD_NOT_ALLOWED (a wrong prefix or method) is an ordinary failure too
  script('POST /platform', error(405, 'METHOD_NOT_ALLOWED'));
  result.methodNotAllowed = await settle(t.api.switchPlatform(1));

  // ELEVATION_REQUIRED (a 403 that is not CSRF_INVALID) is neither retried nor a logout
  script('POST /platform', error(403, 'ELEVATION_REQUIRED'));
  before = calls.length;
  result.elevationRequired = await settle(t.api.switchPlatform(1));
  result.elevationPosts = calls.slice(before).filter((c) => c.key === 'POST /platform').length;
  result.afterElevation = t.api.current() && t.api.current().platform.id;

  // the token the tab sent with the unsafe calls is the one from the last state
  result.lastToken = calls.filter((c) => c.key.startsWith('POST')).map((c) => c.token).pop();
  clearTimeout(deadline);
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
