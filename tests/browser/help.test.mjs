// Help requests in a real browser: sent online, sent later from the phone's outbox (with the
// page open or closed), refused with the server's reasons, and sent without JavaScript.
// Every time, the request arrives exactly once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { startServer, launchBrowser, watchErrors, querySql, addStaff } from "./server.mjs";

let server;
let browser;

const CASEWORKER = { username: "hoa", password: "a caseworker's long password" };

before(async () => {
  // Requests logged with their path, as an operator debugging would see them.
  server = await startServer({ env: { RUST_LOG: "info,tower_http=debug" } });
  browser = await launchBrowser();
  addStaff(server.db, CASEWORKER.username, "caseworker", CASEWORKER.password);
});

/** Signs a caseworker in, in a browser of their own; returns the page on the dashboard. */
async function dashboard() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/staff/requests`);
  await page.fill("#username", CASEWORKER.username);
  await page.fill("#password", CASEWORKER.password);
  await page.click("form.staff-form button[type=submit]");
  await page.waitForURL(`${server.url}/staff/requests`);
  return { context, page };
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

const stored = () => Number(querySql(server.db, "SELECT count(*) FROM help_request"));

/** Waits until the database holds `count` requests, checking as often as it can. */
async function waitForStored(count) {
  for (let tries = 0; tries < 600 && stored() !== count; tries++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(stored(), count);
}

async function fillIn(page, { contact = "0912 345 678", channel = "zalo" } = {}) {
  await page.check("#kind-not-paid");
  await page.selectOption("#country", "kr");
  await page.check(`#channel-${channel}`);
  await page.fill("#contact", contact);
  await page.fill("#name", "Lan");
  await page.check("#consent-box");
}

async function openForm(context, lang = "vi") {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/${lang}/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  return { page, errors };
}

