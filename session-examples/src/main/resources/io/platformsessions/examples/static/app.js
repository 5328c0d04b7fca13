/*
 * Platform Sessions demo page script. Plain JavaScript, no build step, no dependencies.
 * It uses the library's /session/sync.js (window.PlatformSessions and its ps:* DOM events)
 * for platform switching, the switcher's list of connections, logout and cross-tab sync, and makes
 * the composer's character limit follow the platform type.
 *
 * There is deliberately no timer here. The page talks to the server when the user acts, and in the
 * background when it loads, when the tab becomes visible again or when it comes back from the
 * back/forward cache (sync.js re-checks the session then, so a session ended elsewhere is noticed).
 * Every background read says activity=false: the server then does not count it as activity, so an
 * unattended tab still reaches the idle timeout. Only what the user does keeps the session alive.
 */
(function () {
  'use strict';

  var body = document.body;
  var limits = {};
  try { limits = JSON.parse(body.getAttribute('data-char-limits') || '{}'); } catch (e) { limits = {}; }
  var DEFAULT_LIMIT = limits['default'] || 500;

  function $(id) { return document.getElementById(id); }
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }
  function api() { return window.PlatformSessions; }
  function limitFor(type) { return limits[type] || DEFAULT_LIMIT; }
  function label(type) { return type ? type.charAt(0).toUpperCase() + type.slice(1) : 'None'; }

  /* The state object may be the client view itself or wrap it; accept both. */
  function unwrap(state) {
    if (!state) { return null; }
    if (state.detail) { state = state.detail; }
    if (state.state && typeof state.state === 'object') { return state.state; }
    if (state.session && typeof state.session === 'object') { return state.session; }
    if (state.context && typeof state.context === 'object') { return state.context; }
    return state;
  }

  function showPlatform(state) {
    var s = unwrap(state);
    if (!s || !('platform' in s)) { return; }
    var p = s.platform;
    var type = p ? p.type : '';
    body.setAttribute('data-platform-type', type);
    body.setAttribute('data-platform-id', p ? String(p.id) : '');
    $('platform-name').textContent = p ? p.name : 'No platform selected';
    $('platform-icon').textContent = p ? p.name.charAt(0).toUpperCase() : '?';
    var badge = $('platform-type');
    badge.textContent = label(type);
    badge.setAttribute('data-type', type);
    $('platform-instance').textContent = p ? p.instanceUrl : '';
    $('post-target').textContent = p ? p.name : '…';
    var options = document.querySelectorAll('.platform-option');
    for (var i = 0; i < options.length; i++) {
      var active = p && String(p.id) === options[i].getAttribute('data-platform-id');
      options[i].setAttribute('aria-pressed', active ? 'true' : 'false');
    }
    var limit = limitFor(type);
    var composer = $('composer');
    composer.setAttribute('maxlength', String(limit));
    $('char-limit').textContent = String(limit);
    updateCounter();
    if (s.csrfToken) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta) { meta.setAttribute('content', s.csrfToken); }
    }
  }

  function updateCounter() {
    var composer = $('composer');
    var used = Array.from(composer.value).length;
    var limit = Number(composer.getAttribute('maxlength'));
    $('char-count').textContent = String(used);
    $('char-count').parentNode.classList.toggle('over', used > limit);
  }

  function setStatus(id, text, ok) {
    var el = $(id);
    el.textContent = text;
    el.className = 'status ' + (ok ? 'ok' : 'err');
  }

  function goToLogin() {
    window.location.replace('/login?ended=1');
  }

  /* ---- platform switcher: the user's connections from GET /session/platforms ---- */
  function renderPlatforms(list) {
    var ul = $('platform-list');
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    var current = document.body.getAttribute('data-platform-id');
    list.forEach(function (p) {
      var li = document.createElement('li');
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'platform-option';
      btn.setAttribute('data-platform-id', String(p.id));
      btn.setAttribute('data-platform-type', p.type);
      btn.setAttribute('aria-pressed', String(p.id) === current ? 'true' : 'false');
      if (!p.active) {
        btn.disabled = true;
        btn.title = 'This connection is inactive';
      }
      var name = document.createElement('span');
      name.className = 'opt-name';
      name.textContent = p.name;
      var type = document.createElement('span');
      type.className = 'opt-type';
      type.textContent = label(p.type) + (p.active ? '' : ' · inactive') + (p['default'] ? ' · default' : '');
      btn.appendChild(name);
      btn.appendChild(type);
      li.appendChild(btn);
      ul.appendChild(li);
    });
    if (list.length === 0) {
      var none = document.createElement('li');
      none.className = 'muted';
      none.textContent = 'No platform connections.';
      ul.appendChild(none);
    }
  }

  /* a background read: it does not count as activity */
  function refreshPlatforms() {
    if (!api() || !api().platforms) { return Promise.resolve(); }
    return Promise.resolve(api().platforms({ activity: false })).then(renderPlatforms)
      .catch(function () { /* keep the list as it is; a 401 already sent sync.js to the login page */ });
  }

  document.addEventListener('click', function (e) {
    var btn = e.target.closest ? e.target.closest('.platform-option') : null;
    if (!btn || btn.disabled) { return; }
    var id = Number(btn.getAttribute('data-platform-id'));
    if (!api()) { return; }
    btn.disabled = true;
    Promise.resolve(api().switchPlatform(id)).then(function (state) {
      showPlatform(state);
      refreshDevices();
    }).catch(function (err) {
      setStatus('composer-status', 'Could not switch platform: ' + ((err && err.message) || err), false);
    }).then(function () { btn.disabled = false; });
  });

  /* Events from sync.js: another tab switched, or a state re-check came back. */
  document.addEventListener('ps:platform-switched', function (e) { showPlatform(e.detail); });
  document.addEventListener('ps:state', function (e) { showPlatform(e.detail); });
  document.addEventListener('ps:expired', function () { goToLogin(); });

  /* ---- composer ---- */
  $('composer').addEventListener('input', updateCounter);
  $('composer-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = $('composer').value;
    fetch('/api/posts', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify({ text: text })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; });
    }).then(function (res) {
      if (res.status === 401) { goToLogin(); return; }
      if (res.status === 200) {
        setStatus('composer-status', 'Posted ' + res.json.length + ' characters to ' + res.json.platform
          + ' (demo: nothing was sent).', true);
        $('composer').value = '';
        updateCounter();
      } else {
        setStatus('composer-status', res.json.message || ('Error ' + res.status), false);
      }
    }).catch(function () { setStatus('composer-status', 'Network error, try again.', false); });
  });

  /* ---- devices ---- */
  function text(v) { return v == null ? '' : String(v); }
  function ago(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return text(iso); }
    var s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 60) { return 'just now'; }
    if (s < 3600) { return Math.round(s / 60) + ' min ago'; }
    return Math.round(s / 3600) + ' h ago';
  }
  function cell(row, value) { var td = document.createElement('td'); td.textContent = value; row.appendChild(td); return td; }

  function renderDevices(list) {
    var tbody = $('devices');
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    list.forEach(function (d) {
      var tr = document.createElement('tr');
      var current = !!(d.current || d.currentSession || d.thisDevice);
      tr.className = 'device' + (current ? ' current' : '');
      cell(tr, d.device || 'Unknown device');
      cell(tr, d.ipNetwork || '—');
      var p = d.platform;
      cell(tr, p ? (typeof p === 'string' ? p : p.name) : '—');
      cell(tr, ago(d.lastActivityAt));
      var last = cell(tr, '');
      if (current) {
        var tag = document.createElement('span');
        tag.className = 'tag-current';
        tag.textContent = 'This device';
        last.appendChild(tag);
      }
      tbody.appendChild(tr);
    });
  }

  /* a background read (activity=false): refreshing the list is not the user doing anything */
  function refreshDevices() {
    return fetch('/session/devices?activity=false', { credentials: 'same-origin', cache: 'no-store',
      headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 401) { goToLogin(); return null; }
        return r.ok ? r.json() : null;
      }).then(function (j) {
        if (!j) { return; }
        var list = Array.isArray(j) ? j : (j.devices || j.sessions || []);
        renderDevices(list);
      }).catch(function () { /* keep the server-rendered list */ });
  }

  $('logout-others').addEventListener('click', function () {
    var btn = this;
    btn.disabled = true;
    var done = api() && api().logoutOthers ? Promise.resolve(api().logoutOthers()) : fetch('/session/logout-others', {
      method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() }
    }).then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); });
    done.then(function (res) {
      var n = res && (res.invalidated != null ? res.invalidated : res.count);
      setStatus('devices-status', n != null ? ('Logged out ' + n + ' other session' + (n === 1 ? '' : 's') + '.')
        : 'Logged out your other devices.', true);
      return refreshDevices();
    }).catch(function (err) {
      setStatus('devices-status', 'Could not log out other devices: ' + ((err && err.message) || err), false);
    }).then(function () { btn.disabled = false; });
  });

  /* ---- logout: through sync.js so the other tabs follow at once; the form is the no-JS fallback ----
   * Only a confirmed logout leaves the page. A refused or failed one (429, 503, network error) says
   * so: the session is still alive on the server, and pretending otherwise on a shared computer
   * would leave it open for the next person. */
  $('logout-form').addEventListener('submit', function (e) {
    if (!api() || !api().logout) { return; }
    e.preventDefault();
    var btn = $('logout');
    btn.disabled = true;
    setStatus('logout-status', '', true);
    Promise.resolve(api().logout()).then(function () { goToLogin(); }, function (err) {
      setStatus('logout-status', (err && err.status)
        ? 'Logout failed (HTTP ' + err.status + '): you are still signed in. Try again.'
        : 'Logout could not be confirmed (network error): you may still be signed in. Try again.', false);
      btn.disabled = false;
    });
  });

  /* The lists are re-read when the user comes back to the tab (a connection may have been
   * deactivated meanwhile), never on a timer, and never as activity. */
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      refreshDevices();
      refreshPlatforms();
    }
  });

  updateCounter();
  refreshPlatforms();
}());
