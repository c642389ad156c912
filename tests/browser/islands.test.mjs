// The Karen home page in a real browser: the island hydrates, the app's own Karen font
// renders the text, and nothing errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, RESULTS } from "./server.mjs";

let server;
let browser;

before(async () => {
  // A neutral page that needs no network, so the test sees where quick exit lands.
  server = await startServer({ env: { PASSPORT_EXIT_URL: "about:blank" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the Karen home page hydrates, shows Karen letters, and quick exit leaves the app", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);

  await page.goto(`${server.url}/ksw/`);
  assert.equal(await page.getAttribute("html", "lang"), "ksw");
  await page.waitForSelector("html[data-islands=ready]");

  // The text is drawn with the font the app ships, not whatever the phone happens to have.
  const karenFont = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts]
      .filter((face) => face.family.replaceAll('"', "") === "Passport Karen")
      .map((face) => face.status);
  });
  assert.deepEqual(karenFont, ["loaded"]);
  const heading = await page.textContent("h1");
  assert.match(heading, /[\u1000-\u109F]/, "the heading is in Myanmar script");

  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, "ksw-home.png"), fullPage: true });

  // Esc twice only works once the island's WASM is running.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.waitForURL("about:blank");
  // location.replace: Back does not return to the app.
  await page.goBack();
  assert.ok(!page.url().includes("/ksw/"), `Back returned to ${page.url()}`);

  assert.deepEqual(errors, []);
  await context.close();
});

test("a tap on quick exit replaces the page, so Back cannot return to the app", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  // A first page in the history, as if the person came from elsewhere.
  const before = "data:text/html,<title>before</title>";
  await page.goto(before);
  await page.goto(`${server.url}/vi/`);
  await page.waitForSelector("html[data-islands=ready]");

  await page.click(".quick-exit");
  await page.waitForURL("about:blank");
  await page.goBack();
  assert.equal(page.url(), before, "Back skipped the app's page");

  assert.deepEqual(errors, []);
  await context.close();
});
