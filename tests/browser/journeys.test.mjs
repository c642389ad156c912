// The phone journeys as a new user walks them, on a 360×740 screen: the promises the app
// makes to people who may be watched (Back never brings the app back; a request is never
// lost or sent twice), and the traps a first visit found (a Burmese phone, a tick lost to a
// citation, a caseworker's note lost to an ended session).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, querySql, runSql, addStaff, RESULTS } from "./server.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
// Where the person was before they opened the app.
const BEFORE = "data:text/html,<title>before</title><p>before the app</p>";
const CASEWORKER = { username: "minh", password: "a caseworker's long password" };
const SHOTS = join(RESULTS, "journeys");

let server;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ env: { PASSPORT_EXIT_URL: "about:blank" } });
  browser = await launchBrowser();
  addStaff(server.db, CASEWORKER.username, "caseworker", CASEWORKER.password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const stored = () => Number(querySql(server.db, "SELECT count(*) FROM help_request"));
const ready = (page) => page.waitForSelector("html[data-islands=ready]");
const synced = (page) => page.waitForFunction(() => document.documentElement.dataset.offlineSynced);

/** A phone that was on another site, then opened the app at `path` and waited until the
 * app was kept offline. */
async function arrive(path) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(BEFORE);
  await page.goto(`${server.url}${path}`);
  await synced(page);
  await ready(page);
  return { context, page, errors };
}

/** Follows the app's own link to `href`, as a person taps it. */
async function tap(page, href) {
  await Promise.all([page.waitForURL(`${server.url}${href}`), page.click(`a[href="${href}"]`)]);
  await ready(page);
}

async function back(page) {
  await page.goBack();
  await page.waitForLoadState();
  return page.url();
}

for (const offline of [false, true]) {
  test(`after quick exit ${offline ? "offline" : "online"}, Back goes to where the person was before the app`, async () => {
    const { context, page } = await arrive("/vi/");
    await tap(page, "/vi/checklists");
    await tap(page, "/vi/checklists/job-offer");
    await tap(page, "/vi/help");
    await context.setOffline(offline);
    const away = offline ? `${server.url}/vi/weather` : "about:blank";
    await Promise.all([page.waitForURL(away), page.click(".quick-exit")]);
    assert.equal(await back(page), BEFORE, "no app page is one Back away");
    assert.equal(await page.title(), "before");
    await context.close();
  });
}

test("after clearing the phone, Back shows no app page and a reload brings nothing back", async () => {
  const { context, page } = await arrive("/vi/");
  // A second tab with the app, left open while the first one clears.
  const other = await context.newPage();
  await other.goto(`${server.url}/vi/guides`);
  await ready(other);
  await tap(page, "/vi/privacy");
  await page.waitForFunction(() => document.documentElement.dataset.clearReady === "yes");
  await Promise.all([page.waitForURL("about:blank"), page.click("form[data-clear] button")]);
  assert.equal(await back(page), BEFORE, "Back lands before the app");
  assert.deepEqual(await context.cookies(), [], "no cookie came back");

  await other.reload();
  await other.waitForFunction(() => document.documentElement.dataset.worker);
  const left = await other.evaluate(async () => ({
    decided: document.documentElement.dataset.worker,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((db) => db.name),
  }));
  assert.deepEqual(left, { decided: "no", workers: 0, caches: [], databases: [] }, "the reload rebuilt nothing");
  await other.close();
  const probe = await context.newPage();
  await probe.goto(`${server.url}/healthz`);
  assert.equal(await probe.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  await context.close();
});

/** Fills the help form as a person who chose LINE, with `contact` as their LINE id. */
async function fillLine(page, contact) {
  await page.check("#kind-not-paid");
  await page.selectOption("#country", "th");
  await page.check("#channel-line");
  await page.fill("#contact", contact);
  await page.check("#consent-box");
}

const outboxCount = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const opening = indexedDB.open("passport-outbox");
        opening.onsuccess = () => {
          const db = opening.result;
          if (!db.objectStoreNames.contains("requests")) return resolve(0);
          const counting = db.transaction("requests").objectStore("requests").count();
          counting.onsuccess = () => resolve(counting.result);
        };
      }),
  );

