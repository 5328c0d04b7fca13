// The dashboard with sync.js (served by the Platform Sessions filter): switch platform and log out other
// devices without a reload; every other tab of this browser follows through the ps:* events.
(function () {
  'use strict';
  const status = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };

  document.addEventListener('click', (e) => {
    const button = e.target.closest('[data-platform-id]');
    if (!button || !window.PlatformSessions) return;
    e.preventDefault();
    window.PlatformSessions.switchPlatform(Number(button.dataset.platformId))
      .then(() => status('platform-status', ''))
      .catch((err) => status('platform-status', 'Not switched: ' + (err.code || err.message)));
  });

  document.addEventListener('ps:platform-switched', (e) => {
    const platform = e.detail.platform;
    document.getElementById('platform-name').textContent = platform ? platform.name : 'none selected';
    document.querySelectorAll('[data-platform-id]').forEach((b) => {
      b.classList.toggle('current', platform !== null && Number(b.dataset.platformId) === platform.id);
    });
  });

  const others = document.getElementById('logout-others-form');
  if (others) {
    others.addEventListener('submit', (e) => {
      if (!window.PlatformSessions) return;
      e.preventDefault();
      window.PlatformSessions.logoutOthers()
        .then((r) => { status('devices-status', r.invalidated + ' other session(s) ended'); setTimeout(() => location.reload(), 800); })
        .catch((err) => status('devices-status', 'Failed: ' + (err.code || err.message)));
    });
  }
}());