test("sent online, the request is acknowledged with a reference and stored once", async () => {
  const before = stored();
  const context = await browser.newContext();
  const { page, errors } = await openForm(context);
  await fillIn(page);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-sent]:not([hidden])");
  const reference = await page.textContent("[data-help-sent] .reference");
  assert.match(reference, /[ACEFHKMNPRTWXY3479]{2}-[ACEFHKMNPRTWXY3479]{3}/);
  assert.equal(await page.locator("[data-help-sent] [data-country=kr]").isVisible(), true, "Korea's hotline");
  await waitForStored(before + 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("made offline, the request waits on the phone and arrives once when it is back online", async () => {
  const before = stored();
  const context = await browser.newContext();
  const { page, errors } = await openForm(context);
  await fillIn(page);
  await page.check("#keep");
  await context.setOffline(true);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  assert.equal(await page.locator("[data-help-pending] li").count(), 1);
  assert.equal(stored(), before, "nothing arrived while offline");

  await context.setOffline(false);
  await page.waitForSelector("[data-help-sent]:not([hidden])");
  await waitForStored(before + 1);
  const reference = (await page.textContent("[data-help-sent] .reference")).match(/[A-Z0-9]{2}-[A-Z0-9]{3}/)[0];
  // The caseworker sees it once, with what the person wrote.
  const staff = await dashboard();
  assert.equal(await staff.page.locator(`tr[data-reference="${reference}"]`).count(), 1);
  await staff.page.click(`tr[data-reference="${reference}"] a`);
  await staff.page.waitForSelector(`h1:has-text("${reference}")`);
  assert.match(await staff.page.textContent(".request-details"), /0912 345 678/);
  await staff.context.close();
  // Later page loads flush the outbox again: nothing is sent twice.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await page.waitForSelector("[data-help-kept]:not([hidden])");
  assert.match(await page.textContent("[data-help-kept]"), /[A-Z0-9]{2}-[A-Z0-9]{3}/, "the kept reference");
  assert.equal(await page.locator("[data-help-saved]").isVisible(), false);
  assert.equal(stored(), before + 1);
  assert.deepEqual(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});

test("made offline and the page closed, the request arrives once on the next visit", async () => {
  const before = stored();
  const context = await browser.newContext();
  const { page } = await openForm(context, "th");
  await fillIn(page, { channel: "line", contact: "somchai.k" });
  await context.setOffline(true);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  await page.close();

  await context.setOffline(false);
  const next = await context.newPage();
  await next.goto(`${server.url}/th/`);
  await waitForStored(before + 1);
  await next.reload();
  await next.goto(`${server.url}/th/help`);
  await next.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  assert.equal(await next.locator("[data-help-pending] li").count(), 0, "the outbox is empty");
  assert.equal(stored(), before + 1);
  await context.close();
});

test("a request the server refuses shows its reasons next to the fields", async () => {
  const before = stored();
  const context = await browser.newContext();
  const { page, errors } = await openForm(context, "ksw");
  await fillIn(page, { channel: "phone", contact: "call me" });
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("#contact-error");
  assert.match(await page.textContent("#contact-error"), /[\u1000-\u109F]/, "the reason is in Karen");
  assert.equal(await page.inputValue("#contact"), "call me", "the answer is kept");
  assert.equal(stored(), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript the form shows its errors, then sends once", async () => {
  const before = stored();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/en/checklists/forced-labour`);
  await page.check("#tick-wages-withheld");
  // The checklist's own form first: the server shows the advice, with "ask for help".
  await page.click("form.checklist button[type=submit]");
  await page.check("#attach");
  await page.click("form.ask-help button[type=submit]");
  await page.waitForSelector("form.help-form");
  assert.equal(page.url(), `${server.url}/en/help`, "nothing in the address");
  assert.equal(await page.isChecked("#kind-in-trouble-abroad"), true, "the kind the checklist asks for");
  assert.deepEqual(
    await page.$$eval("input[name=ticked]:checked", (boxes) => boxes.map((b) => b.value)),
    ["forced-labour/wages-withheld"],
  );
  await page.check("#channel-phone");
  await page.fill("#contact", "not a number");
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("#contact-error");
  assert.equal(await page.locator("#consent-error").count(), 1);
  assert.equal(await page.inputValue("#contact"), "not a number");
  await page.fill("#contact", "+66 81 234 5678");
  await page.check("#consent-box");
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector(".reference");
  assert.match(await page.textContent(".reference"), /[A-Z0-9]{2}-[A-Z0-9]{3}/);
  await waitForStored(before + 1);
  const reference = (await page.textContent(".reference")).match(/[A-Z0-9]{2}-[A-Z0-9]{3}/)[0];
  await context.close();
  // The one sign the person left ticked is what the caseworker reads.
  const staff = await dashboard();
  await staff.page.goto(`${server.url}/staff/requests/${reference}`);
  assert.equal(await staff.page.locator(".request-details dd ul li").count(), 1);
  await staff.context.close();
});

test("a checklist's ticked signs reach the help form only when the person chooses, and never an address", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const asked = [];
  page.on("request", (request) => asked.push(request.url()));
  await page.goto(`${server.url}/en/checklists/forced-labour`);
  await page.waitForSelector("html[data-islands=ready]");
  await page.check("#tick-wages-withheld");
  await page.click("form.ask-help button[type=submit]");
  await page.waitForURL(`${server.url}/en/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  assert.equal(await page.isChecked("#kind-in-trouble-abroad"), true, "the checklist's kind of help");
  assert.equal(await page.locator("input[name=ticked]").count(), 0, "nothing attached without the choice");

  // Back would leave the app (it keeps one history entry): open the checklist again.
  await page.goto(`${server.url}/en/checklists/forced-labour`);
  await page.waitForSelector("html[data-islands=ready]");
  await page.check("#tick-wages-withheld");
  await page.check("#tick-debt-bondage");
  await page.uncheck("#tick-debt-bondage");
  await page.check("#attach");
  await page.click("form.ask-help button[type=submit]");
  await page.waitForURL(`${server.url}/en/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  const attached = await page.$$eval("input[name=ticked]:checked", (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(attached, ["forced-labour/wages-withheld"], "only what is ticked now");
  assert.match(await page.textContent("fieldset#ticked"), /wage|pay/i, "shown as its words");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "the handover is read once");
  assert.deepEqual(asked.filter((url) => url.includes("ticked") || url.includes("wages-withheld")), [], "no address carried them");
  assert.doesNotMatch(server.output(), /wages-withheld/, "nor did the server's log");
  assert.deepEqual(errors, []);
  await context.close();
});

test("staff pages never reach the phone's caches", async () => {
  const staff = await dashboard();
  const { page } = staff;
  // The same browser has the public app and its worker too.
  await page.goto(`${server.url}/en/`);
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  await page.goto(`${server.url}/staff/requests`);
  await page.goto(`${server.url}/staff/export`);
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  assert.ok(cached.length > 0, "the public pages are kept");
  assert.deepEqual(cached.filter((url) => url.startsWith("/staff") || url.startsWith("/api")), []);
  await staff.context.close();
});

test("the staff pages have no serious or critical accessibility violation", async () => {
  const before = stored();
  const context = await browser.newContext();
  const { page } = await openForm(context, "en");
  await fillIn(page);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-sent]:not([hidden])");
  await waitForStored(before + 1);
  await context.close();

  const staff = await dashboard();
  const first = await staff.page.getAttribute("tr[data-reference] a", "href");
  const problems = [];
  for (const path of ["/staff/requests", first, "/staff/export", "/staff/account"]) {
    await staff.page.goto(`${server.url}${path}`);
    const results = await new AxeBuilder({ page: staff.page }).analyze();
    for (const violation of results.violations) {
      if (["serious", "critical"].includes(violation.impact)) {
        problems.push(`${path}: ${violation.id} (${violation.nodes.length}): ${violation.help}`);
      }
    }
  }
  await staff.context.close();
  const anonymous = await browser.newContext();
  const login = await anonymous.newPage();
  await login.goto(`${server.url}/staff/login`);
  for (const violation of (await new AxeBuilder({ page: login }).analyze()).violations) {
    if (["serious", "critical"].includes(violation.impact)) problems.push(`login: ${violation.id}: ${violation.help}`);
  }
  await anonymous.close();
  assert.deepEqual(problems, []);
});

test("what a person writes is sealed on disk; the caseworker reads every field, and after signing out nothing opens", async () => {
  const markers = {
    name: "Seal-Name Nguyễn Thị Hoà",
    contact: "+66 81 777 0101",
    place: "Seal-Place แม่สอด",
    safe_time: "Seal-Time หลังสองทุ่ม",
    message: "Seal-Message ကညီကျိာ် တၢ်ဃ့",
  };
  const before = stored();
  const context = await browser.newContext();
  const { page } = await openForm(context);
  await fillIn(page);
  for (const [field, value] of Object.entries(markers)) await page.fill(`#${field}`, value);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-sent]:not([hidden])");
  const reference = (await page.textContent("[data-help-sent] .reference")).match(/[A-Z0-9]{2}-[A-Z0-9]{3}/)[0];
  await waitForStored(before + 1);
  await context.close();

  const onDisk = ["", "-wal", "-shm"].map((end) => (existsSync(server.db + end) ? readFileSync(server.db + end) : Buffer.alloc(0)));
  for (const [field, value] of Object.entries(markers)) {
    assert.equal(onDisk.some((bytes) => bytes.includes(Buffer.from(value))), false, `${field} is on disk`);
  }
  assert.equal(onDisk.some((bytes) => bytes.includes(Buffer.from(reference))), true, "the scan finds the plain reference");

  const staff = await dashboard();
  await staff.page.goto(`${server.url}/staff/requests/${reference}`);
  const details = await staff.page.textContent(".request-details");
  for (const [field, value] of Object.entries(markers)) assert.ok(details.includes(value), `${field} reads right`);
  await staff.page.click("form[action='/staff/logout'] button");
  await staff.page.waitForURL(/\/staff\/login/);
  await staff.page.goto(`${server.url}/staff/requests/${reference}`);
  assert.match(staff.page.url(), /\/staff\/login/);
  const after = await staff.page.content();
  for (const value of Object.values(markers)) assert.equal(after.includes(value), false);
  await staff.context.close();
});
