// End-to-end test of a built pilotdeck site in headless Chromium.
//   node e2e.js SITE_DIR [SCREENSHOT_DIR]
// Serves SITE_DIR on a loopback port, then checks that every page loads
// with no console error and no request leaving the site, that charts
// render, that the pilots filter and search work, that no page is wider
// than a phone's or a laptop's screen, and that the portfolio prints
// without overflow. Prints "N passed, N failed" and exits 1 on any
// failure.
"use strict";
const fs = require("fs");
const path = require("path");
const { session } = require("./serve");

const site = path.resolve(process.argv[2] || "public");
const shots = path.resolve(process.argv[3] || "target/screenshots");
fs.mkdirSync(shots, { recursive: true });

function pages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== "data") walk(full); }
      else if (e.name === "index.html") out.push("/" + path.relative(site, dir).split(path.sep).join("/") + (dir === site ? "" : "/"));
    }
  };
  walk(site);
  return out.map((p) => p.replace(/^\/\//, "/")).sort();
}

(async () => {
  const { base, browser, page, check, finish } = await session(site);
  let problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) problems.push("outside request: " + r.url()); });

  // Every page loads, with no console error and no request leaving the site.
  for (const p of pages()) {
    problems = [];
    const res = await page.goto(base + p);
    check(res && res.status() === 200, `${p} loads (status ${res && res.status()})`);
    check(problems.length === 0, `${p} has no console errors or outside requests: ${problems.join("; ")}`);
  }

  // Charts render: every chart image on the portfolio has a size.
  await page.goto(base + "/portfolio/");
  const charts = await page.$$eval("figure.chart img", (imgs) => imgs.map((i) => [i.getAttribute("src"), i.complete && i.naturalWidth]));
  check(charts.length === 6, `six charts on the portfolio (found ${charts.length})`);
  for (const [src, width] of charts) check(width > 0, `chart ${src} renders`);
  await page.screenshot({ path: path.join(shots, "portfolio.png"), fullPage: true });

  // The pilots filter and sort (filter.js): the view is kept in the
  // address, and going back shows the whole list again.
  await page.goto(base + "/pilots/");
  const all = await page.$$eval("#pilots-table tbody tr", (rows) => rows.length);
  await page.selectOption("form[data-filters] select[name=stage]", "bridge");
  await page.waitForFunction(() => location.search.includes("stage=bridge"));
  const stages = await page.$$eval("#pilots-table tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => r.dataset.stage));
  check(stages.length > 0 && stages.length < all && stages.every((s) => s === "bridge"), `stage filter shows only bridge pilots (${stages.length} of ${all})`);
  const count = await page.$eval('[data-count-for="pilots-table"]', (e) => e.textContent);
  check(count.includes(`${stages.length} of`), `the count follows the filter ("${count}")`);
  await page.click('#pilots-table th[data-key="overdue"] button');
  await page.click('#pilots-table th[data-key="overdue"] button');
  const sorted = await page.$eval('#pilots-table th[data-key="overdue"]', (th) => th.getAttribute("aria-sort"));
  const overdue = await page.$$eval("#pilots-table tbody tr td.p-overdue", (tds) => tds.map((t) => parseInt(t.textContent.replace(/[^0-9]/g, ""), 10)));
  check(sorted === "descending" && overdue.every((v, i) => i === 0 || overdue[i - 1] >= v), `sorted by overdue, most first (${overdue.slice(0, 5)})`);
  check(page.url().includes("sort=overdue") && page.url().includes("dir=desc"), `the sort is in the address (${page.url()})`);
  await page.goBack();
  await page.goBack();
  await page.goBack();
  await page.waitForFunction(() => !location.search);
  const back = await page.$$eval("#pilots-table tbody tr", (rows) => rows.length);
  check(back === all, `back to the whole list (${back} of ${all})`);
  await page.screenshot({ path: path.join(shots, "pilots.png"), fullPage: true });

  // The library's filters work over all its tables, and the address
  // reproduces the view.
  await page.goto(base + "/constraints/?status=open&q=" + encodeURIComponent("a"));
  await page.waitForFunction(() => document.querySelector("form[data-filters] output").value !== "");
  const statuses = await page.$$eval("table.constraint-table tbody tr", (rows) => rows.map((r) => r.dataset.status));
  check(statuses.length > 0 && statuses.every((s) => s === "open"), `?status=open shows only open constraints (${statuses.length})`);
  const chosen = await page.$eval("form[data-filters] select[name=status]", (s) => s.value);
  check(chosen === "open", `the form shows the address's filter (${chosen})`);

  // Search: a word of one pilot record and one lesson page; the record, where
  // it occurs most, comes first.
  await page.goto(base + "/search/?q=renewal");
  await page.waitForSelector(".search-result > a", { timeout: 15000 });
  const results = await page.$$eval(".search-result > a", (as) => as.map((a) => a.getAttribute("href")));
  check(results.length > 0, "search finds results");
  await page.screenshot({ path: path.join(shots, "search.png") });
  await page.click(".search-result > a");
  await page.waitForLoadState();
  check(page.url().startsWith(base + "/pilots/"), `a result opens a pilot page (${page.url()})`);

  // The header's box searches in place: nothing fetched before it is
  // focused (`/` focuses it), results as you type with the words marked,
  // arrow keys choose one, Escape closes the list, Enter opens the choice.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const fetched = [];
    const onRequest = (r) => { if (r.url().includes("/search/data/")) fetched.push(r.url()); };
    page.on("request", onRequest);
    await page.goto(base + "/pilots/");
    check(fetched.length === 0, `no search file is fetched before the box is focused (${fetched.length})`);
    await page.keyboard.press("/");
    check(await page.evaluate(() => document.activeElement && document.activeElement.id === "site-search-q"), "/ focuses the header's search box");
    await page.keyboard.type("integration", { delay: 20 });
    await page.waitForSelector("#site-search-list [role=option]", { timeout: 15000 });
    const box = await page.evaluate(() => ({
      options: document.querySelectorAll("#site-search-list [role=option]").length,
      marks: Array.from(document.querySelectorAll("#site-search-list mark")).map((m) => m.textContent.toLowerCase()),
      expanded: document.getElementById("site-search-q").getAttribute("aria-expanded"),
    }));
    check(box.options > 0 && box.expanded === "true", `the header box shows results as you type at ${width} px (${box.options})`);
    check(box.marks.length > 0 && box.marks.every((m) => m.startsWith("integration")), `the words typed are marked at ${width} px (${box.marks.join(",")})`);
    await page.keyboard.press("ArrowDown");
    check(await page.evaluate(() => document.getElementById("site-search-q").getAttribute("aria-activedescendant") === "site-search-option-0"), "ArrowDown chooses the first result");
    await page.screenshot({ path: path.join(shots, `header-search-${width}.png`) });
    await page.keyboard.press("Escape");
    check(await page.evaluate(() => document.getElementById("site-search-panel").hidden), "Escape closes the list");
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector("#site-search-list [role=option]", { state: "visible" });
    await page.keyboard.press("ArrowDown");
    const href = await page.$eval("#site-search-option-0 a", (a) => a.href);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    check(page.url() === href, `Enter opens the chosen result (${page.url()})`);
    check(fetched.every((u) => u.startsWith(base)), "only the site's own index files are fetched");
    page.off("request", onRequest);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Key pages for people to look at.
  for (const [name, p] of [["home", "/"], ["pilot", "/pilots/claims-triage/"], ["constraints", "/constraints/"], ["lessons", "/lessons/"], ["playbook", "/playbook/01-scoping/integration-map/"]]) {
    await page.goto(base + p);
    await page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
  }

  // One date per page: read two weeks after the as-of date, a page says
  // so at the top (in print too), and every figure stays what was built.
  {
    const built = await page.goto(base + "/constraints/").then(() => page.evaluate(() => document.body.dataset.asOf));
    const later = new Date(Date.UTC(+built.slice(0, 4), +built.slice(5, 7) - 1, +built.slice(8, 10) + 14, 12));
    for (const [when, p] of [[later, "/pilots/claims-triage/"], [later, "/constraints/"], [new Date(built + "T12:00:00"), "/"]]) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await ctx.newPage();
      await tab.clock.setFixedTime(when);
      const raw = await (await fetch(base + p)).text();
      await tab.goto(base + p);
      const note = await tab.$eval("main", (m) => (m.querySelector(".live-asof") || {}).textContent || "");
      // The page's text but the note, against the text of the file as built.
      const [shown, asBuilt] = await tab.evaluate((raw) => {
        const main = document.getElementById("main").cloneNode(true);
        main.querySelectorAll(".live-asof").forEach((n) => n.remove());
        const file = new DOMParser().parseFromString(raw, "text/html").getElementById("main");
        return [main.textContent, file.textContent];
      }, raw);
      check(shown.length > 0 && shown === asBuilt, `${p}: every figure is what was built (${shown.length} characters)`);
      if (when === later) {
        check(note.includes("as of " + built) && note.includes("14 days before today"), `${p}: a note says the figures are 14 days old: "${note}"`);
        await tab.emulateMedia({ media: "print" });
        const printed = await tab.$eval(".live-asof", (e) => getComputedStyle(e).display !== "none");
        check(printed, `${p}: the note is printed`);
      } else {
        check(note === "", `${p}: no note on the as-of date itself ("${note}")`);
      }
      await ctx.close();
    }
  }

  // Nothing wider than the screen: one page of every kind at a phone's
  // width and a laptop's, and the columns a reader acts on in view.
  {
    const owner = await page.goto(base + "/owners/").then(() => page.$eval("main table a", (a) => a.getAttribute("href")));
    const tag = await page.goto(base + "/tags/").then(() => page.$eval("main .tag-cloud a", (a) => a.getAttribute("href")));
    const kinds = [["home", "/"], ["portfolio", "/portfolio/"], ["pilots", "/pilots/"], ["pilot", "/pilots/claims-triage/"],
      ["constraints", "/constraints/"], ["person", "/owners/" + owner], ["owners", "/owners/"], ["lessons", "/lessons/"],
      ["tag", "/tags/" + tag], ["tags", "/tags/"], ["search", "/search/?q=renewal"], ["playbook", "/playbook/01-scoping/integration-map/"],
      ["404", "/no-such-page/"]];
    const ctx = await browser.newContext();
    const tab = await ctx.newPage();
    for (const width of [390, 1280]) {
      await tab.setViewportSize({ width, height: 900 });
      for (const [name, p] of kinds) {
        await tab.goto(base + p);
        const wide = await tab.evaluate(() => document.documentElement.scrollWidth);
        check(wide <= width, `${name} (${p}) at ${width} px is ${wide} px wide`);
        if (name === "constraints" || name === "pilots") {
          // The first rows of the list, as a reader sees them.
          await tab.$eval("[data-list]", (e) => e.scrollIntoView());
          await tab.screenshot({ path: path.join(shots, `${name}-${width}.png`) });
        }
      }
      // The columns a reader acts on are in view without scrolling.
      for (const [p, table, heads] of [["/constraints/", "table.constraint-table", ["Status", "Due", "Owner", "Escalated to"]],
        ["/pilots/", "#pilots-table", ["Stage", "Open constraints", "Overdue", "Last update", "Owner"]],
        ["/owners/" + owner, "table.constraint-table", ["Status", "Due", "Owner", "Escalated to"]],
        ["/pilots/claims-triage/", "table.constraints-table", ["Owner", "Due", "Status", "Escalated to"]]]) {
        await tab.goto(base + p);
        if (width === 1280) {
          const hidden = await tab.$eval(table, (t, heads) => {
            const box = (t.closest(".table-scroll") || t).getBoundingClientRect();
            return Array.from(t.tHead.rows[0].cells).filter((c) => heads.includes(c.textContent.trim()) && c.getBoundingClientRect().right > box.right + 1).map((c) => c.textContent.trim());
          }, heads);
          check(hidden.length === 0, `${p} at 1280 px shows ${heads.join(", ")} without scrolling (cut off: ${hidden.join(", ")})`);
        } else {
          // On a phone each row shows its status and due date (or, for
          // pilots, its open and overdue counts).
          const missing = await tab.$eval(table, (t, w) => Array.from(t.tBodies[0].rows).filter((r) => {
            const cells = Array.from(r.querySelectorAll(".c-status, .c-due, .p-open, .p-overdue"));
            return cells.length < 2 || cells.some((c) => { const b = c.getBoundingClientRect(); return b.width === 0 || b.right > w; });
          }).length, width);
          check(missing === 0, `${p} at 390 px: every row shows its status and due date (${missing} do not)`);
        }
      }
    }
    await ctx.close();
  }

  // Print layout of the portfolio: nothing wider than the page.
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.goto(base + "/portfolio/");
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("main *")).filter((e) => e.getBoundingClientRect().right > width + 1).map((e) => e.tagName + "." + e.className).slice(0, 5);
  });
  check(overflow.length === 0, `print layout has no overflow: ${overflow.join(", ")}`);
  // The board pack on the config's paper: a summary page, the decisions,
  // a page per chart with its table, the capped lists (11 pages for the
  // example's 12 pilots).
  const pdf = await page.pdf({ path: path.join(shots, "portfolio.pdf"), preferCSSPageSize: true });
  const pdfPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pdfPages >= 8 && pdfPages <= 12, `the board pack prints on 8 to 12 pages (${pdfPages})`);
  const size = pdf.toString("latin1").match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)/);
  check(size && Math.abs(+size[1] - 595) < 2 && Math.abs(+size[2] - 842) < 2, `the board pack is A4 (${size && size.slice(1)})`);

  await finish("e2e");
})().catch((e) => { console.error(e); process.exit(1); });
