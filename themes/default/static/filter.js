// Filters the pilots table by stage and function. The page is complete
// without it: the form stays hidden and every row shows.
(function () {
  "use strict";
  var form = document.getElementById("pilot-filters");
  var table = document.getElementById("pilots-table");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var params = new URLSearchParams(window.location.search);
  ["stage", "function"].forEach(function (name) {
    var value = params.get(name);
    if (value !== null) form.elements[name].value = value;
  });
  function apply() {
    var stage = form.elements.stage.value;
    var fn = form.elements["function"].value;
    var shown = 0;
    rows.forEach(function (row) {
      var keep = (!stage || row.dataset.stage === stage) && (!fn || row.dataset["function"] === fn);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    form.elements.shown.value = "Showing " + shown + " of " + rows.length + " pilots";
    var query = new URLSearchParams();
    if (stage) query.set("stage", stage);
    if (fn) query.set("function", fn);
    var qs = query.toString();
    window.history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
  }
  form.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
