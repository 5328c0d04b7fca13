/*
 * Platform Sessions cross-tab sync script. Plain JavaScript, no build step, no dependencies.
 *
 * Include it on every page of the application:
 *   <meta name="csrf-token" content="...">   (optional; otherwise the token is fetched from /session/state)
 *   <script src="/session/sync.js" data-login-url="/login"></script>
 *
 * It exposes window.PlatformSessions = { switchPlatform(id), platforms(options), logout(), logoutOthers(),
 * state(), check(), current(), csrfToken() } and fires DOM events on document:
 *   ps:state              detail = the session state (every time a state is learned)
 *   ps:platform-switched  detail = the new state (in this tab and in every other tab)
 *   ps:expired            detail = { reason } (logout or expiry, here or in another tab)
 * Tabs talk over BroadcastChannel("platform-sessions"), with a localStorage "storage" event
 * fallback. A tab that becomes visible again re-checks /session/state?activity=false: background
 * checks never count as activity, so they cannot keep an idle session alive. On logout or expiry every
 * tab that had a session goes to data-login-url (a page without a session is never redirected).
 */
(function () {
  'use strict';
  if (window.PlatformSessions) {
    return;
  }

  var script = document.currentScript;
  var scriptUrl = script && script.src ? new URL(script.src, window.location.href) : null;
  // the endpoints live next to the script: <prefix>/sync.js -> <prefix>
  var base = scriptUrl ? scriptUrl.pathname.replace(/\/sync\.js$/, '') : '/session';
  var loginUrl = (script && script.getAttribute('data-login-url')) || '/login';
  var CHANNEL = 'platform-sessions';
  var STORAGE_KEY = 'platform-sessions:message';
  var tabId = Math.random().toString(36).slice(2) + Date.now().toString(36);

  var current = null;      // last known state (without csrfToken), or null
  var csrf = readMetaToken();
  var ended = false;       // this tab has been told the session ended

  function readMetaToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta && meta.getAttribute('content') ? meta.getAttribute('content') : null;
  }

  function writeMetaToken(token) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      meta.setAttribute('content', token);
    }
  }

  function fire(name, detail) {
    var event;
    try {
      event = new CustomEvent(name, { detail: detail });
    } catch (e) {
      event = document.createEvent('CustomEvent');
      event.initCustomEvent(name, false, false, detail);
    }
    document.dispatchEvent(event);
  }

  function onLoginPage() {
    try {
      return new URL(loginUrl, window.location.href).pathname === window.location.pathname;
    } catch (e) {
      return false;
    }
  }

  // ------------------------------------------------------------ messages between tabs

  var channel = null;
  if (typeof BroadcastChannel === 'function') {
    try {
      channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = function (e) { receive(e.data); };
    } catch (e) {
      channel = null;
    }
  }
  if (!channel) {
    window.addEventListener('storage', function (e) {
      if (e.key !== STORAGE_KEY || !e.newValue) {
        return;
      }
      try {
        receive(JSON.parse(e.newValue));
      } catch (ignored) {
        // not ours
      }
    });
  }

  function broadcast(message) {
    message.from = tabId;
    message.at = Date.now();
    if (channel) {
      channel.postMessage(message);
      return;
    }
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(message));
      window.localStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      // storage disabled: other tabs catch up on their next visibility change
    }
  }

  function receive(message) {
    if (!message || message.from === tabId) {
      return;
    }
    if (message.type === 'state' && message.state) {
      apply(message.state, false);
    } else if (message.type === 'ended') {
      end(message.reason || 'logout', false);
    }
  }

  // ------------------------------------------------------------ state

  function publicState(state) {
    var copy = {};
    for (var k in state) {
      if (Object.prototype.hasOwnProperty.call(state, k) && k !== 'csrfToken') {
        copy[k] = state[k];
      }
    }
    return copy;
  }

  function platformId(state) {
    return state && state.platform ? state.platform.id : null;
  }

  function apply(state, fromThisTab) {
    var previous = current;
    var next = publicState(state);
    var otherSession = previous && previous.sessionId && next.sessionId && previous.sessionId !== next.sessionId;
    if (state.csrfToken) {
      // a token that came with the state belongs to that state's session: keep it
      csrf = state.csrfToken;
      writeMetaToken(csrf);
    } else if (otherSession) {
      // a different session (logged in again in another tab) and no token with it: ours is stale
      csrf = null;
    }
    if (previous && fromThisTab === false && previous.version > next.version
        && previous.sessionId === next.sessionId) {
      return; // an older message than what we know
    }
    current = next;
    ended = false;
    fire('ps:state', next);
    if (previous && platformId(previous) !== platformId(next)) {
      fire('ps:platform-switched', next);
    }
  }

  function end(reason, tellOthers) {
    if (ended) {
      return;
    }
    ended = true;
    var had = current !== null;
    current = null;
    csrf = null;
    fire('ps:expired', { reason: reason });
    if (tellOthers) {
      broadcast({ type: 'ended', reason: reason });
    }
    // only a tab that had a session navigates; a page without one (the login page, a public page)
    // is never redirected, whoever ended the session
    if (had && !onLoginPage()) {
      window.location.assign(loginUrl);
    }
  }

  function request(method, path, body) {
    var headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    var init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: headers };
    if (method !== 'GET') {
      if (csrf) {
        headers['X-CSRF-Token'] = csrf;
      }
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    return fetch(base + path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch (e) {
          data = null;
        }
        var retryAfter = Number(response.headers.get('Retry-After'));
        return { status: response.status, ok: response.ok, data: data,
          retryAfter: retryAfter > 0 ? retryAfter : null };
      });
    });
  }

  function errorCode(result) {
    return result.data && result.data.error ? result.data.error : null;
  }

  // A rejected call: status, code (e.g. PLATFORM_NOT_FOUND, ELEVATION_REQUIRED) and, for
  // TOO_MANY_REQUESTS and STORE_UNAVAILABLE, retryAfter in seconds. None of these ends the session in
  // the tab; ELEVATION_REQUIRED asks the page to have the user re-authenticate, then retry.
  function failure(result) {
    var err = new Error(result.data && result.data.message ? result.data.message : 'HTTP ' + result.status);
    err.status = result.status;
    err.code = errorCode(result);
    err.retryAfter = result.retryAfter;
    return err;
  }

  // A 401 on a read: the session is gone (here, in another tab, or on the server); tell every tab.
  function sessionGone(result) {
    if (current !== null) {
      end(errorCode(result) === 'SESSION_EXPIRED' ? 'expired' : 'logout', true);
    }
  }

  // Reads the state; quiet: as a background check (activity=false), which the server does not count
  // as activity, so it cannot stretch the idle timeout.
  function refresh(quiet) {
    return request('GET', quiet ? '/state?activity=false' : '/state').then(function (result) {
      if (result.status === 401) {
        sessionGone(result);
        return null;
      }
      if (!result.ok) {
        throw failure(result);
      }
      apply(result.data, true);
      return current;
    });
  }

  function ensureToken() {
    if (csrf) {
      return Promise.resolve(csrf);
    }
    return refresh(true).then(function () {
      if (!csrf) {
        throw new Error('no session');
      }
      return csrf;
    });
  }

  // An unsafe call with the CSRF token. A 403 CSRF_INVALID means our cached token is stale (the
  // session was rotated or replaced in another tab): forget it, fetch a fresh one, retry once. A
  // 409 CONCURRENT_UPDATE means another writer kept winning on the server: send it again, once.
  function unsafe(path, body) {
    return ensureToken().then(function () {
      return request('POST', path, body);
    }).then(function (result) {
      if (result.status === 403 && errorCode(result) === 'CSRF_INVALID') {
        csrf = null;
        return ensureToken().then(function () {
          return request('POST', path, body);
        });
      }
      if (result.status === 409 && errorCode(result) === 'CONCURRENT_UPDATE') {
        return request('POST', path, body);
      }
      return result;
    });
  }

  function switchPlatform(id) {
    return unsafe('/platform', { platformId: Number(id) }).then(function (result) {
      if (result.status === 401) {
        end('expired', true);
        throw failure(result);
      }
      if (!result.ok) {
        throw failure(result);
      }
      apply(result.data, true);
      broadcast({ type: 'state', state: publicState(result.data) });
      return current;
    });
  }

  // The user's platform connections for a switcher: [{id, name, type, instanceUrl, active, default,
  // current}]. Counts as activity like state(), unless options.activity === false (a background
  // refresh of the list, for example when the tab becomes visible again).
  function platforms(options) {
    var quiet = options && options.activity === false;
    return request('GET', quiet ? '/platforms?activity=false' : '/platforms').then(function (result) {
      if (result.status === 401) {
        sessionGone(result);
        throw failure(result);
      }
      if (!result.ok || !result.data || !result.data.platforms) {
        throw failure(result);
      }
      return result.data.platforms;
    });
  }

  function logout() {
    return unsafe('/logout').then(function (result) {
      if (!result.ok && result.status !== 401) {
        throw failure(result);
      }
      if (result.data && result.data.loginUrl) {
        loginUrl = result.data.loginUrl;
      }
      current = current || {};
      end('logout', true);
      return true;
    });
  }

  function logoutOthers() {
    return unsafe('/logout-others').then(function (result) {
      if (result.status === 401) {
        end('expired', true);
        throw failure(result);
      }
      if (!result.ok) {
        throw failure(result);
      }
      return result.data;
    });
  }

  // No timer polls /session/state. Expiry is noticed when a hidden tab becomes visible again, when a
  // page comes back from the back/forward cache, or when a call answers 401, and then told to every
  // tab. Those checks are background checks (activity=false): the user looking at a tab is not
  // activity on the server, so an unattended tab still reaches the idle timeout.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      refresh(true).catch(function () { /* store unavailable: try again on the next change */ });
    }
  });
  window.addEventListener('pageshow', function (e) {
    if (e && e.persisted) {
      refresh(true).catch(function () { /* as above */ });
    }
  });

  window.PlatformSessions = {
    switchPlatform: switchPlatform,
    platforms: platforms,
    logout: logout,
    logoutOthers: logoutOthers,
    state: function () { return refresh(false); },
    check: function () { return refresh(true); },
    current: function () { return current; },
    csrfToken: function () { return csrf; }
  };

  // learn the initial state (no redirect if this page has no session: it may be the login page); the
  // page load itself was the activity
  refresh(true).catch(function () { /* ignore: retried on visibility change */ });
}());
