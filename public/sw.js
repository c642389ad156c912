// The service worker. It keeps the pages of the languages a person chose, with the files
// they need, and serves them when there is no network.
//
// What to keep comes from the server's precache manifest, /{lang}/offline.json: every page
// with the hash of its HTML, every file with the hash of its content. A sync downloads only
// the entries whose hash changed, then deletes what is gone, so one edited text costs the
// manifest and the pages that show it.
//
// Pages: network first, the kept copy when the network fails or is slow, else the offline
// page of the person's language. Files (named by their content): the kept copy first.
// Recordings are files too, kept only for the languages whose audio the person chose to
// keep: they cost far more than the text.
const PAGES = "passport-pages-v1";
const FILES = "passport-files-v1";
const STATE = "passport-state-v1";
const STATE_KEY = "/__passport/state";
// A page that has not arrived by then is served from the phone, if the phone has it.
const NETWORK_TIMEOUT_MS = 3000;
// Page loads ask for a sync; closer together than this, one is enough.
const SYNC_INTERVAL_MS = 30000;

// Which languages are kept, the hash of every kept URL, and when each was saved.
let state = null;
let loadingState = null;
// A queue, so two syncs never interleave.
let syncing = Promise.resolve();
let lastSync = 0;
// Pages served from the phone's copy: window client id -> when that copy was saved.
const servedFromCopy = new Map();

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set([PAGES, FILES, STATE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("passport-") && !current.has(name)) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
      await requestSync({});
      await flushOutbox();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "sync") {
    event.waitUntil(requestSync(message));
  } else if (message.type === "status" && event.source) {
    event.waitUntil(
      loadState().then((s) =>
        event.source.postMessage({
          type: "status",
          langs: s.langs,
          audio: s.audio || [],
          updated: s.updated,
          kept: s.hashes,
          servedFromCopy: servedFromCopy.get(event.source.id) || null,
        }),
      ),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Staff pages and the API hold personal data: they never touch the phone's caches.
  if (request.method !== "GET" || url.origin !== self.location.origin || /^\/(staff|api)(\/|$)/.test(url.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (isContentNamed(url)) {
    event.respondWith(keptFirst(request, url));
  } else if (url.pathname !== "/sw.js" && !url.pathname.endsWith("/offline.json")) {
    event.respondWith(networkThenKept(request, url));
  }
});

// Files whose URL changes whenever their content does: a kept copy is never stale.
function isContentNamed(url) {
  return (
    url.searchParams.has("v") ||
    url.pathname.startsWith("/pkg/") ||
    url.pathname.startsWith("/fonts/") ||
    url.pathname.startsWith("/audio/")
  );
}

async function navigate(event, url) {
  const key = url.pathname;
  const network = fetch(event.request).then((response) => {
    // A page asked for with a query is never kept: whatever the query held would then sit
    // on the phone in place of the plain page.
    if (response.ok && !url.search) {
      event.waitUntil(keepIfWanted(key, response.clone(), PAGES));
    }
    return response;
  });
  try {
    const answer = await Promise.race([network, delay(NETWORK_TIMEOUT_MS)]);
    if (answer) {
      return answer;
    }
  } catch {
    // No network: fall through to the phone's copy.
  }
  const kept = await (await caches.open(PAGES)).match(key);
  if (kept) {
    const s = await loadState();
    servedFromCopy.set(event.resultingClientId, s.saved[key] || null);
    return kept;
  }
  try {
    return await network;
  } catch {
    return offlinePage(url);
  }
}

async function keptFirst(request, url) {
  const kept = await (await caches.open(FILES)).match(request);
  if (kept) {
    return ranged(request, kept);
  }
  const response = await fetch(request);
  // A part of a file (a recording asked for by range) is never kept in place of the whole.
  if (response.status === 200) {
    await keepIfWanted(url.pathname + url.search, response.clone(), FILES);
  }
  return response;
}

// A media element asks for a range of a recording; the kept copy is whole, so the range is
// cut from it.
async function ranged(request, kept) {
  const asked = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("Range") || "");
  if (!asked || kept.status !== 200) {
    return kept;
  }
  const body = await kept.arrayBuffer();
  const total = body.byteLength;
  const [first, last] = [asked[1], asked[2]];
  const start = first === "" ? Math.max(0, total - Number(last)) : Number(first);
  const end = first === "" || last === "" ? total - 1 : Math.min(Number(last), total - 1);
  if (start > end || start >= total) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${total}` } });
  }
  const headers = new Headers(kept.headers);
  headers.set("Content-Range", `bytes ${start}-${end}/${total}`);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers });
}

// The web app manifest and anything else: the network, else the kept copy.
async function networkThenKept(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await (await caches.open(PAGES)).match(url.pathname);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

// The offline page in the language of the URL, else of the first kept language.
async function offlinePage(url) {
  const s = await loadState();
  const first = url.pathname.split("/")[1];
  const langs = (s.languages || []).includes(first) ? [first, ...s.langs] : s.langs;
  const pages = await caches.open(PAGES);
  for (const lang of langs) {
    const page = await pages.match(`/${lang}/offline`);
    if (page) {
      return page;
    }
  }
  return Response.error();
}

// A page or file that arrived anyway replaces the kept copy, if it is one the phone keeps,
// so the next sync need not download it again.
async function keepIfWanted(key, response, cacheName) {
  const s = await loadState();
  if (!(key in s.hashes)) {
    return;
  }
  const cache = await caches.open(cacheName);
  await cache.put(key, response);
  if (!(key in s.hashes)) {
    // A sync dropped it while it was being stored.
    await cache.delete(key);
    return;
  }
  if (cacheName === PAGES) {
    s.hashes[key] = etagValue(response) || s.hashes[key];
    s.saved[key] = new Date().toISOString();
    await saveState();
  }
}

// A routine sync still waiting behind another one takes in any further routine request.
let queued = null;

function requestSync(message) {
  if (!message.langs && queued) {
    queued.now ||= message.now;
    queued.build ||= message.build;
    queued.lang ||= message.lang;
    queued.here ||= message.here;
    queued.audio ||= message.audio;
    return syncing;
  }
  const waiting = { ...message };
  if (!message.langs) {
    queued = waiting;
  }
  const run = () => {
    if (queued === waiting) {
      queued = null;
    }
    return syncWithRetries(waiting);
  };
  syncing = syncing.then(run, run);
  return syncing;
}

// The network often comes back a moment after the phone says it is online, so a sync the
// person asked for, or one for coming back online, is tried again a few times.
async function syncWithRetries(message) {
  const tries = message.langs || message.now ? 4 : 1;
  // The manifests one attempt asked for, which the next need not ask for again.
  const got = new Map();
  for (let attempt = 1; ; attempt++) {
    try {
      return await sync(message, got);
    } catch (error) {
      if (attempt >= tries) {
        broadcast({ type: "sync-failed", error: String(error) });
        return;
      }
      await delay(500 * 2 ** attempt);
    }
  }
}

// Brings the kept copy in line with the server's manifests. `langs` replaces the kept
// languages, and `audio` the languages whose recordings are kept too; `lang` is the page's
// language, kept when nothing is kept yet.
// `now` skips the pause between syncs, as when the phone comes back online; so does a page
// whose `build` (its WASM URL) the phone does not keep yet: a new release. `here` is the
// page that asked.
async function sync({ langs, audio, lang, now, build, here }, got = new Map()) {
  const s = await loadState();
  const wanted = langs || (s.langs.length ? s.langs : lang ? [lang] : []);
  const recent = Date.now() - lastSync < SYNC_INTERVAL_MS;
  const newBuild = build && s.langs.length && !(build in s.hashes);
  if (!wanted.length || (!langs && !now && !newBuild && s.langs.length && recent)) {
    return;
  }
  lastSync = Date.now();
  // The server's languages, as its last manifest listed them; before the first sync, the
  // page that asked names its own.
  const known = s.languages || [];
  const codes = known.length ? wanted.filter((code) => known.includes(code)) : wanted;
  // The audio kept: as the person chose it with these languages, else as before.
  const withAudio = (langs ? audio || [] : s.audio || []).filter((code) => codes.includes(code));
  const manifests = await Promise.all(
    codes.map((code) => {
      // Kept as it is asked for: a retry waits for one still on its way rather than asking
      // again, and asks again only for one that failed.
      if (!got.has(code)) {
        const manifest = fetch(`/${code}/offline.json`, { cache: "no-cache", credentials: "omit" }).then((response) => {
          if (!response.ok) {
            throw new Error(`manifest ${code}: ${response.status}`);
          }
          return response.json();
        });
        manifest.catch(() => got.delete(code));
        got.set(code, manifest);
      }
      return got.get(code);
    }),
  );
  const entries = new Map();
  for (const manifest of manifests) {
    for (const file of manifest.files) {
      entries.set(file.url, { ...file, cache: FILES });
    }
    for (const page of manifest.pages) {
      entries.set(page.url, { ...page, cache: PAGES });
    }
    if (withAudio.includes(manifest.lang)) {
      for (const clip of manifest.audio || []) {
        entries.set(clip.url, { ...clip, cache: FILES });
      }
    }
  }
  const missing = [...entries.values()].filter((entry) => s.hashes[entry.url] !== entry.hash);
  // On a first visit the page that asked came from the network a moment ago, uncontrolled:
  // the browser's cache holds it, current, so it is not asked for again.
  const shown = Object.keys(s.hashes).length === 0 ? here : null;
  const total = missing.reduce((sum, entry) => sum + entry.bytes, 0);
  const changed = [];
  let done = 0;
  broadcast({ type: "progress", done, total });
  const download = async (entry) => {
    // No cookies: a sync must not change the language the person last chose. A file the
    // page has just loaded comes from the browser's HTTP cache (its name changes with its
    // content), and a page it has just shown is only revalidated: a phone pays for each
    // byte once.
    const cache = entry.url === shown ? "force-cache" : entry.cache === FILES ? "default" : "no-cache";
    const response = await fetch(entry.url, { cache, credentials: "omit" });
    if (!response.ok) {
      throw new Error(`${entry.url}: ${response.status}`);
    }
    await (await caches.open(entry.cache)).put(entry.url, response.clone());
    if (entry.url in s.hashes) {
      changed.push(entry.url);
    }
    // A page edited since the manifest was made keeps the hash it arrived with, so the
    // next sync fetches it again.
    s.hashes[entry.url] = entry.cache === PAGES ? etagValue(response) || entry.hash : entry.hash;
    s.saved[entry.url] = new Date().toISOString();
    done += entry.bytes;
    broadcast({ type: "progress", done, total });
  };
  // Files before pages: a kept page never names a file the phone lacks.
  await inParallel(missing.filter((entry) => entry.cache === FILES), download);
  await inParallel(missing.filter((entry) => entry.cache === PAGES), download);
  // Whatever the manifests no longer list goes, from the state and from the caches alike.
  for (const url of Object.keys(s.hashes)) {
    if (!entries.has(url)) {
      delete s.hashes[url];
      delete s.saved[url];
    }
  }
  for (const name of [PAGES, FILES]) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      if (!entries.has(url.pathname + url.search)) {
        await cache.delete(request);
      }
    }
  }
  s.languages = manifests[0] ? manifests[0].languages : s.languages;
  s.langs = codes;
  s.audio = withAudio;
  s.updated = new Date().toISOString();
  await saveState();
  broadcast({ type: "synced", langs: s.langs, updated: s.updated, changed, fetched: missing.map((e) => e.url) });
}

// One load for everyone: two loads racing at worker start would each make their own state,
// and the changes made to the one that lost would be forgotten.
function loadState() {
  loadingState ??= (async () => {
    const kept = await (await caches.open(STATE)).match(STATE_KEY);
    state = kept ? await kept.json() : { langs: [], audio: [], languages: [], hashes: {}, saved: {}, updated: null };
    return state;
  })().catch((error) => {
    loadingState = null;
    throw error;
  });
  return loadingState;
}

async function saveState() {
  const body = JSON.stringify(state);
  await (await caches.open(STATE)).put(
    STATE_KEY,
    new Response(body, { headers: { "Content-Type": "application/json" } }),
  );
}

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

// Runs `work` on every entry, a few at a time: on a slow network the round trips, not the
// bytes, take most of the time.
async function inParallel(entries, work, lanes = 6) {
  let next = 0;
  const lane = async () => {
    while (next < entries.length) {
      await work(entries[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, entries.length) }, lane));
}

// The page's content hash, as the manifest lists it: without W/, quotes, and the `-br` or
// `-gz` that names the encoding it arrived in.
function etagValue(response) {
  const tag = response.headers.get("ETag");
  return tag ? tag.replace(/^W\//, "").replace(/"/g, "").replace(/-(br|gz)$/, "") : null;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

// ---------------------------------------------------------------------------------------------
// The outbox: help requests waiting on this phone until the server acknowledges them.
//
// A request is stored in IndexedDB before it is sent, under the UUID the page made for it;
// the server stores a UUID once, so sending again after a lost answer is always safe. The
// outbox is flushed when this worker starts, when a page loads or the phone comes online,
// and by Background Sync where the browser has it. A request leaves the phone once
// acknowledged; only its reference stays, and only if the person chose to keep it.
const OUTBOX_DB = "passport-outbox";
const HELP_API = "/api/v1/help-requests";

function outboxDb() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(OUTBOX_DB, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore("requests", { keyPath: "id" });
      opening.result.createObjectStore("kept", { keyPath: "id" });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

// Runs `work(store)` in one transaction and resolves with its request's result once the
// transaction has committed.
async function inStore(name, mode, work) {
  const db = await outboxDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const request = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

let flushing = null;
// Whether the last flush stopped because the network did not answer.
let unreachable = false;

// A flush the phone asked for on coming back online: the network often answers a moment
// after the phone says it is online, so a flush that found none is tried again a few times.
async function flushWhenBack() {
  for (let attempt = 1; ; attempt++) {
    const left = await flushOutbox();
    if (!left || !unreachable || attempt >= 4) {
      return left;
    }
    await delay(500 * 2 ** attempt);
  }
}

function flushOutbox() {
  flushing ??= sendWaiting().finally(() => {
    flushing = null;
  });
  return flushing;
}

// Sends every waiting request; resolves with how many are still waiting.
async function sendWaiting() {
  const waiting = (await inStore("requests", "readonly", (s) => s.getAll())).filter((r) => r.state === "waiting");
  let left = waiting.length;
  unreachable = false;
  for (const entry of waiting) {
    let response;
    try {
      response = await fetch(HELP_API, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(entry.body),
        credentials: "omit",
      });
    } catch {
      // No network: Background Sync, where there is one, wakes this worker when it returns.
      unreachable = true;
      await self.registration.sync?.register("outbox").catch(() => {});
      break;
    }
    if (response.ok) {
      const { reference } = await response.json();
      if (entry.keep) {
        await inStore("kept", "readwrite", (s) => s.put({ id: entry.id, reference, sentAt: new Date().toISOString() }));
      }
      await inStore("requests", "readwrite", (s) => s.delete(entry.id));
      left -= 1;
      broadcast({ type: "help-sent", id: entry.id, reference, country: entry.body.country });
    } else if ([400, 409, 413, 422].includes(response.status)) {
      // The server will never take it as it is: keep it, marked, for the person to see.
      const { errors } = await response.json().catch(() => ({ errors: [] }));
      await inStore("requests", "readwrite", (s) => s.put({ ...entry, state: "refused", errors }));
      left -= 1;
      broadcast({ type: "help-refused", id: entry.id, errors });
    } else {
      // Busy or unavailable: the next flush tries again.
      break;
    }
  }
  await broadcastOutbox();
  return left;
}

async function broadcastOutbox() {
  const [requests, kept] = await Promise.all([
    inStore("requests", "readonly", (s) => s.getAll()),
    inStore("kept", "readonly", (s) => s.getAll()),
  ]);
  broadcast({
    type: "outbox",
    // A refused request's answers go back on the form, for the person to correct.
    pending: requests.map(({ id, body, savedAt, state, errors }) => ({
      id,
      kind: body.kind,
      savedAt,
      state,
      errors,
      body: state === "refused" ? body : undefined,
    })),
    kept,
  });
}

async function outboxMessage(message) {
  if (message.type === "help-request") {
    const entry = { id: message.body.id, body: message.body, keep: Boolean(message.keep), state: "waiting", savedAt: new Date().toISOString() };
    // A corrected request takes the place of the refused one it was made from.
    await inStore("requests", "readwrite", (s) => {
      if (message.replaces) {
        s.delete(message.replaces);
      }
      return s.put(entry);
    });
    broadcast({ type: "help-saved", id: entry.id });
    await flushOutbox();
  } else if (message.type === "outbox-delete") {
    await inStore("requests", "readwrite", (s) => s.delete(message.id));
    await broadcastOutbox();
  } else if (message.type === "flush") {
    await (message.now ? flushWhenBack() : flushOutbox());
  } else if (message.type === "outbox") {
    await broadcastOutbox();
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (["help-request", "outbox-delete", "flush", "outbox"].includes(message.type)) {
    event.waitUntil(outboxMessage(message));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    // Rejecting while requests still wait asks the browser to try again later.
    event.waitUntil(
      flushOutbox().then((left) => {
        if (left > 0) throw new Error(`${left} help requests still waiting`);
      }),
    );
  }
});

// Whenever this worker starts, whatever woke it.
flushOutbox().catch(() => {});
