// What the end-to-end scripts share: a site served from a folder on a
// loopback port (as a static host serves it: `/` is `index.html`, a
// missing file is the site's 404 page), Debian's Chromium, and the count
// of checks passed and failed.
"use strict";
const http = require("http");
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
  ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv", ".txt": "text/plain" };

function serve(site) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (p.endsWith("/")) p += "index.html";
      const file = path.join(site, path.normalize(p));
      if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        if (fs.existsSync(file + "/index.html")) { res.writeHead(301, { Location: p + "/" }); return res.end(); }
        res.writeHead(404, { "Content-Type": "text/html" });
        return res.end(fs.readFileSync(path.join(site, "404.html")));
      }
      res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
      res.end(fs.readFileSync(file));
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// Serves `site`, starts the browser and returns `base` (the site's
// address), `browser`, a first `page` (1280 px wide), `check(ok, what)`
// and `finish(name)`, which closes both, prints "NAME: N passed, N
// failed" and exits 1 on any failure.
async function session(site) {
  const server = await serve(site);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  let passed = 0, failed = 0;
  const check = (ok, what) => { if (ok) passed++; else { failed++; console.log("FAIL " + what); } };
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const finish = async (name) => {
    await browser.close();
    server.close();
    console.log(`${name}: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  return { base, browser, page, check, finish };
}

module.exports = { session };
