// Full-text search over the index pilotdeck writes into search/data/ (see
// src/search.rs for its format): in place under the header's box on every
// page, and on /search/ with filters. A query fetches only the shards of
// its words; a record is found when it holds every word typed (a word also
// finds the longer words it begins), and records are ranked by how rare
// the words are, how often they occur, and whether they are in the title
// (or a field that names the record: a category, a tag, `addresses`).
// Under a result is the passage of the record that holds the most words
// of the query, with the words marked. Nothing is fetched before the box
// is first focused (or the search page opens), and nothing but the site's
// own index files.
(function () {
  "use strict";
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  // The most characters (code points, after lowercasing) of a word, as
  // MAX_WORD in src/search.rs.
  var MAX_WORD = 40;
  // Characters shown of a passage, around the first word found.
  var EXCERPT = 220;

  // The indexer's rule (src/search.rs, `words`): runs of letters and
  // digits, each lowercased as a whole (a final Σ is ς), at most MAX_WORD
  // characters. Each word with where it is in `text` (UTF-16 offsets).
  // tests/tokenizer.rs holds this rule and the indexer's to the same words.
  function spans(text) {
    var out = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var w = m[0].toLowerCase();
      if (Array.from(w).length <= MAX_WORD) out.push({ word: w, start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  function words(text) {
    return spans(text).map(function (s) { return s.word; });
  }

  // The words of a query, each once, in the order typed.
  function terms(query) {
    return words(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
  }

  function shardKey(word) {
    var head = Array.from(word).slice(0, 2).join("");
    if (/^[a-z0-9]+$/.test(head)) return head;
    var key = "x";
    new TextEncoder().encode(head).forEach(function (b) { key += (b < 16 ? "0" : "") + b.toString(16); });
    return key;
  }

  // Which query word a word of the text is found by (its index), or -1:
  // the word itself, or one it begins when it is two characters or more.
  function found(word, ts) {
    for (var i = 0; i < ts.length; i++) {
      if (word === ts[i] || (ts[i].length >= 2 && word.lastIndexOf(ts[i], 0) === 0)) return i;
    }
    return -1;
  }

  // `text` as pieces `[text, marked]`, the words found by `ts` marked.
  function marks(text, ts) {
    var out = [];
    var at = 0;
    spans(text).forEach(function (s) {
      if (found(s.word, ts) < 0) return;
      if (s.start > at) out.push([text.slice(at, s.start), false]);
      out.push([text.slice(s.start, s.end), true]);
      at = s.end;
    });
    if (at < text.length) out.push([text.slice(at), false]);
    return out;
  }

  // The passage to show for query words `ts`: the one holding the most of
  // them (the first of those; the first passage when none holds any), at
  // most EXCERPT characters around the first word found, as `marks` pieces.
  function excerpt(passages, ts) {
    var best = -1, bestCount = 0, bestFirst = 0;
    passages.forEach(function (p, i) {
      var seen = [], first = -1;
      spans(p).forEach(function (s) {
        var t = found(s.word, ts);
        if (t < 0) return;
        if (first < 0) first = s.start;
        if (seen.indexOf(t) < 0) seen.push(t);
      });
      if (seen.length > bestCount) { best = i; bestCount = seen.length; bestFirst = first; }
    });
    if (best < 0) { best = 0; bestFirst = 0; }
    var text = passages[best] || "";
    if (text.length > EXCERPT) {
      var start = 0;
      if (bestFirst > EXCERPT / 4) {
        start = text.indexOf(" ", bestFirst - EXCERPT / 4);
        start = start < 0 || start >= bestFirst ? bestFirst : start + 1;
      }
      var end = start + EXCERPT;
      if (end < text.length) {
        var space = text.lastIndexOf(" ", end);
        if (space > bestFirst) end = space;
        text = text.slice(start, end) + "…";
      } else {
        text = text.slice(start);
      }
      if (start > 0) text = "…" + text;
    }
    return marks(text, ts);
  }

  // The extension of the index's compressed files (`PACKED` in search.rs).
  var PACKED = ".zlib";
  // The digits of a shard's numbers, in order of value (`DIGITS` in
  // search.rs): five bits each, lowest first, plus 32 on all but a
  // number's last digit.
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  DIGITS.split("").forEach(function (c, v) { VALUE[c] = v; });
  // The numbers of a word's postings: record (as the difference from the
  // one before), then times found * 2 + 1 when in a title.
  function numbers(code) {
    var out = [], n = 0, scale = 1;
    for (var i = 0; i < code.length; i++) {
      var v = VALUE[code.charAt(i)];
      n += (v & 31) * scale;
      if (v & 32) { scale *= 32; continue; }
      out.push(n);
      n = 0;
      scale = 1;
    }
    return out;
  }

  // The index, read through `load(path)` (a promise of the parsed JSON of
  // a file of search/data/, inflated): in the browser a fetch, in the test
  // a file.
  function Index(load) {
    var cache = {};
    var meta = null;
    var shards = null;
    function get(path) {
      if (!cache[path]) cache[path] = load(path);
      return cache[path];
    }
    this.ready = function () {
      return get("meta.json").then(function (m) {
        meta = m;
        shards = new Set(m.shards);
        return m;
      });
    };
    this.filters = function () { return get("f" + PACKED); };
    this.meta = function () { return meta; };

    // Record -> score for one query word, over the words it matches.
    function scores(term, shard) {
      var scored = new Map();
      if (!shard) return scored;
      Object.keys(shard).forEach(function (word) {
        var exact = word === term;
        if (!exact && !(term.length >= 2 && word.lastIndexOf(term, 0) === 0)) return;
        var n = numbers(shard[word]);
        var idf = Math.log(1 + meta.records / (n.length / 2));
        var record = 0;
        for (var i = 0; i < n.length; i += 2) {
          record += n[i];
          var w = n[i + 1];
          var s = idf * (1 + Math.log(w >> 1)) * (w & 1 ? 3 : 1) * (exact ? 1 : 0.6);
          if (!(scored.get(record) >= s)) scored.set(record, s);
        }
      });
      return scored;
    }

    // The records holding every word of `ts`, best first.
    this.matches = function (ts) {
      return this.ready().then(function () {
        return Promise.all(ts.map(function (t) {
          var key = shardKey(t);
          return shards.has(key) ? get("w/" + key + PACKED) : Promise.resolve(null);
        }));
      }).then(function (loaded) {
        var per = ts.map(function (t, i) { return scores(t, loaded[i]); });
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
    };

    // What to show of `records` for query words `ts`: address (from the
    // site root), title and excerpt as `marks` pieces, kind.
    this.results = function (records, ts) {
      var chunks = [];
      records.forEach(function (r) {
        var n = Math.floor(r / meta.chunk);
        if (chunks.indexOf(n) < 0) chunks.push(n);
      });
      return Promise.all(chunks.map(function (n) { return get("d/" + n + PACKED); })).then(function (loaded) {
        return records.map(function (r) {
          var doc = loaded[chunks.indexOf(Math.floor(r / meta.chunk))][r % meta.chunk];
          var passages = doc.slice(3);
          var shown = excerpt(passages, ts);
          // Found by words that no passage holds (a pilot's text, its
          // updates): the title and the shown passage say nothing of them.
          var elsewhere = !shown.some(function (p) { return p[1]; }) && !marks(doc[1], ts).some(function (p) { return p[1]; });
          return { record: r, url: doc[0], title: marks(doc[1], ts), kind: meta.kinds[doc[2]], excerpt: shown, elsewhere: elsewhere };
        });
      });
    };
  }

  // Under Node (the tests), the rule and the search without a page.
  if (typeof module === "object" && module.exports) {
    module.exports = { words: words, spans: spans, terms: terms, shardKey: shardKey, marks: marks, excerpt: excerpt, numbers: numbers, PACKED: PACKED, Index: Index };
    return;
  }
  // The search page loads this script too (a theme's own base.html may
  // not): it runs once.
  if (!window.fetch || !window.Promise || !window.DecompressionStream || window.pilotdeckSearch) return;
  window.pilotdeckSearch = true;

  // `marks` pieces as children of `el`.
  function fill(el, pieces) {
    pieces.forEach(function (p) {
      if (!p[1]) { el.appendChild(document.createTextNode(p[0])); return; }
      var m = document.createElement("mark");
      m.textContent = p[0];
      el.appendChild(m);
    });
    return el;
  }

  var indexes = {};
  function indexAt(dataUrl) {
    if (!indexes[dataUrl]) {
      indexes[dataUrl] = new Index(function (path) {
        return fetch(dataUrl + path).then(function (r) {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.arrayBuffer();
        }).then(function (bytes) {
          // zlib's first byte is 0x78; JSON when a server inflated it already.
          var first = new Uint8Array(bytes, 0, Math.min(1, bytes.byteLength))[0];
          if (first !== 0x78) return new Response(bytes).json();
          var inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
          return new Response(inflated).json();
        });
      });
    }
    return indexes[dataUrl];
  }

  function plural(n, one) { return n + " " + one + (n === 1 ? "" : "s"); }

  // ---- The header's box: results as you type, under the box. ----
  (function header() {
    var form = document.getElementById("site-search");
    var input = document.getElementById("site-search-q");
    var panel = document.getElementById("site-search-panel");
    var list = document.getElementById("site-search-list");
    var status = document.getElementById("site-search-status");
    var all = document.getElementById("site-search-all");
    if (!form || !input || !panel || !list) return;
    var index = indexAt(form.dataset.index);
    var root = form.dataset.root;
    var SHOWN = 8;
    var PER = 4;
    var run = 0;
    var active = -1;
    var timer = null;

    function options() { return list.querySelectorAll("[role=option]"); }

    // The first SHOWN of `found`, at most PER of one group (pilots and
    // pages, constraints, people) while another has more: a category word
    // that fills the first places with pilots still shows its constraints.
    function varied(found) {
      var groups = index.meta().groups;
      var group = function (r) { return r < groups[0] ? 0 : r < groups[1] ? 1 : 2; };
      var taken = [], skipped = [], count = [0, 0, 0];
      for (var i = 0; i < found.length && taken.length < SHOWN; i++) {
        var g = group(found[i]);
        if (count[g] < PER) { count[g]++; taken.push(found[i]); } else { skipped.push(found[i]); }
      }
      if (taken.length < SHOWN) taken = taken.concat(skipped.slice(0, SHOWN - taken.length)).sort(function (a, b) { return found.indexOf(a) - found.indexOf(b); });
      return taken;
    }

    function open(yes) {
      panel.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) choose(-1);
    }

    function choose(i) {
      var opts = options();
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = opts.length ? Math.max(-1, Math.min(i, opts.length - 1)) : -1;
      if (active >= 0) {
        opts[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[active].id);
        opts[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function search() {
      var mine = ++run;
      var q = input.value.trim();
      var ts = terms(q);
      all.href = form.action + (q ? "?q=" + encodeURIComponent(q) : "");
      if (!ts.length) { list.textContent = ""; open(false); return; }
      index.matches(ts).then(function (found) {
        if (mine !== run) return null;
        return index.results(varied(found), ts).then(function (shown) {
          if (mine !== run) return;
          list.textContent = "";
          active = -1;
          input.removeAttribute("aria-activedescendant");
          shown.forEach(function (r, i) {
            var li = document.createElement("li");
            li.id = "site-search-option-" + i;
            li.setAttribute("role", "option");
            li.setAttribute("aria-selected", "false");
            var a = document.createElement("a");
            a.href = root + r.url;
            a.tabIndex = -1;
            var kind = document.createElement("span");
            kind.className = "badge";
            kind.textContent = r.kind;
            a.appendChild(kind);
            a.appendChild(document.createTextNode(" "));
            fill(a.appendChild(document.createElement("strong")), r.title);
            if (r.excerpt.length) fill(a.appendChild(document.createElement("span")), r.excerpt).className = "site-search-excerpt";
            if (r.elsewhere) {
              var note = a.appendChild(document.createElement("span"));
              note.className = "site-search-excerpt muted";
              note.textContent = "The words are in the full text.";
            }
            li.appendChild(a);
            list.appendChild(li);
          });
          status.textContent = found.length === 0 ? "Nothing found for “" + q + "”." :
            plural(found.length, "result") + (found.length > SHOWN ? ", " + SHOWN + " shown." : ".");
          all.textContent = found.length > SHOWN ? "All " + plural(found.length, "result") : "Open on the search page";
          open(true);
        });
      }).catch(function (e) {
        if (mine !== run) return;
        list.textContent = "";
        status.textContent = "Search failed: " + e.message;
        open(true);
      });
    }

    input.addEventListener("focus", function () {
      index.ready().catch(function () {});
      if (input.value.trim() && list.childNodes.length) open(true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 80);
    });
    input.addEventListener("keydown", function (e) {
      var n = options().length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (panel.hidden && input.value.trim()) { search(); return; }
        choose(active + 1 >= n ? 0 : active + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        choose(active <= 0 ? n - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0 && !panel.hidden) {
        e.preventDefault();
        window.location.href = options()[active].querySelector("a").href;
      } else if (e.key === "Escape") {
        if (!panel.hidden) { e.preventDefault(); open(false); }
      }
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) open(false);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  })();

  // ---- The search page: every result, with filters. ----
  (function page() {
    var box = document.getElementById("search");
    if (!box) return;
    var index = indexAt(box.dataset.index);
    var rootUrl = box.dataset.root;
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var PAGE = 20;
    var meta = null;
    var filters = null;
    var run = 0;
    var shown = PAGE;
    var last = null;
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
      var f = filters[record];
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
          var f = filters[r];
          var values = name === "kind" ? [f[0]] : name === "stage" ? [f[1]] : f.slice(2);
          values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        Array.from(form.elements[name].options).forEach(function (o) {
          if (o.value !== "") o.textContent = o.dataset.label + " (" + (counts[o.value] || 0) + ")";
        });
      });
    }

    function show(records, ts, mine) {
      return index.results(records, ts).then(function (results) {
        if (mine !== run) return;
        list.textContent = "";
        results.forEach(function (r) {
          var f = filters[r.record];
          var li = document.createElement("li");
          li.className = "search-result";
          var a = fill(document.createElement("a"), r.title);
          a.href = rootUrl + r.url;
          li.appendChild(a);
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = r.kind + (f[1] >= 0 ? " · " + meta.stages[f[1]] : "");
          li.appendChild(document.createTextNode(" "));
          li.appendChild(badge);
          if (r.excerpt.length) li.appendChild(fill(document.createElement("p"), r.excerpt));
          if (r.elsewhere) {
            var note = li.appendChild(document.createElement("p"));
            note.className = "muted";
            note.textContent = "The words are in the full text.";
          }
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
      var ts = terms(q);
      var c = chosen();
      address(q.trim(), c);
      if (!ts.length) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        last = null;
        return;
      }
      var key = ts.join(" ");
      var pending = last && last.key === key ? Promise.resolve(last.found) : index.matches(ts);
      pending.then(function (all) {
        if (mine !== run) return;
        last = { key: key, found: all };
        count(all, c);
        var kept = all.filter(function (r) { return keeps(r, c); });
        status.textContent = kept.length === 0 ? "Nothing found for “" + q.trim() + "”." :
          plural(kept.length, "result") + " for “" + q.trim() + "”.";
        more.hidden = kept.length <= shown;
        return show(kept.slice(0, shown), ts, mine);
      }).catch(function (e) {
        if (mine === run) status.textContent = "Search failed: " + e.message;
      });
    }

    function options(name, values, wanted) {
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

    Promise.all([index.ready(), index.filters()]).then(function (loaded) {
      meta = loaded[0];
      filters = loaded[1];
      var params = new URLSearchParams(window.location.search);
      options("kind", meta.kinds, params.get("kind"));
      options("stage", meta.stages, params.get("stage"));
      options("tag", meta.tags, params.get("tag"));
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
})();