test("offline, a checklist's ticked signs reach the phone's copy of the help form, with no address", async () => {
  const { context, page, errors } = await arrive("/en/checklists/forced-labour");
  await context.setOffline(true);
  await page.check("#tick-wages-withheld");
  await page.check("#attach");
  await page.click("form.ask-help button[type=submit]");
  await page.waitForURL(`${server.url}/en/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  assert.equal(await page.isChecked("#kind-in-trouble-abroad"), true);
  assert.deepEqual(
    await page.$$eval("input[name=ticked]:checked", (boxes) => boxes.map((b) => b.value)),
    ["forced-labour/wages-withheld"],
  );
  const kept = await page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) keys.push(request.url);
    }
    return keys;
  });
  assert.deepEqual(kept.filter((url) => url.includes("?") && !/\?v=/.test(url)), [], "no kept copy under a query");
  assert.deepEqual(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});

test("offline, a form the server would refuse is corrected on the phone, never reported saved", async () => {
  const { context, page, errors } = await arrive("/en/help");
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await fillLine(page, "");
  await context.setOffline(true);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-problem='help-error-contact-missing']:not([hidden])");
  assert.equal(await page.locator("[data-help-saved]").isVisible(), false, "not reported saved");
  assert.equal(await outboxCount(page), 0, "nothing queued");
  assert.match(await page.textContent("[data-problems]"), /Write your number/);
  await page.screenshot({ path: join(SHOTS, "checked-on-the-phone.png") });
  assert.deepEqual(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});

test("a queued request the server refuses is kept with its answers, shown at the next visit, and resent once", async () => {
  const before = stored();
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  // The page's island has not loaded yet (a slow phone): the form is queued unchecked. The
  // worker, which the page's own routes do not reach, still keeps the app.
  await page.route("**/pkg/*.wasm", (route) => route.abort());
  await page.goto(`${server.url}/en/help`);
  await synced(page);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await fillLine(page, "");
  await page.fill("#name", "Naw Paw");
  await context.setOffline(true);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  await page.close();

  // Back online on another page: the server refuses it, and the page says so.
  await context.unroute("**/pkg/*.wasm");
  await context.setOffline(false);
  const next = await context.newPage();
  await next.goto(`${server.url}/en/guides`);
  await next.waitForSelector("[data-help-refused-note]:not([hidden])");
  assert.equal(stored(), before, "nothing stored");
  await next.screenshot({ path: join(SHOTS, "refused-note.png") });

  await Promise.all([next.waitForURL(`${server.url}/en/help`), next.click("[data-help-refused-note] a")]);
  await next.waitForSelector("[data-help-refused]:not([hidden])");
  assert.equal(await next.isChecked("#channel-line"), true, "the answers are back");
  assert.equal(await next.inputValue("#name"), "Naw Paw");
  assert.equal(await next.locator("[data-problem='help-error-contact-missing']").first().isVisible(), true);
  assert.equal(await outboxCount(next), 1, "the request is still on the phone");
  await next.screenshot({ path: join(SHOTS, "refused-to-correct.png") });

  await next.fill("#contact", "nawpaw.line");
  await next.click("form.help-form button[type=submit]");
  await next.waitForSelector("[data-help-sent]:not([hidden])");
  assert.equal(stored(), before + 1);
  assert.equal(await outboxCount(next), 0);
  await context.close();
});

test("one filled form is one request: after 'saved' the form gives way, and a second send reuses its id", async () => {
  const before = stored();
  const { context, page } = await arrive("/th/help");
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await context.route("**/api/v1/help-requests", (route) => route.abort());
  // Counts the worker's "saved" answers, one per request put in the outbox.
  await page.evaluate(() => {
    window.savedAnswers = 0;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "help-saved") window.savedAnswers += 1;
    });
  });
  await fillLine(page, "somchai.k");
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  assert.equal(await page.locator("form.help-form").isVisible(), false, "the form gave way to the note");
  // A second tap, however it comes, is the same request.
  await page.evaluate(() => document.querySelector("form.help-form").requestSubmit());
  await page.waitForFunction(() => window.savedAnswers === 2);
  assert.equal(await outboxCount(page), 1);

  await context.unroute("**/api/v1/help-requests");
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("[data-help-pending] li").length === 0);
  assert.equal(stored(), before + 1, "stored once");
  await context.close();
});

for (const locale of ["my-MM", "fr-FR"]) {
  test(`a phone set to ${locale} is asked for its language, and the choice is remembered`, async () => {
    const context = await browser.newContext({ ...PHONE, locale });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, "/", "not sent to English");
    const choices = await page.$$eval("a[hreflang]", (links) => links.map((a) => [a.lang, a.getAttribute("href")]));
    assert.deepEqual(choices, [["en", "/en/"], ["vi", "/vi/"], ["th", "/th/"], ["ksw", "/ksw/"]]);
    const karen = page.locator('a[hreflang="ksw"]');
    const box = await karen.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 200, `a large button: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(SHOTS, `choice-${locale}.png`) });
    await Promise.all([page.waitForURL(`${server.url}/ksw/`), karen.click()]);
    await page.goto(`${server.url}/`);
    assert.equal(page.url(), `${server.url}/ksw/`, "the choice is remembered");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a tap anywhere on a sign's words ticks it, in every language", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  for (const lang of ["en", "vi", "th", "ksw"]) {
    await page.goto(`${server.url}/${lang}/checklists/job-offer`);
    await ready(page);
    const labels = await page.$$("form.checklist .check label");
    assert.ok(labels.length >= 5, `${lang}: ${labels.length} signs`);
    for (const label of labels) {
      await label.evaluate((element) => element.scrollIntoView({ block: "center" }));
      const box = await label.boundingBox();
      assert.ok(box.height >= 44 && box.width >= 44, `${lang}: a 44 px target, ${JSON.stringify(box)}`);
      // The end of the label's last line, where the source's number used to sit.
      const end = await label.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const rects = [...range.getClientRects()];
        const last = rects[rects.length - 1];
        return { x: last.right - 2, y: last.top + last.height / 2 };
      });
      const target = await label.getAttribute("for");
      const was = await page.isChecked(`#${target}`);
      await page.touchscreen.tap(end.x, end.y);
      // The tap either ticks the box or follows a link: wait for whichever it did.
      await page.waitForFunction(([id, before]) => document.getElementById(id).checked !== before || location.hash, [target, was]);
      const ticked = await page.isChecked(`#${target}`);
      assert.equal(ticked, !was, `${lang}: "${await label.textContent()}" ticks`);
      assert.equal(new URL(page.url()).hash, "", `${lang}: no jump to the sources`);
    }
  }
  await context.close();
});

