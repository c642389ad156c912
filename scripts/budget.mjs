// Size budget: what a phone downloads for the home page on a first visit with an empty
// cache, as Chromium reports it (brotli wherever the server offers it). Prints figures; it
// judges nothing. Run after a release build:  node scripts/budget.mjs
//
// Budgets (issue "Foundation"): the home page at most 100 KB over the wire without the font,
// the islands' WASM at most 60 KB brotli.
import { startServer, launchBrowser } from "../tests/browser/server.mjs";

const LANGUAGES = ["en", "vi", "th", "ksw"];
const kindOf = (url, type) => {
  if (url.pathname.startsWith("/fonts/")) return "font";
  if (url.pathname.endsWith(".wasm")) return "wasm";
  if (url.pathname.endsWith(".js")) return "js";
  if (url.pathname.endsWith(".css")) return "css";
  return type === "document" ? "html" : "other";
};
const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(6) + " KB";

const server = await startServer();
const browser = await launchBrowser();
try {
  for (const lang of LANGUAGES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const responses = [];
    page.on("requestfinished", (request) => responses.push(request));
    await page.goto(`${server.url}/${lang}/`);
    await page.waitForSelector("html[data-islands=ready]");
    await page.evaluate(() => document.fonts.ready);

    const totals = {};
    const encodings = {};
    for (const request of responses) {
      const response = await request.response();
      const sizes = await request.sizes();
      const url = new URL(request.url());
      const kind = kindOf(url, request.resourceType());
      totals[kind] = (totals[kind] ?? 0) + sizes.responseBodySize + sizes.responseHeadersSize;
      encodings[kind] = response?.headers()["content-encoding"] ?? "none";
    }
    const withoutFont = Object.entries(totals)
      .filter(([kind]) => kind !== "font")
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    console.log(`/${lang}/  first visit, empty cache`);
    for (const kind of ["html", "css", "js", "wasm", "other"]) {
      if (totals[kind]) console.log(`  ${kind.padEnd(5)} ${kb(totals[kind])}  (${encodings[kind]})`);
    }
    console.log(`  total ${kb(withoutFont)}  without the font (budget 100 KB)`);
    console.log(`  font  ${kb(totals.font ?? 0)}  on its own line`);
    await context.close();
  }

  // Every content page's HTML as sent (brotli), per language.
  console.log("\ncontent pages: HTML over the wire, brotli");
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const lang of LANGUAGES) {
    const paths = [`/${lang}/contacts`];
    for (const list of ["checklists", "guides"]) {
      await page.goto(`${server.url}/${lang}/${list}`);
      paths.push(`/${lang}/${list}`);
      paths.push(...(await page.$$eval(`main a[href^="/${lang}/${list}/"]`, (as) => as.map((a) => a.getAttribute("href")))));
    }
    for (const path of paths) {
      const response = await page.goto(`${server.url}${path}`);
      const sizes = await response.request().sizes();
      const encoding = response.headers()["content-encoding"] ?? "none";
      console.log(`  ${path.padEnd(44)} ${kb(sizes.responseBodySize)}  (${encoding})`);
    }
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
