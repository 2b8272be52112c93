// Alertdesk web UI: shows <time datetime> values in the viewer's time zone (UTC stays in the
// title, shown on hover) and refreshes elements marked data-refresh from their URL.
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
  function refresh(el) {
    var seconds = parseInt(el.getAttribute('data-refresh-seconds'), 10) || 5;
    setInterval(function () {
      fetch(el.getAttribute('data-refresh'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            el.innerHTML = html;
            localize(el);
            el.setAttribute('data-refreshed-at', new Date().toISOString());
          }
        })
        .catch(function () { /* keep the last timeline; try again next time */ });
    }, seconds * 1000);
  }
  document.addEventListener('DOMContentLoaded', function () {
    localize(document);
    document.querySelectorAll('[data-refresh]').forEach(refresh);
  });
})();
