// Runs sync.js (fetched from the test server) in two or three simulated browser tabs inside Node
// (one vm context per tab: its own window, document, location; real fetch against the server with
// the session cookie added; a real BroadcastChannel, or a shared fake localStorage that fires
// "storage" events in the other tabs). Prints one JSON line with what each tab saw.
// Usage: node sync-harness.cjs <baseUrl> <cookieHeader> <broadcast|storage>
'use strict';
const vm = require('vm');

const [base, initialCookie, mode] = process.argv.slice(2);
// the browser's cookie jar, shared by the tabs (a re-login in one tab changes it for all)
const jar = { cookie: initialCookie };
const deadline = setTimeout(() => { console.log(JSON.stringify({ error: 'timeout' })); process.exit(2); }, 20000);

const windows = [];
const storage = (() => {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => {
      data.set(k, String(v));
      // like a browser: every OTHER window of the origin gets a storage event
      for (const w of windows) {
        if (w !== storage.writer) {
          w.fire('storage', { key: k, newValue: String(v) });
        }
      }
    },
    removeItem: (k) => { data.delete(k); },
    writer: null,
  };
})();

function tab(name, src, anonymous) {
  const events = [];
  const document = new EventTarget();
  document.visibilityState = 'visible';
  document.currentScript = {
    src: base + 'session/sync.js',
    getAttribute: (n) => (n === 'data-login-url' ? '/login-page' : null),
  };
  document.querySelector = () => null; // no <meta name="csrf-token">: the script fetches /session/state
  const location = {
    href: base + 'page', pathname: '/page', assigned: null,
    assign(url) { this.assigned = url; },
  };
  const listeners = {};
  const window = {
    location,
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); },
    fire: (type, event) => { (listeners[type] || []).forEach((fn) => fn(event)); },
  };
  const localStorageProxy = {
    setItem: (k, v) => { storage.writer = window; storage.setItem(k, v); storage.writer = null; },
    getItem: (k) => storage.getItem(k),
    removeItem: (k) => storage.removeItem(k),
  };
  window.localStorage = localStorageProxy;
  const tabFetch = (url, init) => {
    const options = Object.assign({}, init || {});
    options.headers = Object.assign({}, options.headers, anonymous ? {} : { Cookie: jar.cookie });
    return fetch(new URL(url, base), options);
  };
  const context = vm.createContext({
    window, document, location, fetch: tabFetch, URL, CustomEvent, Event, JSON, Promise, Date, Math, Object, Number,
    setTimeout, clearTimeout, console,
    BroadcastChannel: mode === 'broadcast' ? BroadcastChannel : undefined,
  });
  for (const type of ['ps:state', 'ps:platform-switched', 'ps:expired']) {
    document.addEventListener(type, (e) => events.push({ type, platform: e.detail && e.detail.platform ? e.detail.platform.id : null, reason: e.detail && e.detail.reason }));
  }
  vm.runInContext(src, context);
  windows.push(window);
  return { name, window, document, location, events, api: window.PlatformSessions };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(check, what) {
  for (let i = 0; i < 200; i++) { // at most 200 * 25 ms = 5 s
    if (check()) return;
    await sleep(25);
  }
  throw new Error('gave up waiting for ' + what);
}