test("a caseworker's note written as the session ended is back in the form after signing in", async () => {
  const id = crypto.randomUUID();
  const sent = await fetch(`${server.url}/api/v1/help-requests`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id, kind: "not-paid", country: "kr", channel: "zalo", contact: "0912 345 678", language: "vi", consent: true }),
  });
  const { reference } = await sent.json();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/staff/requests/${reference}`);
  await page.fill("#username", CASEWORKER.username);
  await page.fill("#password", CASEWORKER.password);
  await Promise.all([page.waitForURL(`${server.url}/staff/requests/${reference}`), page.click("form.staff-form button[type=submit]")]);
  const note = "Called at 18:00, she asks us to call on Zalo after 20:00.";
  await page.fill("#note", note);
  // The session ends while the caseworker writes (expiry, or signed out elsewhere).
  runSql(server.db, "DELETE FROM staff_session");
  await page.click("form:has(#note) button[type=submit]");
  await page.waitForSelector("#sign-in-problem");
  assert.match(await page.textContent("#sign-in-problem"), /session has ended/);
  await page.fill("#username", CASEWORKER.username);
  await page.fill("#password", CASEWORKER.password);
  await Promise.all([page.waitForURL(`${server.url}/staff/requests/${reference}`), page.click("form.staff-form button[type=submit]")]);
  assert.equal(await page.inputValue("#note"), note, "the note is still in the form");
  await page.click("form:has(#note) button[type=submit]");
  await page.waitForSelector(`.note-body:has-text("${note}")`);
  assert.equal(Number(querySql(server.db, "SELECT count(*) FROM help_note")), 1);
  assert.deepEqual(errors.filter((e) => !e.includes("401 (Unauthorized)")), [], "only the ended session's answer");
  await context.close();
});
