// Sorts and filters the lists of a page, driven by their markup alone:
// - a list is an element with `data-list` (a table: its body's rows; else
//   its children with `data-row`);
// - `form[data-filters]` holds a text box `q` (words anywhere in a row) and
//   selects, each matching the row attribute `data-NAME` of its name, as a
//   whole or as one of `|a|b|`; a select `sort` orders by `data-KEY` of a
//   row (else its text) as `KEY:asc` or `KEY:desc`;
// - a table header `th[data-sort="text|num"]` becomes a button that sorts
//   by that column (a cell's `data-v`, else its text), with `aria-sort`;
// - `[data-count-for=ID]` shows how many rows of list ID are shown;
// - a list in a `[data-elsewhere]` section (whose rows are all on other
//   pages) is shown while the whole list is sorted or filtered.
// The state is kept in the address (`?status=overdue&sort=due`), so that a
// link gives the same view and back and forward work. A list split into
// pages (its pager's `data-pages`, `data-page-current`, `data-page-first`
// and `data-page-url`, whose `{n}` stands for a page's number) is sorted
// and filtered whole: the other pages are fetched when the reader first
// sorts or filters. The page is
// complete without this script: the form stays hidden and every row shows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-filters]");
  var lists = Array.prototype.slice.call(document.querySelectorAll("[data-list]"));
  if (!lists.length) return;
  var SHOW_AT_MOST = 2000;
  var number = new Intl.NumberFormat("en");

  function rowsOf(list) {
    if (list.tBodies) return Array.prototype.slice.call(list.tBodies[0].rows);
    return Array.prototype.slice.call(list.querySelectorAll(":scope > [data-row]"));
  }
  function holder(list) { return list.tBodies ? list.tBodies[0] : list; }

  // Each list: its own rows (this page), and all rows once fetched.
  var state = lists.map(function (list) {
    var own = rowsOf(list);
    own.forEach(function (r, i) { r.dataset.at = i; });
    return { list: list, own: own, all: own, counts: document.querySelectorAll('[data-count-for="' + list.id + '"]') };
  });
  state.forEach(function (s) {
    Array.prototype.forEach.call(s.counts, function (c) { c.dataset.total = c.textContent; });
  });
  // The list's other pages and their numbers, made from the pager's count
  // and the pattern of their addresses (the pager links only a few).
  var pages = [];
  var numbers = [];
  var here = 1;
  var pager = document.querySelector("[data-page-url]");
  if (pager) {
    var count = +pager.getAttribute("data-pages");
    here = +pager.getAttribute("data-page-current");
    for (var n = 1; n <= count; n++) {
      if (n === here) continue;
      var rel = n === 1 ? pager.getAttribute("data-page-first") : pager.getAttribute("data-page-url").split("{n}").join(String(n));
      pages.push(new URL(rel, window.location.href).href);
      numbers.push(n);
    }
  }
  var whole = null; // a promise of every page's rows, once asked for

  function fetchAll() {
    if (whole) return whole;
    whole = Promise.all(pages.map(function (url) {
      return fetch(url).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        // Links are relative to the page they were made for: made whole.
        Array.prototype.forEach.call(doc.querySelectorAll("[data-list] a[href]"), function (a) {
          a.setAttribute("href", new URL(a.getAttribute("href"), url).href);
        });
        return doc;
      });
    })).then(function (docs) {
      // Rows in page order: the pages before this one, this one, after.
      var before = docs.filter(function (_, i) { return numbers[i] < here; });
      var after = docs.filter(function (_, i) { return numbers[i] > here; });
      state.forEach(function (s) {
        var take = function (doc) {
          var other = s.list.id && doc.getElementById(s.list.id);
          return other ? rowsOf(other).map(function (r) { return document.importNode(r, true); }) : [];
        };
        var all = [].concat.apply([], before.map(take)).concat(s.own).concat([].concat.apply([], after.map(take)));
        all.forEach(function (r, i) { r.dataset.at = i; });
        s.all = all;
      });
    });
    return whole;
  }
  // The view the address asks for.
  function wanted() {
    var params = new URLSearchParams(window.location.search);
    var want = { filters: {}, q: "", sort: "", dir: "asc" };
    params.forEach(function (v, k) {
      if (k === "q") want.q = v;
      else if (k === "sort") want.sort = v;
      else if (k === "dir") want.dir = v === "desc" ? "desc" : "asc";
      else if (v) want.filters[k] = v;
    });
    return want;
  }
  function address(want) {
    var params = new URLSearchParams();
    if (want.q) params.set("q", want.q);
    Object.keys(want.filters).forEach(function (k) { if (want.filters[k]) params.set(k, want.filters[k]); });
    if (want.sort) { params.set("sort", want.sort); if (want.dir === "desc") params.set("dir", "desc"); }
    var qs = params.toString();
    return window.location.pathname + (qs ? "?" + qs : "") + window.location.hash;
  }
  function active(want) { return !!(want.q || want.sort || Object.keys(want.filters).length); }

  function keep(row, want) {
    for (var k in want.filters) {
      var have = row.getAttribute("data-" + k);
      if (have === null) continue;
      var v = want.filters[k];
      if (have !== v && have.indexOf("|" + v + "|") < 0) return false;
    }
    if (want.q) {
      var text = row.textContent.toLowerCase();
      var words = want.q.toLowerCase().split(/\s+/);
      for (var i = 0; i < words.length; i++) if (words[i] && text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  // The sort key of a row for the list's column or attribute `key`.
  function sorter(list, want) {
    if (!want.sort) return null;
    var th = list.tHead && list.tHead.querySelector('th[data-key="' + want.sort + '"]');
    var num = th ? th.dataset.sort === "num" : false;
    var value = function (row) {
      var v;
      if (th) {
        var cell = row.cells[th.cellIndex];
        v = cell ? (cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim()) : "";
      } else {
        v = row.getAttribute("data-" + want.sort);
        if (v === null) v = row.textContent.trim();
      }
      return num ? parseFloat(v.replace(/[^\d.-]/g, "")) || 0 : v.toLowerCase();
    };
    var dir = want.dir === "desc" ? -1 : 1;
    return function (a, b) {
      var x = value(a), y = value(b);
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.dataset.at - b.dataset.at;
    };
  }

  function apply(want) {
    var on = active(want);
    var shownAll = 0, totalAll = 0;
    state.forEach(function (s) {
      var rows = on ? s.all : s.own;
      var kept = rows.filter(function (r) { return keep(r, want); });
      var by = sorter(s.list, want);
      if (by) kept.sort(by);
      var body = holder(s.list);
      var frag = document.createDocumentFragment();
      kept.slice(0, SHOW_AT_MOST).forEach(function (r) { r.hidden = false; frag.appendChild(r); });
      if (s.list.tBodies) { while (body.firstChild) body.removeChild(body.firstChild); }
      else rowsOf(s.list).forEach(function (r) { body.removeChild(r); });
      body.appendChild(frag);
      // A group with no rows on this page shows when the whole list does.
      var section = s.list.closest("[data-elsewhere]");
      if (section) section.hidden = !(on && kept.length > 0);
      shownAll += kept.length;
      totalAll += rows.length;
      Array.prototype.forEach.call(s.counts, function (c) {
        var total = parseInt(c.dataset.total.replace(/\D/g, ""), 10);
        c.textContent = on ? number.format(kept.length) + " of " + number.format(total) + " shown" : c.dataset.total;
      });
      if (s.list.tHead) {
        Array.prototype.forEach.call(s.list.tHead.querySelectorAll("th[data-sort]"), function (th) {
          var mine = (th.dataset.key || "") === want.sort && want.sort;
          if (mine) th.setAttribute("aria-sort", want.dir === "desc" ? "descending" : "ascending");
          else th.removeAttribute("aria-sort");
        });
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".list-pager"), function (p) { p.hidden = on && pages.length > 0; });
    if (form && form.elements.shown) {
      var note = on ? "Showing " + number.format(shownAll) + " of " + number.format(totalAll) + (pages.length ? " rows on all " + (pages.length + 1) + " pages" : " rows") : "";
      if (on && shownAll > SHOW_AT_MOST) note += " (the first " + number.format(SHOW_AT_MOST) + " of each list listed: narrow the filter)";
      form.elements.shown.value = note;
    }
  }

  function show(want) {
    if (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "shown") return;
        if (el.name === "q") el.value = want.q;
        else if (el.name === "sort") el.value = want.sort ? want.sort + ":" + want.dir : "";
        else if (el.tagName === "SELECT") el.value = want.filters[el.name] || "";
      });
    }
    if (active(want) && pages.length) {
      if (form) form.elements.shown.value = "Loading all " + (pages.length + 1) + " pages of the list…";
      return fetchAll().then(function () { apply(want); }, function () { apply(want); });
    }
    apply(want);
  }

  function fromForm() {
    var want = wanted();
    // Filters the form has no field for (`?sponsor=NAME`, from a link) stay.
    Object.keys(want.filters).forEach(function (k) { if (form.elements[k]) delete want.filters[k]; });
    want.q = "";
    if (form.elements.sort) { want.sort = ""; want.dir = "asc"; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "shown" || !el.value) return;
      if (el.name === "q") want.q = el.value.trim();
      else if (el.name === "sort") { var p = el.value.split(":"); want.sort = p[0]; want.dir = p[1] || "asc"; }
      else if (el.tagName === "SELECT") want.filters[el.name] = el.value;
    });
    return want;
  }
  function go(want, replace) {
    var url = address(want);
    if (replace) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
    show(want);
  }

  // Sortable headers: each a button.
  state.forEach(function (s) {
    if (!s.list.tHead) return;
    Array.prototype.forEach.call(s.list.tHead.querySelectorAll("th[data-sort]"), function (th) {
      if (!th.dataset.key) th.dataset.key = "col" + th.cellIndex;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort-button";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var want = wanted();
        want.dir = want.sort === th.dataset.key && want.dir === "asc" ? "desc" : "asc";
        want.sort = th.dataset.key;
        go(want, false);
      });
    });
  });

  if (form) {
    var typing = null;
    form.addEventListener("change", function () { go(fromForm(), false); });
    form.addEventListener("input", function (e) {
      if (e.target.name !== "q") return;
      clearTimeout(typing);
      typing = setTimeout(function () { go(fromForm(), true); }, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); go(fromForm(), false); });
    form.addEventListener("reset", function () { setTimeout(function () { go({ filters: {}, q: "", sort: "", dir: "asc" }, false); }, 0); });
    form.hidden = false;
  }
  window.addEventListener("popstate", function () { show(wanted()); });
  if (active(wanted())) show(wanted());
})();
