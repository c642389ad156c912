// The page's script: it keeps the app to one entry in the browser's history (for quick
// exit), registers the service worker, asks it to keep this language, and shows the quiet
// notes (offline, an old copy, new content ready, a help request to correct). On the "keep
// for offline" page it also runs the form.
//
// Every word comes from the server, already in the page's language; this script only fills
// in a date or a size.
const root = document.documentElement;
const lang = root.lang;
const $ = (selector) => document.querySelector(selector);

function show(element, visible) {
  if (element) {
    element.hidden = !visible;
  }
}

// Dates as 2026-11-23: the same in every language, Karen included (no CLDR data for it).
function day(iso) {
  return iso ? iso.slice(0, 10) : "";
}

function kilobytes(bytes) {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function watchConnection() {
  const update = () => show($("[data-offline-note]"), !navigator.onLine);
  addEventListener("online", update);
  addEventListener("offline", update);
  update();
}

function onReload() {
  const button = $("[data-reload]");
  if (button) {
    button.addEventListener("click", () => location.reload());
  }
}

// The "keep for offline" page: the chosen languages, the size, progress, and the result.
function keepOffline(worker) {
  const form = $("[data-keep-offline]");
  if (!form) {
    return null;
  }
  show(form, true);
  show($("[data-offline-unsupported]"), false);
  // Shown in place of a page the phone does not have.
  show($("[data-offline-fallback]"), location.pathname !== `/${lang}/offline`);
  const boxes = [...form.querySelectorAll("input[name=lang]")];
  const audioBoxes = [...form.querySelectorAll("input[name=audio]")];
  const progress = form.querySelector("progress");
  const stateLine = $("[data-offline-state]");
  const sizeLine = $("[data-offline-size]");
  let kept = {};

  const chosen = () => boxes.filter((box) => box.checked).map((box) => box.value);
  // "Keep audio too", for a language kept and offered it.
  const chosenAudio = () =>
    audioBoxes.filter((box) => box.checked && !box.parentElement.hidden && chosen().includes(box.value)).map((box) => box.value);

  // Each language's manifest, fetched once per visit of this page.
  const manifests = new Map();
  function manifestOf(code) {
    if (!manifests.has(code)) {
      const manifest = fetch(`/${code}/offline.json`, { credentials: "omit" }).then((r) => r.json());
      manifest.catch(() => manifests.delete(code));
      manifests.set(code, manifest);
    }
    return manifests.get(code);
  }

  async function showSize() {
    const files = new Map();
    if (!navigator.onLine) {
      sizeLine.textContent = "";
      return;
    }
    try {
      for (const code of chosen()) {
        const manifest = await manifestOf(code);
        const audio = manifest.audio || [];
        const row = form.querySelector(`[data-audio-for="${code}"]`);
        const label = row.querySelector("label");
        label.textContent = label.dataset.template.replace("%size%", kilobytes(audio.reduce((sum, e) => sum + e.bytes, 0)));
        show(row, audio.length > 0);
        const wanted = [...manifest.files, ...manifest.pages, ...(chosenAudio().includes(code) ? audio : [])];
        for (const entry of wanted) {
          if (kept[entry.url] !== entry.hash) {
            files.set(entry.url, entry.bytes);
          }
        }
      }
      for (const row of form.querySelectorAll("[data-audio-for]")) {
        show(row, !row.hidden && chosen().includes(row.dataset.audioFor));
      }
    } catch {
      sizeLine.textContent = "";
      return;
    }
    const bytes = [...files.values()].reduce((sum, n) => sum + n, 0);
    // Nothing left to download: the state line says the phone is ready; no size to add.
    sizeLine.textContent = bytes ? sizeLine.dataset.template.replace("%size%", kilobytes(bytes)) : "";
  }

  async function showPersistence() {
    const line = $("[data-persist]");
    if (!navigator.storage || !navigator.storage.persist) {
      return;
    }
    const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    line.textContent = granted ? line.dataset.granted : line.dataset.denied;
  }

  [...boxes, ...audioBoxes].forEach((box) => box.addEventListener("change", showSize));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const langs = chosen();
    if (langs.length) {
      worker.postMessage({ type: "sync", langs, audio: chosenAudio() });
      showPersistence();
    }
  });

  return {
    status(message) {
      kept = message.kept || {};
      if (message.langs.length) {
        boxes.forEach((box) => {
          box.checked = message.langs.includes(box.value);
        });
        audioBoxes.forEach((box) => {
          box.checked = (message.audio || []).includes(box.value);
        });
      }
      stateLine.textContent = message.updated
        ? stateLine.dataset.ready.replace("%date%", day(message.updated))
        : stateLine.dataset.none;
      root.dataset.offlineReady = message.updated ? "yes" : "no";
      showSize();
      if (message.updated) {
        showPersistence();
      }
    },
    progress(message) {
      progress.max = Math.max(message.total, 1);
      progress.value = message.total ? message.done : 1;
    },
    failed() {
      stateLine.textContent = stateLine.dataset.error;
    },
  };
}

