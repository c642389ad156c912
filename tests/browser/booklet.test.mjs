// The safety booklet: each language's booklet printed to PDF by headless Chromium, as
// an outreach worker's "Print" does. The PDF is read back with poppler (pdfinfo, pdftotext,
// pdffonts, pdftoppm): A6 pages, every item whole on one page, Karen set in the app's own
// Karen font. The pages are also rendered to PNG in test-results/ for a person to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, RESULTS } from "./server.mjs";

const LANGUAGES = ["en", "vi", "th", "ksw"];
// A6 in PostScript points: 105 × 148 mm (Chromium rounds to whole CSS pixels).
const A6 = [297.6, 419.5];
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const poppler = (tool, ...args) => execFileSync(tool, args).toString();

/**
 * Text without white space or hyphens, so a line broken differently on paper still matches
 * (pdftotext joins "work-" and "visa" at a line end into "workvisa").
 */
const squeeze = (text) => text.replace(/[\s\u00ad\u200b\-\u2010\u2011]+/g, "");

for (const lang of LANGUAGES) {
  test(`the ${lang} booklet prints on A6 with no item split across pages`, async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(`${server.url}/${lang}/booklet`);
    assert.equal(response.status(), 200);
    // Wait for the fonts the page uses, as a person would wait for the page before printing.
    await page.evaluate(() => document.fonts.ready);
    const items = await page.$$eval(".booklet .booklet-item", (nodes) => nodes.map((n) => n.textContent));
    const blocks = await page.$$eval(".booklet-block", (nodes) => nodes.length);
    assert.ok(items.length > 40 && blocks >= 10, `${items.length} items in ${blocks} blocks`);

    const pdf = join(RESULTS, `booklet-${lang}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true });
    await page.close();
    assert.deepEqual(errors, []);

    const info = poppler("pdfinfo", pdf);
    const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
    const [width, height] = info.match(/^Page size:\s+([\d.]+) x ([\d.]+)/m).slice(1).map(Number);
    assert.ok(Math.abs(width - A6[0]) < 2 && Math.abs(height - A6[1]) < 2, `page size ${width} × ${height}`);
    console.log(`# ${lang}: ${pages} A6 pages, ${items.length} items`);

    const onPage = [];
    for (let n = 1; n <= pages; n += 1) {
      onPage.push(squeeze(poppler("pdftotext", "-f", String(n), "-l", String(n), "-enc", "UTF-8", pdf, "-")));
    }
    // pdftotext gives Latin-script text back as written, so an item split across two pages
    // would be missing from every page's text. For Thai and Karen it does not (it drops Thai
    // leading vowels and reorders Karen clusters): there the same page-break rules hold, and
    // the PNGs of their pages are for a person to look at.
    if (["en", "vi"].includes(lang)) {
      const split = items.filter((item) => !onPage.some((text) => text.includes(squeeze(item))));
      assert.deepEqual(split, [], `${split.length} of ${items.length} items are not whole on any one page`);
    }
    // The cover comes first and carries the way back to the app.
    assert.ok(onPage[0].includes(squeeze(`${server.url}/${lang}/`)), "the cover shows the app's address");

    if (lang === "ksw") {
      // Karen set in the font the app ships, not in whatever the machine has, nor as boxes.
      const fonts = poppler("pdffonts", pdf);
      assert.match(fonts, /Karen/i, fonts);
    }
    poppler("pdftoppm", "-f", "1", "-l", "3", "-r", "72", "-png", pdf, join(RESULTS, `booklet-${lang}`));
  });
}
