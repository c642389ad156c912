// Safety in a real browser: no page in any language asks another origin for anything, and
// the Content-Security-Policy blocks nothing the app itself needs (islands, worker, fonts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, watchErrors } from "./server.mjs";

const LANGUAGES = ["en", "vi", "th", "ksw"];
let server;
let browser;

before(async () => {
  server = await startServer({ env: { PASSPORT_EXIT_URL: "about:blank" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("no public page in any language makes a cross-origin request or breaks the CSP", async () => {
  const context = await browser.newContext();
  const foreign = [];
  context.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(server.url) && !url.startsWith("data:")) foreign.push(url);
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  // The worker's sync, too, stays on this origin.
  await page.goto(`${server.url}/en/`);
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  let checked = 0;
  for (const lang of LANGUAGES) {
    const manifest = await (await fetch(`${server.url}/${lang}/offline.json`)).json();
    // Every page the phone keeps, and the booklet, which is for printing and not kept.
    const pages = manifest.pages.map((p) => p.url).filter((url) => !url.endsWith(".webmanifest"));
    pages.push(`/${lang}/booklet`);
    assert.ok(pages.includes(`/${lang}/help`) && pages.length > 10, `${lang}: ${pages.length} pages`);
    for (const url of pages) {
      const response = await page.goto(`${server.url}${url}`);
      assert.equal(response.status(), 200, url);
      assert.ok(response.headers()["content-security-policy"], `${url} has a CSP`);
      checked += 1;
    }
    // The islands still run under the policy: their WASM compiles and the checklist reacts.
    await page.goto(`${server.url}/${lang}/checklists/job-offer`);
    await page.waitForSelector("html[data-islands=ready]");
    const [first] = await page.$$eval("input[name=tick]", (boxes) => boxes.map((b) => b.id));
    await page.check(`#${first}`);
    assert.equal(await page.locator("#advice").isVisible(), true, lang);
  }
  assert.deepEqual(foreign, [], `checked ${checked} pages`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("clear this phone leaves nothing of the app in the browser, after warning about an unsent request", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/en/`);
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);

  // A help request that cannot get through waits in the outbox.
  await context.route("**/api/v1/help-requests", (route) => route.abort());
  await page.goto(`${server.url}/en/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await page.check("#kind-not-paid");
  await page.check("#channel-line");
  await page.fill("#contact", "somchai.k");
  await page.check("#consent-box");
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  await page.evaluate(() => localStorage.setItem("probe", "kept"));
  assert.ok((await context.cookies()).length > 0, "the language cookie is set");

  await page.goto(`${server.url}/en/privacy`);
  await page.waitForFunction(() => document.documentElement.dataset.clearReady === "yes");
  await page.click("form[data-clear] button");
  await page.waitForSelector("[data-clear-warning]:not([hidden])");
  assert.equal(page.url(), `${server.url}/en/privacy`, "nothing is cleared before the warning is answered");
  await Promise.all([page.waitForURL("about:blank"), page.click("[data-clear-warning] button")]);

  const left = await context.newPage();
  await left.goto(`${server.url}/healthz`);
  const stored = await left.evaluate(async () => ({
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((db) => db.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    local: localStorage.length,
  }));
  assert.deepEqual(stored, { caches: [], databases: [], workers: 0, local: 0 });
  assert.deepEqual(await context.cookies(), []);
  assert.deepEqual(errors.filter((e) => !e.includes("/api/v1/help-requests")), [], "only the blocked request failed");
  await context.close();
});

/** Opens `path` in a fresh tab, leaves with quick exit (`how`: a click or Esc twice), and
 * returns the tab's URL and history length afterwards. */
async function quickExit(context, path, how) {
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector("html[data-islands=ready]");
  const before = await page.evaluate(() => history.length);
  const left = page.waitForURL((url) => !url.href.endsWith(path));
  if (how === "click") {
    await page.click(".quick-exit");
  } else {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
  }
  await left;
  const url = page.url();
  const grew = (await page.evaluate(() => history.length)) - before;
  // Back leads out of the tab's history, never into the app.
  await page.goBack().catch(() => null);
  const back = page.url();
  return { url, grew, back, page };
}

test("quick exit leaves at once by click or Esc twice, online and offline, with no way Back", async () => {
  const context = await browser.newContext();
  // The guide for someone held in a scam compound is where it matters most.
  for (const path of ["/vi/checklists/job-offer", "/vi/guides/held-in-a-scam-compound"]) {
    for (const how of ["click", "esc"]) {
      const online = await quickExit(context, path, how);
      assert.equal(online.url, "about:blank", `${path} ${how}`);
      assert.equal(online.grew, 0, `${path} ${how}: the app's page was replaced, not left behind`);
      assert.ok(!online.back.startsWith(server.url), `${path} ${how}: Back goes to ${online.back}`);
      await online.page.close();
    }
  }
  await context.close();
  // With no network it goes to the plain weather page the phone keeps, in the same language.
  const phone = await browser.newContext();
  const first = await phone.newPage();
  await first.goto(`${server.url}/th/`);
  await first.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  await phone.setOffline(true);
  const neutral = await phone.newPage();
  await neutral.goto(`${server.url}/th/weather`);
  assert.ok(!(await neutral.textContent("body")).includes("Passport"), "it names nothing of the app");
  assert.equal(await neutral.locator("script").count(), 0);
  await neutral.close();
  for (const path of ["/th/contacts", "/th/guides/held-in-a-scam-compound"]) {
    for (const how of ["click", "esc"]) {
      const offline = await quickExit(phone, path, how);
      assert.equal(offline.url, `${server.url}/th/weather`, `${path} ${how}`);
      assert.equal(offline.grew, 0, `${path} ${how}: the app's page was replaced, not left behind`);
      assert.ok(!offline.back.startsWith(`${server.url}${path}`), `${path} ${how}: Back goes to ${offline.back}`);
      await offline.page.close();
    }
  }
  await phone.close();
});
