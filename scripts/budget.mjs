// Size budget: what a phone downloads for the home page on a first visit with an empty
// cache, as Chromium reports it (brotli wherever the server offers it). Prints figures; it
// judges nothing. Run after a release build:  node scripts/budget.mjs
//
// Budgets (issue "Foundation"): the home page at most 100 KB over the wire without the font,
// the islands' WASM at most 60 KB brotli. (Issue "Offline"): one language's offline pack at
// most 300 KB, all four at most 800 KB, one changed text at most 15 KB to update; and the time
// from a cold first visit to "ready offline" on Chromium's "Slow 4G" profile. (Issue "Listen"):
// each language's audio with a test clip for every text, the offline pack with and without
// it, one sign's clip and one checklist's audio; the WASM (first-visit table) must not grow.
import net from "node:net";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, runSql, runPassport } from "../tests/browser/server.mjs";

const LANGUAGES = ["en", "vi", "th", "ksw"];
const kindOf = (url, type) => {
  if (url.pathname.startsWith("/fonts/")) return "font";
  if (url.pathname.endsWith(".wasm")) return "wasm";
  if (url.pathname.endsWith(".js")) return "js";
  if (url.pathname.endsWith(".css")) return "css";
  return type === "document" ? "html" : "other";
};
const synced = (page) => page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
const sum = (pairs) => pairs.reduce((total, [, bytes]) => total + bytes, 0);
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
  // Straight from the server: a service worker in between hides the sizes.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  for (const lang of LANGUAGES) {
    const paths = [`/${lang}/contacts`];
    for (const list of ["checklists", "guides"]) {
      const html = await (await fetch(`${server.url}/${lang}/${list}`)).text();
      paths.push(`/${lang}/${list}`);
      paths.push(...[...html.matchAll(new RegExp(`href="(/${lang}/${list}/[^"]+)"`, "g"))].map((m) => m[1]));
    }
    for (const path of paths) {
      const response = await page.goto(`${server.url}${path}`);
      const sizes = await response.request().sizes();
      const encoding = response.headers()["content-encoding"] ?? "none";
      console.log(`  ${path.padEnd(44)} ${kb(sizes.responseBodySize)}  (${encoding})`);
    }
  }
  await context.close();
  await firstVisit(server, browser);
  await offline(server, browser);
  await audio(server, browser);
} finally {
  await browser.close();
  await server.stop();
}

/** Bytes the service worker downloaded in `context` while `action` ran. */
async function workerBytes(context, action) {
  const done = [];
  const listener = (request) => {
    if (request.serviceWorker()) done.push(request.sizes().then((s) => [request.url(), s.responseBodySize + s.responseHeadersSize]));
  };
  context.on("requestfinished", listener);
  await action();
  context.off("requestfinished", listener);
  return Promise.all(done);
}


