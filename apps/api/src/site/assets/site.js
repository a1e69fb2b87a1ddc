/* global document, setInterval, fetch, window */
// Progressive enhancement only: every page works without it.
(function () {
  'use strict';

  // On a day that is today, a line marks the present moment across the programme grid, moved every minute.
  var grid = document.querySelector('.grid[data-start]');
  if (grid) {
    var start = Number(grid.getAttribute('data-start'));
    var rows = Number(grid.getAttribute('data-rows'));
    var slot = Number(grid.getAttribute('data-slot-minutes')) * 60000;
    var line = document.createElement('div');
    line.className = 'now-line';
    line.setAttribute('aria-hidden', 'true');
    var place = function () {
      var row = Math.floor((Date.now() - start) / slot);
      if (row < 0 || row >= rows) {
        if (line.parentNode) line.parentNode.removeChild(line);
        return;
      }
      line.style.gridRow = String(row + 2);
      if (!line.parentNode) grid.appendChild(line);
    };
    place();
    setInterval(place, 60000);
  }

  // On an item page, the seats left are refreshed every 30 s and whenever the page is shown again. The request
  // revalidates by ETag, so an unchanged count costs a 304.
  var seats = document.querySelector('[data-live-seats]');
  if (seats && window.fetch) {
    var url = seats.getAttribute('data-live-seats');
    var refresh = function () {
      if (document.visibilityState === 'hidden') return;
      fetch(url, { cache: 'no-cache', headers: { accept: 'application/json' } })
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (body) {
          if (body && body.seats && seats.textContent !== body.seats) seats.textContent = body.seats;
        })
        .catch(function () {
          // Offline or the server is away: the count on the page stays as it was.
        });
    };
    setInterval(refresh, 30000);
    document.addEventListener('visibilitychange', refresh);
  }
})();
