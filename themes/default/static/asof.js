// Every figure on a page is worked out for one date, the as-of date the
// site was built for (`data-as-of` on <body>), and the page is what was
// built: nothing is recomputed here. When the reader's day is another
// day, a note at the top of the page says so, in print too, so that
// nobody takes the figures for today's. A scheduled daily build keeps the
// as-of date, and with it escalation, moving.
(function () {
  "use strict";
  var built = document.body.dataset.asOf;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(built || "")) return;
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  if (today === built) return;
  var day = function (s) { var p = s.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000; };
  var apart = day(today) - day(built);
  var days = function (n) { return n === 1 ? "1 day" : n + " days"; };
  var note = document.createElement("p");
  note.className = "live-asof";
  note.setAttribute("role", "note");
  note.textContent = apart > 0
    ? "These figures are as of " + built + ", " + days(apart) + " before today (" + today + "): they may have moved since. Deadlines passed since then are not counted as overdue until the site is built again."
    : "These figures are as of " + built + ", " + days(-apart) + " after today (" + today + ").";
  var main = document.getElementById("main");
  if (main) main.insertBefore(note, main.firstChild);
})();