async function offline(server, browser) {
  console.log("\noffline packs: what the service worker downloads, measured in Chromium");
  const all = new Map();
  const packs = {};
  for (const lang of LANGUAGES) {
    const manifest = await (await fetch(`${server.url}/${lang}/offline.json`)).json();
    for (const entry of [...manifest.pages, ...manifest.files]) all.set(entry.url, entry.bytes);
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = await workerBytes(context, async () => {
      await page.goto(`${server.url}/${lang}/`);
      await synced(page);
    });
    packs[lang] = sum(fetched);
    const listed = [...manifest.pages, ...manifest.files].reduce((total, e) => total + e.bytes, 0);
    const pageBytes = sum(fetched.filter(([url]) => !/\/(pkg|fonts|icons)\/|\?v=/.test(url)));
    console.log(`  ${lang.padEnd(4)} whole pack ${kb(listed)} (server's count, brotli); the worker fetched ${kb(sum(fetched))} in ${fetched.length} requests after the first page (pages ${kb(pageBytes).trim()}); budget 300 KB`);
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/en/offline`);
  await synced(page);
  for (const lang of LANGUAGES) await page.check(`#keep-${lang}`);
  const more = await workerBytes(context, async () => {
    await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
    await page.click("[data-keep-offline] button[type=submit]");
    await synced(page);
  });
  const serverCount = [...all.values()].reduce((a, b) => a + b, 0);
  console.log(`  all four on one phone: ${kb(packs.en + sum(more))} (English first, then the other three); server's own count ${kb(serverCount)}; budget 800 KB`);

  // One edited text: the phone downloads the manifests and the one page that shows it.
  const item = await (await fetch(`${server.url}/vi/checklists/job-offer`)).text();
  const id = item.match(/name="tick" value="([^"]+)"/)[1];
  const before = (await (await fetch(`${server.url}/vi/offline.json`)).json()).version;
  runSql(server.db, "UPDATE content_text SET value = value || ' ' WHERE locale = 'vi' AND message_id = ?", `checklist.job-offer.item.${id}.text`);
  // A new content version, as a publish makes: the server sees it and renders the pages anew.
  runSql(server.db, "INSERT INTO content_version (version, published_at, published_by, changes) SELECT max(version) + 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'budget', 1 FROM content_version");
  while ((await (await fetch(`${server.url}/vi/offline.json`)).json()).version === before) {
    await new Promise((next) => setTimeout(next, 100));
  }
  const update = await workerBytes(context, async () => {
    await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
    await context.setOffline(true);
    await context.setOffline(false);
    await synced(page);
  });
  console.log(`  one changed text: ${kb(sum(update))} in ${update.length} requests (${update.map(([u]) => new URL(u).pathname).join(", ")}); budget 15 KB`);
  await context.close();

  // Slow 4G, as Chromium's DevTools define it, applied to everything by a throttling proxy
  // (Chromium's own emulation does not reach the service worker).
  const proxy = await throttlingProxy(new URL(server.url), { latencyMs: 562.5, down: 180000, up: 84375 });
  for (const lang of ["vi", "ksw"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = performance.now();
    await page.goto(`${proxy.url}/${lang}/`);
    const shown = performance.now() - start;
    await synced(page);
    const ready = performance.now() - start;
    console.log(`  Slow 4G, /${lang}/ cold: page shown ${(shown / 1000).toFixed(1)} s, ready offline ${(ready / 1000).toFixed(1)} s`);
    await context.close();
  }
  proxy.close();
}

/** Audio: a test clip for every text that can carry one, in every language, made by eSpeak
 * NG (Karen with its Burmese voice, which reads the same script) at 24 kbps, imported with
 * `passport recordings import` into this throwaway database and published; then what each
 * costs. */
async function audio(server, browser) {
  console.log("\naudio: a test clip (eSpeak NG, Opus 24 kbps) for every text that can carry one");
  const voices = { en: "en", vi: "vi", th: "th", ksw: "my" };
  const dir = mkdtempSync(join(tmpdir(), "passport-budget-audio-"));
  const before = (await (await fetch(`${server.url}/vi/offline.json`)).json()).version;
  try {
    for (const lang of LANGUAGES) {
      const folder = join(dir, lang);
      mkdirSync(folder);
      const list = await runPassport(["recordings", "list", "--locale", lang, "--db", server.db]);
      for (const line of list.split("\n").filter(Boolean)) {
        const [id, , words] = line.split("\t");
        const wav = join(folder, `${id}.wav`);
        execFileSync("espeak-ng", ["-v", voices[lang], "-w", wav, words]);
        execFileSync("opusenc", ["--quiet", "--bitrate", "24", wav, join(folder, `${id}.opus`)]);
        rmSync(wav);
      }
      await runPassport(["recordings", "import", folder, "--locale", lang, "--db", server.db]);
    }
    // Published as "Publish" would once a second person approved each one (the approval
    // itself is tested elsewhere), in one new content version.
    runSql(server.db, "INSERT INTO recording (message_id, locale, sha256, edited_at, edited_by) SELECT message_id, locale, sha256, edited_at, edited_by FROM pending_recording WHERE sha256 IS NOT NULL");
    runSql(server.db, "DELETE FROM pending_recording");
    runSql(server.db, "INSERT INTO content_version (version, published_at, published_by, changes) SELECT max(version) + 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'budget', 1 FROM content_version");
    while ((await (await fetch(`${server.url}/vi/offline.json`)).json()).version === before) {
      await new Promise((next) => setTimeout(next, 100));
    }
    const size = (lang, prefix) =>
      readdirSync(join(dir, lang))
        .filter((name) => name.startsWith(prefix))
        .reduce((total, name) => total + statSync(join(dir, lang, name)).size, 0);
    const sign = readdirSync(join(dir, "vi")).find((name) => /^checklist\.job-offer\.item\./.test(name));
    console.log(`  one sign's clip (vi, ${sign}): ${kb(size("vi", sign))}`);
    for (const lang of LANGUAGES) {
      console.log(`  one checklist's audio (${lang}, job-offer: title, introduction, signs, advice): ${kb(size(lang, "checklist.job-offer."))}`);
    }
    for (const lang of LANGUAGES) {
      const manifest = await (await fetch(`${server.url}/${lang}/offline.json`)).json();
      const text = [...manifest.pages, ...manifest.files].reduce((total, e) => total + e.bytes, 0);
      const clips = manifest.audio.reduce((total, e) => total + e.bytes, 0);
      console.log(`  ${lang.padEnd(4)} audio ${kb(clips)} in ${manifest.audio.length} clips; offline pack without audio ${kb(text)}, with audio ${kb(text + clips)} (server's count)`);
    }
    // What a phone downloads for "Keep audio too", measured in Chromium.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/vi/offline`);
    await synced(page);
    await page.waitForSelector("[data-audio-for=vi]:not([hidden])");
    await page.check("#audio-vi");
    const fetched = await workerBytes(context, async () => {
      await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
      await page.click("[data-keep-offline] button[type=submit]");
      await synced(page);
    });
    console.log(`  vi "Keep audio too" on a phone that kept the text: the worker fetched ${kb(sum(fetched))} in ${fetched.length} requests`);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A first visit as the phone pays for it: every byte from the server, the worker's
 * download included, counted on the wire by a proxy. At most the page's own bytes (its
 * files included) plus what else the phone keeps (the other pages, and the files the page
 * did not need), each fetched once: nothing the page loaded is paid for twice. */
async function firstVisit(server, browser) {
  console.log("\nfirst visit, counted on the wire (page, its files, and the worker's download)");
  const proxy = await countingProxy(new URL(server.url));
  for (const lang of LANGUAGES) {
    const manifest = await (await fetch(`${server.url}/${lang}/offline.json`)).json();
    const entries = [...manifest.pages, ...manifest.files].map((e) => e.url);
    // The worker's own script is part of what the phone pays for once, too.
    const others = ["/sw.js", `/${lang}/offline.json`, ...entries.filter((url) => url !== `/${lang}/`)];
    // The page alone, then everything else the phone keeps, fetched once: what the page
    // already loaded comes from the browser's cache, the rest over the wire.
    const alone = await browser.newContext({ serviceWorkers: "block" });
    const page = await alone.newPage();
    const loaded = new Set();
    page.on("requestfinished", (request) => loaded.add(new URL(request.url()).pathname + new URL(request.url()).search));
    proxy.reset();
    await page.goto(`${proxy.url}/${lang}/`);
    await page.waitForSelector("html[data-islands=ready]");
    await page.evaluate(() => document.fonts.ready);
    const own = proxy.bytes();
    page.removeAllListeners("requestfinished");
    await page.evaluate((urls) => Promise.all(urls.map((url) => fetch(url, { credentials: "omit" }).then((r) => r.arrayBuffer()))), others);
    const rest = proxy.bytes() - own;
    await alone.close();
    const context = await browser.newContext();
    const visit = await context.newPage();
    proxy.reset();
    const fetched = await workerBytes(context, async () => {
      await visit.goto(`${proxy.url}/${lang}/`);
      await synced(visit);
    });
    const all = proxy.bytes();
    await context.close();
    // What the worker fetched again after the page had loaded it (a 304 is a few hundred bytes).
    const again = fetched
      .map(([url, bytes]) => [new URL(url).pathname + new URL(url).search, bytes])
      .filter(([url]) => loaded.has(url));
    console.log(`  /${lang}/  the worker fetched again what the page had: ${again.map(([u, b]) => `${u} ${b} B`).join(", ") || "nothing"}`);
    console.log(`  /${lang}/  page and its files ${kb(own)}; with the worker's download ${kb(all)}; everything else kept offline, fetched once ${kb(rest)}; each byte once: at most ${kb(own + rest)}`);
  }
  proxy.close();
}

/** A TCP proxy that counts the bytes the server sends. */
function countingProxy(target) {
  let down = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    upstream.on("data", (chunk) => (down += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        bytes: () => down,
        reset: () => (down = 0),
        close: () => server.close(),
      }),
    ),
  );
}

/** A TCP proxy that adds latency and limits bandwidth in each direction. */
function throttlingProxy(target, { latencyMs, down, up }) {
  const pace = (from, to, bytesPerSecond) => {
    let free = 0;
    from.on("data", (chunk) => {
      const now = performance.now();
      const start = Math.max(now + latencyMs / 2, free);
      free = start + (chunk.length / bytesPerSecond) * 1000;
      setTimeout(() => to.write(chunk), free - now);
    });
    from.on("end", () => setTimeout(() => to.end(), Math.max(0, free - performance.now())));
    from.on("error", () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    pace(client, upstream, up);
    pace(upstream, client, down);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }),
    ),
  );
}
