// Starts the Pagefind search UI on /search/, with the query from `?q=`.
// The site may live under any path: its base is this page's path less
// "search/".
(function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  var base = window.location.pathname.replace(/search\/(index\.html)?$/, "");
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.dataset.bundle,
    baseUrl: base,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
