// The editors' workspace in a real browser: an editor fixes a Thai text and publishes it,
// and a phone that was offline picks up exactly the pages that show it; an English change
// marks the other languages outdated.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, watchErrors, addStaff, querySql } from "./server.mjs";

const EDITOR = { username: "dao", password: "an editor's long password" };
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addStaff(server.db, EDITOR.username, "editor", EDITOR.password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs the editor in, in a browser of their own; returns the page on the workspace. */
async function workspace() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/staff/translations`);
  await page.fill("#username", EDITOR.username);
  await page.fill("#password", EDITOR.password);
  await page.click("form.staff-form button[type=submit]");
  await page.waitForURL(`${server.url}/staff/translations`);
  return { context, page };
}

/** The count a summary row shows for a locale in one state column. */
async function count(page, locale, state) {
  return Number(await page.textContent(`a[href="/staff/translations/${locale}?state=${state}"]`));
}

test("an editor fixes a Thai text, publishes it, and an offline phone gets only that page", async () => {
  // The phone keeps the Thai pages, then loses its connection.
  const phone = await browser.newContext();
  const page = await phone.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/th/checklists/job-offer`);
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  const item = await page.$eval("input[name=tick]", (box) => box.value);
  await phone.setOffline(true);

  const { context, page: editor } = await workspace();
  const id = `checklist.job-offer.item.${item}.text`;
  await editor.goto(`${server.url}/staff/translations/th?q=${encodeURIComponent(id)}`);
  await editor.click(`a[href*="id=${id}"]`);
  // No digits: a run of them would look like a phone number, which the editor warns about.
  const fixed = "ข้อความนี้บรรณาธิการแก้แล้ว";
  await editor.fill("#value", fixed);
  await editor.click("button[name=status][value=reviewed]");
  await editor.waitForURL(/saved=1/);
  await editor.waitForSelector("[role=status]");
  assert.equal(querySql(server.db, "SELECT count(*) FROM pending_text"), "1");
  await editor.goto(`${server.url}/staff/translations`);
  await editor.click("form[action='/staff/translations/publish'] button");
  await editor.waitForSelector("text=Published content version: 2");
  await context.close();

  const fetched = [];
  phone.on("request", (request) => {
    if (request.serviceWorker()) fetched.push(new URL(request.url()).pathname);
  });
  await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
  await phone.setOffline(false);
  await page.waitForSelector("[data-update-ready]:not([hidden])");
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  const pages = fetched.filter((path) => !path.endsWith("/offline.json"));
  assert.deepEqual(pages, ["/th/checklists/job-offer"]);
  await page.click("[data-reload]");
  await page.waitForSelector(`text=${fixed}`);
  assert.deepEqual(errors, []);
  await phone.close();
});

test("an English source change marks the other three languages outdated", async () => {
  const { context, page } = await workspace();
  const before = await Promise.all(["vi", "th", "ksw"].map((l) => count(page, l, "outdated")));
  await page.goto(`${server.url}/staff/translations/en/edit?kind=content&id=checklist.job-offer.intro`);
  const english = await page.inputValue("#value");
  await page.fill("#value", `${english} Read every line.`);
  await page.click("button[name=status][value=reviewed]");
  await page.waitForURL(/saved=1/);
  await page.goto(`${server.url}/staff/translations`);
  await page.click("form[action='/staff/translations/publish'] button");
  await page.waitForURL(`${server.url}/staff/translations`);
  const after = await Promise.all(["vi", "th", "ksw"].map((l) => count(page, l, "outdated")));
  assert.deepEqual(
    after,
    before.map((n) => n + 1),
  );
  await page.click(`a[href="/staff/translations/th?state=outdated"]`);
  await page.waitForSelector("text=checklist.job-offer.intro");
  await context.close();
});
