// Full-text search on /search/ over the index pilotdeck writes into
// search/data/ (see src/render/search.rs for its format). A query fetches
// only the shards of its words; a record is found when it holds every word
// typed (a word also finds the longer words it begins), and records are
// ranked by how rare the words are, how often they occur, and whether they
// are in the title. The query and filters live in the address (?q=&kind=
// &stage=&tag=), so that a search can be linked to.
(function () {
  "use strict";
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  // The most characters (code points, after lowercasing) of a word, as
  // MAX_WORD in src/render/search.rs.
  var MAX_WORD = 40;

  // The indexer's rule (src/render/search.rs, `words`): runs of letters
  // and digits, each lowercased as a whole (a final Σ is ς), at most
  // MAX_WORD characters. tests/tokenizer.rs holds the two to the same words.
  function words(text) {
    var out = [];
    text.split(SPLIT).forEach(function (w) {
      w = w.toLowerCase();
      if (w && Array.from(w).length <= MAX_WORD) out.push(w);
    });
    return out;
  }

  function shardKey(word) {
    var head = Array.from(word).slice(0, 2).join("");
    if (/^[a-z0-9]+$/.test(head)) return head;
    var key = "x";
    new TextEncoder().encode(head).forEach(function (b) { key += (b < 16 ? "0" : "") + b.toString(16); });
    return key;
  }

  // Under Node (the test), only the rule above.
  if (typeof module === "object" && module.exports) {
    module.exports = { words: words, shardKey: shardKey };
    return;
  }

  var box = document.getElementById("search");
  if (!box || !window.fetch) return;
  var dataUrl = box.dataset.index;
  var rootUrl = box.dataset.root;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 20;
  var cache = {};
  var meta = null;
  var shards = null;
  var run = 0;
  var shown = PAGE;
  var last = null;

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(dataUrl + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  // Record -> score for one query word, over the words it matches.
  function scores(term, shard) {
    var found = new Map();
    if (!shard) return found;
    Object.keys(shard).forEach(function (word) {
      var exact = word === term;
      if (!exact && !(term.length >= 2 && word.lastIndexOf(term, 0) === 0)) return;
      var postings = shard[word];
      var idf = Math.log(1 + meta.records / (postings.length / 2));
      var record = 0;
      for (var i = 0; i < postings.length; i += 2) {
        record += postings[i];
        var w = postings[i + 1];
        var s = idf * (1 + Math.log(w & 127)) * (w & 128 ? 3 : 1) * (exact ? 1 : 0.6);
        if (!(found.get(record) >= s)) found.set(record, s);
      }
    });
    return found;
  }

  function matches(terms) {
    return Promise.all(terms.map(function (t) {
      var key = shardKey(t);
      return shards.has(key) ? load("w/" + key + ".json") : Promise.resolve(null);
    })).then(function (loaded) {
      var per = terms.map(function (t, i) { return scores(t, loaded[i]); });
      per.sort(function (a, b) { return a.size - b.size; });
      var total = new Map();
      per[0].forEach(function (s, r) {
        for (var i = 1; i < per.length; i++) {
          if (!per[i].has(r)) return;
          s += per[i].get(r);
        }
        total.set(r, s);
      });
      return Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).map(function (e) { return e[0]; });
    });
  }

  var FILTERS = ["kind", "stage", "tag"];

  function chosen() {
    var c = {};
    FILTERS.forEach(function (f) {
      var v = form.elements[f].value;
      c[f] = v === "" ? null : Number(v);
    });
    return c;
  }

  function keeps(record, c, skip) {
    var f = meta.filters[record];
    if (skip !== "kind" && c.kind !== null && f[0] !== c.kind) return false;
    if (skip !== "stage" && c.stage !== null && f[1] !== c.stage) return false;
    if (skip !== "tag" && c.tag !== null && f.indexOf(c.tag, 2) < 0) return false;
    return true;
  }

  // Each option says how many results it would leave, given the other filters.
  function count(found, c) {
    FILTERS.forEach(function (name) {
      var counts = {};
      found.forEach(function (r) {
        if (!keeps(r, c, name)) return;
        var f = meta.filters[r];
        var values = name === "kind" ? [f[0]] : name === "stage" ? [f[1]] : f.slice(2);
        values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      Array.from(form.elements[name].options).forEach(function (o) {
        if (o.value !== "") o.textContent = o.dataset.label + " (" + (counts[o.value] || 0) + ")";
      });
    });
  }

  function mark(text, terms) {
    var p = document.createElement("p");
    var at = 0;
    text.replace(WORD, function (w, i) {
      var lower = w.toLowerCase();
      if (!terms.some(function (t) { return lower === t || (t.length >= 2 && lower.lastIndexOf(t, 0) === 0); })) return w;
      p.appendChild(document.createTextNode(text.slice(at, i)));
      var m = document.createElement("mark");
      m.textContent = w;
      p.appendChild(m);
      at = i + w.length;
      return w;
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }

  function show(records, terms, mine) {
    var chunks = [];
    records.forEach(function (r) {
      var n = Math.floor(r / meta.chunk);
      if (chunks.indexOf(n) < 0) chunks.push(n);
    });
    return Promise.all(chunks.map(function (n) { return load("d/" + n + ".json"); })).then(function (loaded) {
      if (mine !== run) return;
      list.textContent = "";
      records.forEach(function (r) {
        var doc = loaded[chunks.indexOf(Math.floor(r / meta.chunk))][r % meta.chunk];
        var f = meta.filters[r];
        var li = document.createElement("li");
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = rootUrl + doc[0];
        a.textContent = doc[1];
        li.appendChild(a);
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = meta.kinds[f[0]] + (f[1] >= 0 ? " · " + meta.stages[f[1]] : "");
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
        if (doc[2]) li.appendChild(mark(doc[2], terms));
        list.appendChild(li);
      });
    });
  }

  function address(q, c) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    FILTERS.forEach(function (f) {
      if (c[f] !== null) params.set(f, form.elements[f].options[form.elements[f].selectedIndex].dataset.label);
    });
    var s = params.toString();
    history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
  }

  function search(keepShown) {
    var mine = ++run;
    if (!keepShown) shown = PAGE;
    var q = input.value;
    var terms = words(q).filter(function (w, i, all) { return all.indexOf(w) === i; });
    var c = chosen();
    address(q.trim(), c);
    if (!terms.length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      last = null;
      return;
    }
    var key = terms.join(" ");
    var found = last && last.key === key ? Promise.resolve(last.found) : matches(terms);
    found.then(function (all) {
      if (mine !== run) return;
      last = { key: key, found: all };
      count(all, c);
      var kept = all.filter(function (r) { return keeps(r, c); });
      status.textContent = kept.length === 0 ? "Nothing found for “" + q.trim() + "”." :
        kept.length + (kept.length === 1 ? " result" : " results") + " for “" + q.trim() + "”.";
      more.hidden = kept.length <= shown;
      return show(kept.slice(0, shown), terms, mine);
    }).catch(function (e) {
      if (mine === run) status.textContent = "Search failed: " + e.message;
    });
  }

  function fill(name, values, wanted) {
    var select = form.elements[name];
    values.forEach(function (v, i) {
      var o = document.createElement("option");
      o.value = String(i);
      o.dataset.label = v;
      o.textContent = v;
      if (wanted !== null && v.toLowerCase() === wanted.toLowerCase()) o.selected = true;
      select.appendChild(o);
    });
  }

  load("meta.json").then(function (m) {
    meta = m;
    shards = new Set(m.shards);
    var params = new URLSearchParams(window.location.search);
    fill("kind", m.kinds, params.get("kind"));
    fill("stage", m.stages, params.get("stage"));
    fill("tag", m.tags, params.get("tag"));
    input.value = params.get("q") || "";
    box.hidden = false;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(false); }, 120);
    });
    form.addEventListener("change", function (e) { if (e.target !== input) search(false); });
    form.addEventListener("submit", function (e) { e.preventDefault(); search(false); });
    more.addEventListener("click", function () { shown += PAGE; search(true); });
    search(false);
    input.focus();
  }).catch(function (e) {
    box.hidden = false;
    status.textContent = "The search index could not be read: " + e.message;
  });
})();
