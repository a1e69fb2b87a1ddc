/* global document, setInterval */
// Progressive enhancement only: every page works without it. On a day that is today, a line marks the present
// moment across the programme grid, moved every minute.
(function () {
  'use strict';
  var grid = document.querySelector('.grid[data-start]');
  if (!grid) return;
  var start = Number(grid.getAttribute('data-start'));
  var rows = Number(grid.getAttribute('data-rows'));
  var slot = Number(grid.getAttribute('data-slot-minutes')) * 60000;
  var line = document.createElement('div');
  line.className = 'now-line';
  line.setAttribute('aria-hidden', 'true');
  function place() {
    var row = Math.floor((Date.now() - start) / slot);
    if (row < 0 || row >= rows) {
      if (line.parentNode) line.parentNode.removeChild(line);
      return;
    }
    line.style.gridRow = String(row + 2);
    if (!line.parentNode) grid.appendChild(line);
  }
  place();
  setInterval(place, 60000);
})();
