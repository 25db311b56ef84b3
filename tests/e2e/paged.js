// End-to-end test of the long lists of a generated site, split into pages.
//   node paged.js SITE_DIR
// SITE_DIR is a site built from `examples/generate` with enough pilots
// that the constraint library and the lessons take several pages. Checks
// that a page's pager links the first, the last and the pages near it
// (not every page), that following its links reaches every page, and that
// filtering on a middle page of the library works over the whole list:
// as many rows as the built pages hold, fetched from the addresses the
// pager's data-page-* make. Prints "N passed, N failed" and exits 1 on
// any failure.
"use strict";
const fs = require("fs");
const path = require("path");
const { session } = require("./serve");

const site = path.resolve(process.argv[2] || "public");

// The library's built pages, from the folder, and how many of their rows
// have `status`.
function library(status) {
  const files = [path.join(site, "constraints/index.html")];
  const paged = path.join(site, "constraints/page");
  for (const n of fs.readdirSync(paged)) files.push(path.join(paged, n, "index.html"));
  const rows = files.map((f) => (fs.readFileSync(f, "utf8").match(new RegExp(`data-status="${status}"`, "g")) || []).length);
  return { pages: files.length, rows: rows.reduce((a, b) => a + b, 0) };
}

(async () => {
  const { base, page, check, finish } = await session(site);
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });

  const built = library("overdue");
  check(built.pages >= 5, `the library takes several pages (${built.pages})`);
  const middle = Math.ceil(built.pages / 2);

  // The pager of a middle page: the first, the last and two either side.
  await page.goto(`${base}/constraints/page/${middle}/`);
  const numbers = await page.$$eval("#list-pages li a:not([rel]), #list-pages .list-pager-current", (els) => els.map((e) => +e.textContent));
  const want = [1, middle - 2, middle - 1, middle, middle + 1, middle + 2, built.pages].filter((n, i, a) => n >= 1 && n <= built.pages && a.indexOf(n) === i);
  check(JSON.stringify(numbers) === JSON.stringify(want), `page ${middle} links pages ${want} (${numbers})`);

  // Every page is reached by following the pager's links.
  const seen = new Set();
  const todo = ["/constraints/"];
  while (todo.length) {
    const p = todo.shift();
    if (seen.has(p)) continue;
    seen.add(p);
    const res = await page.goto(base + p);
    if (!res || res.status() !== 200) { check(false, `${p} loads`); continue; }
    for (const href of await page.$$eval(".list-pager a[href]:not([href^='#'])", (as) => as.map((a) => new URL(a.href).pathname))) {
      if (!seen.has(href)) todo.push(href);
    }
  }
  check(seen.size === built.pages, `following the pager reaches every page (${seen.size} of ${built.pages})`);

  // Filtering a middle page works over every page of the list.
  await page.goto(`${base}/constraints/page/${middle}/`);
  await page.selectOption("form[data-filters] select[name=status]", "overdue");
  await page.waitForFunction(() => /^Showing/.test(document.querySelector("form[data-filters] output[name=shown]").textContent), null, { timeout: 60000 });
  const shown = await page.$eval("form[data-filters] output[name=shown]", (o) => o.textContent);
  const count = built.rows.toLocaleString("en");
  check(shown.startsWith(`Showing ${count} of`) && shown.includes(`on all ${built.pages} pages`), `overdue on page ${middle}: ${built.rows} rows on all ${built.pages} pages ("${shown}")`);
  const statuses = await page.$$eval("table[data-list] tbody tr", (rows) => rows.filter((r) => !r.hidden && r.offsetParent !== null).map((r) => r.dataset.status));
  check(statuses.length > 0 && statuses.every((s) => s === "overdue"), `only overdue rows are shown (${statuses.length})`);
  check(problems.length === 0, `no console errors: ${problems.join("; ")}`);

  // The lessons list is paged the same way.
  await page.goto(`${base}/lessons/page/2/`);
  const lessons = await page.$eval("[data-page-url]", (n) => [n.dataset.pages, n.dataset.pageCurrent]);
  check(+lessons[0] > 2 && lessons[1] === "2", `the lessons list tells its pages (${lessons})`);

  await finish("paged");
})().catch((e) => { console.error(e); process.exit(1); });
