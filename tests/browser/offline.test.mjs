// Offline use in a real browser: one visit keeps the whole language; an edited text costs
// only the pages that show it; a new build never mixes its HTML with the old WASM; "keep
// for offline" keeps all four languages; and the app is installable.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, runSql, RESULTS } from "./server.mjs";
import { chromium } from "playwright-core";

const LANGUAGES = ["en", "vi", "th", "ksw"];
const SITE = new URL("../../target/site", import.meta.url).pathname;
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page URLs the server says a language has. */
async function pagesOf(base, lang) {
  const manifest = await (await fetch(`${base}/${lang}/offline.json`)).json();
  return manifest.pages.map((p) => p.url).filter((url) => !url.endsWith(".webmanifest"));
}

/** Waits until the worker has finished a sync that this page saw. */
async function synced(page) {
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
}

async function newPage(context) {
  const page = await context.newPage();
  return { page, errors: watchErrors(page) };
}

for (const lang of LANGUAGES) {
  test(`after one visit in ${lang}, every page of it opens offline`, async () => {
    const context = await browser.newContext();
    const { page, errors } = await newPage(context);
    await page.goto(`${server.url}/${lang}/`);
    await synced(page);
    const urls = await pagesOf(server.url, lang);

    await context.setOffline(true);
    for (const url of urls) {
      const response = await page.goto(`${server.url}${url}`);
      assert.ok(response.ok(), `${url}: ${response.status()}`);
      assert.equal(await page.getAttribute("html", "lang"), lang, url);
      assert.equal(await page.locator("h1").count(), 1, url);
      assert.equal(await page.locator("[data-offline-fallback]").isVisible(), false, url);
    }
    assert.equal(await page.locator("[data-offline-note]").isVisible(), true, "the offline note shows");

    // The checklist island still works: its WASM is on the phone too.
    await page.goto(`${server.url}/${lang}/checklists/job-offer`);
    await page.waitForSelector("html[data-islands=ready]");
    const [first] = await page.$$eval("input[name=tick]", (boxes) => boxes.map((b) => b.id));
    await page.check(`#${first}`);
    assert.equal(await page.locator("#advice").isVisible(), true);

    // A page the phone never kept: the offline page, in the person's language.
    await page.goto(`${server.url}/${lang}/guides/not-kept-anywhere`);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.equal(await page.locator("[data-offline-fallback]").isVisible(), true);

    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("an edited text makes the worker fetch only the page that shows it", async () => {
  const context = await browser.newContext();
  const { page, errors } = await newPage(context);
  const url = `${server.url}/vi/checklists/job-offer`;
  await page.goto(url);
  await synced(page);

  await context.setOffline(true);
  await page.reload();
  // The page says it is the phone's copy, and from when.
  await page.waitForSelector("[data-cached-age]:not([hidden])");
  assert.match(await page.textContent("[data-cached-age]"), /\d{4}-\d{2}-\d{2}/);
  const item = await page.$eval("input[name=tick]", (box) => box.value);
  const edited = `Đã sửa ${Date.now()}`;
  runSql(
    server.db,
    "UPDATE content_text SET value = ? WHERE locale = 'vi' AND message_id = ?",
    edited,
    `checklist.job-offer.item.${item}.text`,
  );
  // Published from outside, as `passport translations publish` does: a new content version,
  // which the server notices within seconds. Wait until it serves the edit.
  runSql(
    server.db,
    "INSERT INTO content_version (version, published_at, changes) SELECT max(version) + 1, 'now', 1 FROM content_version",
  );
  while (!(await (await fetch(url)).text()).includes(edited)) {
    await new Promise((resolve) => setImmediate(resolve));
  }

  const fetched = [];
  context.on("request", (request) => {
    if (request.serviceWorker()) fetched.push(new URL(request.url()).pathname);
  });
  await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
  await context.setOffline(false);
  await page.waitForSelector("[data-update-ready]:not([hidden])");
  await synced(page);
  const pagesFetched = fetched.filter((path) => !path.endsWith("/offline.json"));
  assert.deepEqual(pagesFetched, ["/vi/checklists/job-offer"]);
  assert.ok(!(await page.content()).includes(edited), "the old copy is still on screen");

  await page.click("[data-reload]");
  await page.waitForSelector(`text=${edited}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new build never runs its HTML with the old WASM, online or offline", async () => {
  // A second build: the same bundle under new content-hash names, as a release would have.
  const site = mkdtempSync(join(tmpdir(), "passport-site-"));
  cpSync(SITE, site, { recursive: true });
  for (const name of readdirSync(join(site, "pkg"))) {
    const renamed = name.replace(/^passport\.([^.]+)\.(js|wasm|css)$/, "passport.$1next.$2");
    if (/\.(br|gz)$/.test(name)) rmSync(join(site, "pkg", name));
    else if (renamed !== name) renameSync(join(site, "pkg", name), join(site, "pkg", renamed));
  }
  const dir = mkdtempSync(join(tmpdir(), "passport-build-"));
  const first = await startServer({ dir });
  const context = await browser.newContext();
  const { page, errors } = await newPage(context);
  const wasmLoaded = [];
  page.on("request", (request) => {
    if (request.url().endsWith(".wasm")) wasmLoaded.push(new URL(request.url()).pathname);
  });
  const pageWasm = () => page.getAttribute('link[rel="preload"][type="application/wasm"]', "href");

  await page.goto(`${first.url}/en/checklists/job-offer`);
  await synced(page);
  const oldWasm = await pageWasm();
  await first.stop();

  const second = await startServer({ dir, site, addr: new URL(first.url).host });
  try {
    await page.goto(`${second.url}/en/checklists/job-offer`);
    await page.waitForSelector("html[data-islands=ready]");
    const newWasm = await pageWasm();
    assert.notEqual(newWasm, oldWasm);
    assert.equal(wasmLoaded.at(-1), newWasm, "the new page runs the new WASM");
    await synced(page);

    await context.setOffline(true);
    for (const path of ["/en/", "/en/checklists/job-offer", "/en/guides"]) {
      await page.goto(`${second.url}${path}`);
      await page.waitForSelector("html[data-islands=ready]");
      assert.equal(await pageWasm(), newWasm, path);
      assert.equal(wasmLoaded.at(-1), newWasm, `${path} runs the WASM it was built with`);
    }
    const keptWasm = await page.evaluate(async () => {
      const files = await caches.open("passport-files-v1");
      return (await files.keys()).map((r) => new URL(r.url).pathname).filter((p) => p.endsWith(".wasm"));
    });
    assert.deepEqual(keptWasm, [newWasm], "the old WASM is gone from the phone");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(site, { recursive: true, force: true });
  }
});

test("keep for offline keeps all four languages on one phone", async () => {
  const context = await browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(`${server.url}/en/offline`);
  await page.waitForSelector("[data-keep-offline]:not([hidden])");
  await synced(page);
  for (const lang of LANGUAGES) {
    await page.check(`#keep-${lang}`);
  }
  await page.waitForFunction(() => /\d+ KB/.test(document.querySelector("[data-offline-size]").textContent));
  await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
  await page.click("[data-keep-offline] button[type=submit]");
  await synced(page);
  await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "yes");
  const progress = await page.$eval("progress", (bar) => [bar.value, bar.max]);
  assert.equal(progress[0], progress[1], "the progress bar is full");
  assert.match(await page.textContent("[data-offline-state]"), /\d{4}-\d{2}-\d{2}/);
  // "Ready" and a size still to download would contradict each other.
  await page.waitForFunction(() => document.querySelector("[data-offline-size]").textContent === "");
  // Whether the browser granted persistent storage, in the page's words (either answer).
  await page.waitForFunction(() => document.querySelector("[data-persist]").textContent.trim() !== "");

  await context.setOffline(true);
  for (const lang of LANGUAGES) {
    for (const path of ["/", "/contacts", "/guides/taiwan", "/checklists/forced-labour"]) {
      const response = await page.goto(`${server.url}/${lang}${path}`);
      assert.ok(response.ok(), `${lang}${path}`);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.equal(await page.locator("[data-offline-fallback]").count(), 0, `${lang}${path}`);
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("the web app manifest is valid and Chromium can install the app", async () => {
  // Installability needs a normal profile: Playwright's contexts count as incognito.
  const profile = mkdtempSync(join(tmpdir(), "passport-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/th/`);
    await synced(page);
    await page.reload();
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
    assert.match(manifest.url, /\/th\/manifest\.webmanifest$/);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    await page.screenshot({ path: join(RESULTS, "th-home-installable.png") });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
