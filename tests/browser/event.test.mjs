// Event mode on a shared tablet: big language buttons to start, back to them after a short
// idle time (2 s here; minutes at a real event), and a help form that clears itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, watchErrors, querySql } from "./server.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ env: { PASSPORT_EVENT: "true", PASSPORT_EVENT_IDLE: "2" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a shared tablet starts from the language buttons and goes back to them when left alone", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/`);
  await page.click('a.event-language[lang="vi"]');
  await page.waitForURL(`${server.url}/vi/`);

  await page.goto(`${server.url}/vi/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  assert.equal(await page.locator("#keep").count(), 0, "no reference is kept on a shared device");
  await page.check("#kind-not-paid");
  await page.check("#channel-zalo");
  await page.fill("#contact", "0912 345 678");
  await page.fill("#name", "Lan");
  await page.check("#consent-box");
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-sent]:not([hidden])");
  assert.equal(await page.inputValue("#contact"), "", "what was typed is gone");
  assert.equal(await page.inputValue("#name"), "");
  assert.equal(querySql(server.db, "SELECT count(*) FROM help_request"), "1", "stored as usual");

  // Left alone, the page goes back to the start, replacing itself.
  await page.waitForURL(`${server.url}/`);
  assert.equal(await page.locator("a.event-language").count(), 4);
  await page.goBack().catch(() => null);
  assert.ok(!page.url().endsWith("/vi/help"), `Back went to ${page.url()}`);
  assert.deepEqual(errors, []);
  await context.close();
});
