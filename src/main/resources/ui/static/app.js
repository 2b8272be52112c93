// Alertdesk web UI: shows <time datetime> values in the viewer's time zone (UTC stays in the
// title, shown on hover) and keeps the parts of a page marked data-live current.
(function () {
  'use strict';
  var format = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short'
  });
  function localize(root) {
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d.getTime())) {
        t.textContent = format.format(d);
      }
    });
  }
  // Re-reads the page every N seconds and swaps in the elements marked data-live (matched by
  // id) whose server HTML changed; everything else, such as graph images, stays as it is.
  function refresh(seconds) {
    setInterval(function () {
      fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          document.querySelectorAll('[data-live][id]').forEach(function (el) {
            var next = fresh.getElementById(el.id);
            if (next && next.innerHTML !== el.getAttribute('data-server-html')) {
              el.innerHTML = next.innerHTML;
              el.setAttribute('data-server-html', next.innerHTML);
              localize(el);
            }
          });
          document.body.setAttribute('data-refreshed-at', new Date().toISOString());
        })
        .catch(function () { /* keep the page as it is; try again next time */ });
    }, seconds * 1000);
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-live][id]').forEach(function (el) {
      el.setAttribute('data-server-html', el.innerHTML);
    });
    localize(document);
    // Attachment colours come as data attributes: the Content-Security-Policy forbids inline
    // style attributes, while the CSSOM is allowed.
    document.querySelectorAll('[data-color]').forEach(function (el) {
      var color = el.getAttribute('data-color');
      if (/^#[0-9A-Fa-f]{6}$/.test(color)) {
        el.style.borderLeftColor = color;
      }
    });
    var marker = document.querySelector('[data-refresh-seconds]');
    if (marker) {
      refresh(parseInt(marker.getAttribute('data-refresh-seconds'), 10) || 5);
    }
  });
})();