(async () => {
  const result = { mode };
  const scriptResponse = await fetch(base + 'session/sync.js');
  const src = await scriptResponse.text();
  const a = tab('a', src);
  const b = tab('b', src);
  await until(() => a.events.some((e) => e.type === 'ps:state') && b.events.some((e) => e.type === 'ps:state'), 'initial state');
  result.initialPlatformA = a.api.current().platform.id;

  // switch in tab a: a gets the new state, b is updated without reload
  const switched = await a.api.switchPlatform(2);
  result.switchResult = switched.platform.id;
  await until(() => b.events.some((e) => e.type === 'ps:platform-switched'), 'tab b platform-switched');
  result.aSwitched = a.events.filter((e) => e.type === 'ps:platform-switched').map((e) => e.platform);
  result.bSwitched = b.events.filter((e) => e.type === 'ps:platform-switched').map((e) => e.platform);
  result.bCurrent = b.api.current().platform.id;

  // a switch the tabs did not see (another device); tab b becomes visible again and re-checks
  const stateResponse = await fetch(base + 'session/state', { headers: { Cookie: jar.cookie, Accept: 'application/json' } });
  const token = (await stateResponse.json()).csrfToken;
  const other = await fetch(base + 'session/platform', {
    method: 'POST', body: JSON.stringify({ platformId: 1 }),
    headers: { Cookie: jar.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': token },
  });
  result.otherSwitchStatus = other.status;
  const before = b.events.length;
  b.document.dispatchEvent(new Event('visibilitychange'));
  await until(() => b.events.slice(before).some((e) => e.type === 'ps:platform-switched'), 'visibility re-check');
  result.bAfterVisible = b.api.current().platform.id;

  // the user's platform connections for a switcher, the current one marked
  const list = await a.api.platforms();
  result.platforms = list.map((p) => p.id + (p.current ? '*' : '') + (p.active ? '' : '-') + (p.default ? 'd' : ''));

  // a wrong platform id rejects with the error code
  try {
    await a.api.switchPlatform(4);
    result.foreignSwitch = 'resolved';
  } catch (e) {
    result.foreignSwitch = e.code + ' ' + e.status;
  }

  // messages not in the script's own format are ignored (no event, no navigation)
  const quietBefore = a.events.length + b.events.length;
  if (mode === 'broadcast') {
    const foreign = new BroadcastChannel('platform-sessions');
    for (const m of ['garbage', null, 42, { type: 'weird' }, { type: 'state' }, { type: 'state', state: null }]) {
      foreign.postMessage(m);
    }
    foreign.close();
  } else {
    for (const w of windows) {
      w.fire('storage', { key: 'platform-sessions:message', newValue: 'not json {' });
      w.fire('storage', { key: 'platform-sessions:message', newValue: '{"type":"weird"}' });
      w.fire('storage', { key: 'other-key', newValue: '{"type":"ended"}' });
    }
  }
  await sleep(300);
  result.foreignMessageEvents = a.events.length + b.events.length - quietBefore;
  result.foreignMessageNavigation = a.location.assigned || b.location.assigned;

  // the session is replaced and rotated in another tab (re-login): new cookie, new CSRF token, so
  // tab a's cached token is stale; its next unsafe call gets 403 CSRF_INVALID, refreshes, retries
  const beforeRotate = await (await fetch(base + 'session/state', { headers: { Cookie: jar.cookie, Accept: 'application/json' } })).json();
  const rotated = await fetch(base + 'login-rotate?user=alice', {
    method: 'POST', redirect: 'manual', headers: { Cookie: jar.cookie, 'X-CSRF-Token': beforeRotate.csrfToken },
  });
  result.rotateStatus = rotated.status;
  for (const c of rotated.headers.getSetCookie()) {
    const m = /^__Host-psid=([^;]+)/.exec(c);
    if (m) jar.cookie = '__Host-psid=' + m[1];
  }
  result.cookieChanged = jar.cookie !== initialCookie;
  const staleToken = a.api.csrfToken();
  try {
    result.rotatedSwitch = (await a.api.switchPlatform(2)).platform.id;
  } catch (e) {
    result.rotatedSwitch = 'rejected ' + e.code + ' ' + e.status + ' ' + e.message;
  }
  result.aTokenRenewed = a.api.csrfToken() !== null && a.api.csrfToken() !== staleToken;
  try {
    result.rotatedLogoutOthers = (await a.api.logoutOthers()).invalidated;
  } catch (e) {
    result.rotatedLogoutOthers = 'rejected ' + e.code + ' ' + e.status;
  }

  // a public page without a session (tab c, no cookie): it must never be redirected
  const c = tab('c', src, true);
  result.cState = await c.api.state();

  // logout in tab b: b and a both go to the login page
  await b.api.logout();
  await until(() => a.location.assigned !== null, 'tab a sent to login');
  result.bLocation = b.location.assigned;
  result.aLocation = a.location.assigned;
  result.aExpired = a.events.filter((e) => e.type === 'ps:expired').map((e) => e.reason);
  result.bExpired = b.events.filter((e) => e.type === 'ps:expired').map((e) => e.reason);
  await until(() => c.events.some((e) => e.type === 'ps:expired'), 'tab c told of the logout');
  result.cLocation = c.location.assigned;
  const afterLogout = await fetch(base + 'session/state', { headers: { Cookie: jar.cookie, Accept: 'application/json' } });
  result.afterLogoutStatus = afterLogout.status;
  try {
    await c.api.platforms();
    result.platformsWithoutSession = 'resolved';
  } catch (e) {
    result.platformsWithoutSession = e.code + ' ' + e.status;
  }
  clearTimeout(deadline);
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