// Leaving safely. The app keeps a single entry in the browser's history: going from one
// of its pages to another replaces the current entry rather than adding one. Quick exit and
// "clear this phone" replace that entry too, so Back then goes to where the person was
// before the app, never to one of its pages. The cost: Back inside the app leaves it.
function keepOneHistoryEntry() {
  const replace = (url) => {
    if (!/^https?:$/.test(url.protocol) || (url.origin === location.origin && /^\/(staff|api)(\/|$)/.test(url.pathname))) {
      return false;
    }
    location.replace(url.href);
    return true;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (!link || !plain || event.defaultPrevented || link.target || link.hasAttribute("download")) {
      return;
    }
    if (replace(new URL(link.href, location.href))) {
      event.preventDefault();
    }
  });
  // A form that asks for a page (GET) goes there the same way; the help form is sent by
  // its script, and the checklists by their island. A checklist's "ask for help" hands its
  // kind and the signs the person chose to attach to the help page inside this tab, never
  // in the address: that works offline too, from the phone's copy of the help page.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented) {
      return;
    }
    if (form.matches("form.ask-help")) {
      handOverToHelp(form);
      if (replace(new URL(form.action, location.href))) {
        event.preventDefault();
      }
      return;
    }
    if (form.method !== "get") {
      return;
    }
    const url = new URL(form.action, location.href);
    url.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    if (replace(url)) {
      event.preventDefault();
    }
  });
}

// What the help page reads once, on arrival, and forgets (`help.js`).
function handOverToHelp(form) {
  const data = new FormData(form);
  const signs = [];
  if (data.get("attach") === "yes") {
    for (const sign of form.querySelectorAll("input[name=ticked]:not([disabled])")) {
      const box = document.querySelector(`input[name=tick][value="${CSS.escape(sign.dataset.ticked)}"]`);
      const label = box && document.querySelector(`label[for="${CSS.escape(box.id)}"]`);
      signs.push([sign.value, label ? label.textContent.trim() : sign.value]);
    }
  }
  try {
    sessionStorage.setItem("help-handover", JSON.stringify({ kind: data.get("kind"), signs }));
  } catch {
    // No storage (a private window that refuses it): the form opens without them.
  }
}

// A page the person came back to (Back, Forward, a reload) keeps a worker that is still
// there but never installs one: after "clear this phone", nothing comes back until the
// person opens the app again.
async function mayInstallWorker() {
  const arrival = performance.getEntriesByType("navigation")[0]?.type;
  return arrival === "navigate" || Boolean(await navigator.serviceWorker.getRegistration("/"));
}

// A help request the server refused waits on the phone for the person to correct it: every
// page says so, but the help page, which shows it.
function watchOutbox(message) {
  const refused = message.pending.some((entry) => entry.state === "refused");
  show($("[data-help-refused-note]"), refused && location.pathname !== `/${lang}/help`);
}

async function start() {
  keepOneHistoryEntry();
  // The language choice at `/` belongs to no language yet: nothing to keep offline.
  if (!document.querySelector('link[rel="manifest"]')) {
    return;
  }
  watchConnection();
  onReload();
  const possible = "serviceWorker" in navigator && "caches" in self;
  // What this page decided about the worker, for the tests to wait on.
  root.dataset.worker = possible && (await mayInstallWorker()) ? "yes" : "no";
  if (root.dataset.worker === "no") {
    return;
  }
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const worker = () => navigator.serviceWorker.controller || registration.active;
  const form = keepOffline({ postMessage: (m) => worker() && worker().postMessage(m) });

  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "status") {
      if (message.servedFromCopy) {
        const note = $("[data-cached-age]");
        note.textContent = note.dataset.template.replace("%date%", day(message.servedFromCopy));
        show(note, true);
      }
      form?.status(message);
    } else if (message.type === "progress") {
      form?.progress(message);
    } else if (message.type === "synced") {
      root.dataset.offlineSynced = message.updated;
      // The page on screen is older than the one now kept: offer the new one.
      if (message.changed.includes(location.pathname)) {
        show($("[data-update-ready]"), true);
      }
      worker()?.postMessage({ type: "status" });
    } else if (message.type === "sync-failed") {
      form?.failed();
    } else if (message.type === "outbox") {
      watchOutbox(message);
    }
  });

  await navigator.serviceWorker.ready;
  worker()?.postMessage({ type: "status" });
  // The WASM this page was built with, as the island loader preloads it: a new release.
  const build = document.querySelector('link[rel="preload"][type="application/wasm"]')?.getAttribute("href");
  worker()?.postMessage({ type: "sync", lang, build, here: location.pathname });
  // Help requests waiting on this phone go out on every page load and when the phone is
  // back online.
  worker()?.postMessage({ type: "flush" });
  addEventListener("online", () => {
    worker()?.postMessage({ type: "sync", lang, now: true });
    worker()?.postMessage({ type: "flush", now: true });
  });
}

start();
