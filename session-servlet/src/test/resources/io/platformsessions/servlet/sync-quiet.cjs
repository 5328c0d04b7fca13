// Runs sync.js (fetched from the test server) in one simulated tab with the session cookie, and makes
// it do what a tab does in the background: load, become visible again, come back from the
// back/forward cache, check(), platforms({activity: false}). With "active" it then calls state() and
// platforms() once, which count as activity. Prints one JSON line with the URLs the script fetched.
// Usage: node sync-quiet.cjs <baseUrl> <cookieHeader> <quiet|active>
'use strict';
const vm = require('vm');

const [base, cookie, mode] = process.argv.slice(2);
const deadline = setTimeout(() => { console.log(JSON.stringify({ error: 'timeout' })); process.exit(2); }, 20000);
const fetched = [];

(async () => {
  const src = await (await fetch(base + 'session/sync.js')).text();
  const states = [];
  const document = new EventTarget();
  document.visibilityState = 'visible';
  document.currentScript = { src: base + 'session/sync.js', getAttribute: (n) => (n === 'data-login-url' ? '/login-page' : null) };
  document.querySelector = () => null;
  const listeners = {};
  const window = {
    location: { href: base + 'page', pathname: '/page', assigned: null, assign(url) { this.assigned = url; } },
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); },
  };
  const tabFetch = (url, init) => {
    const u = new URL(url, base);
    fetched.push(u.pathname + u.search);
    const options = Object.assign({}, init || {});
    options.headers = Object.assign({}, options.headers, { Cookie: cookie });
    return fetch(u, options);
  };
  const context = vm.createContext({
    window, document, location: window.location, fetch: tabFetch, URL, CustomEvent, Event, JSON, Promise, Date, Math,
    Object, Number, setTimeout, clearTimeout, console, BroadcastChannel: undefined,
  });
  document.addEventListener('ps:state', (e) => states.push(e.detail.lastActivityAt));
  vm.runInContext(src, context);
  const api = window.PlatformSessions;
  const until = async (check) => { for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25)); };

  await until(() => states.length >= 1);
  document.dispatchEvent(new Event('visibilitychange'));
  await until(() => states.length >= 2);
  (listeners.pageshow || []).forEach((fn) => fn({ persisted: true }));
  await until(() => states.length >= 3);
  await api.check();
  const list = await api.platforms({ activity: false });
  const result = { states: states.length, platforms: list.length, location: window.location.assigned };
  if (mode === 'active') {
    await api.state();
    await api.platforms();
  }
  result.fetched = fetched.filter((f) => !f.endsWith('/sync.js'));
  clearTimeout(deadline);
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
