// The Karen review sheet as a native reviewer gets it: an editor opens it in the workspace
// and prints it to PDF, as the browser's print does. The PDF is read back with poppler:
// every text of the language is in it, with a box for the reviewer, Karen is set in the
// app's own Karen font, and the glossary comes last. The command-line sheet carries the
// same texts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, addStaff, runPassport, RESULTS } from "./server.mjs";

const EDITOR = { username: "naw", password: "a reviewer's long password" };
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addStaff(server.db, EDITOR.username, "editor", EDITOR.password);
  mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const poppler = (tool, ...args) => execFileSync(tool, args, { maxBuffer: 64 << 20 }).toString();
/** Text without white space or hyphens: an id wrapped in a narrow cell still matches. */
const squeeze = (text) => text.replace(/[\s\u00ad\u200b\-\u2010\u2011]+/g, "");

test("the Karen review sheet prints to a PDF with every text, a box for each, and the glossary", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/staff/translations/ksw/sheet`);
  await page.fill("#username", EDITOR.username);
  await page.fill("#password", EDITOR.password);
  await page.click("form.staff-form button[type=submit]");
  await page.waitForSelector("table.sheet");
  const ids = await page.$$eval("table.sheet td:first-child code", (cells) => cells.map((c) => c.textContent));
  assert.ok(ids.length > 300, `${ids.length} texts`);
  assert.equal(await page.locator("td.sheet-box").count(), ids.length, "one box per text");

  const pdf = join(RESULTS, "review-sheet-ksw.pdf");
  await page.pdf({ path: pdf, format: "A4" });
  // -raw keeps the order the text was drawn in, cell by cell: an id wrapped in its narrow
  // column stays whole, where -layout interleaves it with the next column.
  const text = squeeze(poppler("pdftotext", "-raw", pdf, "-"));
  const missing = ids.filter((id) => !text.includes(squeeze(id)));
  assert.deepEqual(missing, [], "every text's id is in the PDF");
  const fonts = poppler("pdffonts", pdf);
  assert.match(fonts, /Karen/i, fonts);
  assert.ok(text.lastIndexOf("Glossary") > text.indexOf(squeeze(ids[ids.length - 1])), "the glossary comes last");
  assert.deepEqual(errors, []);
  await context.close();

  // The command line makes the same sheet, with the Karen font inline.
  const out = join(RESULTS, "review-sheet-ksw.html");
  await runPassport(["translations", "sheet", "--locale", "ksw", "--out", out, "--db", server.db]);
  const html = readFileSync(out, "utf8");
  for (const id of ids) assert.ok(html.includes(`<code>${id}</code>`), id);
  assert.match(html, /@font-face\{font-family:PassportKaren;src:url\(data:font\/woff2;base64,/);
});
