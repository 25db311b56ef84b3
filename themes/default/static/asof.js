// Live as-of: the site was built for one date, but is read later. When the
// reader's today differs from the build's as-of date, recompute "overdue"
// and the escalation rung of every constraint on the page from its due
// date, and say so. Without JavaScript the built figures stand.
(function () {
  "use strict";
  var body = document.body;
  var built = body.dataset.asOf;
  var ladder = (body.dataset.ladder || "").split(",").filter(Boolean).map(Number);
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var rows = document.querySelectorAll(".c-live[data-due]");
  if (!built || today === built || rows.length === 0) return;
  var day = function (s) { var p = s.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000; };
  var days = function (n) { return n === 1 ? "1 day" : n + " days"; };
  Array.prototype.forEach.call(rows, function (row) {
    var due = row.dataset.due;
    if (!due) return;
    var resolved = row.dataset.resolved;
    var open = !resolved || resolved > today;
    if (!open) return;
    var late = day(today) - day(due);
    var rung = -1;
    ladder.forEach(function (after, i) { if (late > 0 && late >= after) rung = i; });
    var targets = (row.dataset.targets || "").split("|");
    var status = row.querySelector(".js-status");
    if (status) {
      status.textContent = late > 0 ? "⚠ overdue by " + days(late) : late === 0 ? "due today" : "due in " + days(-late);
      status.classList.toggle("status-text-overdue", late > 0);
    }
    var cell = row.querySelector(".js-rung");
    if (cell) cell.textContent = rung >= 0 && targets[rung] ? targets[rung] : "—";
    row.classList.toggle("status-overdue", late > 0);
  });
  var note = document.createElement("p");
  note.className = "live-asof";
  note.setAttribute("role", "status");
  note.textContent = "Built on " + built + ", shown as of " + today + ": constraint status and escalation are recomputed for today; other figures are as built.";
  var main = document.getElementById("main");
  if (main) main.insertBefore(note, main.firstChild);
})();
