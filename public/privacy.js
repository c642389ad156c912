// "Clear this phone": removes everything the app stored in this browser (the worker, its
// caches, the help-request outbox, local storage and the language cookie), then leaves for
// the neutral site, so nothing of the app stays on screen. A help request not sent yet is
// only deleted after a warning, which also offers to keep it.
const OUTBOX_DB = "passport-outbox";
const form = document.querySelector("form[data-clear]");
const warning = document.querySelector("[data-clear-warning]");

// How many help requests wait on this phone; opening the outbox never creates it.
async function waiting() {
  const known = indexedDB.databases ? await indexedDB.databases() : [{ name: OUTBOX_DB }];
  if (!known.some((db) => db.name === OUTBOX_DB)) {
    return 0;
  }
  return new Promise((resolve) => {
    const opening = indexedDB.open(OUTBOX_DB);
    opening.onupgradeneeded = () => opening.transaction.abort();
    opening.onerror = () => resolve(0);
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains("requests")) {
        db.close();
        resolve(0);
        return;
      }
      const counting = db.transaction("requests").objectStore("requests").count();
      counting.onsuccess = () => resolve(counting.result);
      counting.onerror = () => resolve(0);
      counting.transaction.oncomplete = () => db.close();
    };
  });
}

function deleteOutbox() {
  return new Promise((resolve) => {
    const deleting = indexedDB.deleteDatabase(OUTBOX_DB);
    deleting.onsuccess = deleting.onerror = () => resolve();
  });
}

async function clearEverything() {
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  await Promise.all(registrations.map((registration) => registration.unregister()));
  if ("caches" in self) {
    await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
  }
  await deleteOutbox();
  localStorage.clear();
  sessionStorage.clear();
  document.cookie = "lang=; Path=/; Max-Age=0; SameSite=Lax";
  // The server's answer also carries Clear-Site-Data, for what a script cannot reach.
  await fetch(form.action, { method: "POST", body: new URLSearchParams({ leave: "no" }) }).catch(() => {});
}

// Away to the neutral site, replacing this page in the history. With no network, to an
// empty page: nothing of the app is left on the phone to show, and the browser's "no
// internet" page would show the app's address.
async function leave() {
  await clearEverything();
  location.replace(navigator.onLine ? form.dataset.exit : "about:blank");
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  if ((await waiting()) > 0 && warning.hidden) {
    warning.hidden = false;
    warning.querySelector("button").focus();
    return;
  }
  await leave();
});

warning?.querySelector("[data-clear-anyway]")?.addEventListener("click", leave);
// Keeping the request: nothing is cleared; the worker sends it when the phone is online.
warning?.querySelector("[data-clear-keep]")?.addEventListener("click", () => {
  warning.hidden = true;
  form.querySelector("button").focus();
});
document.documentElement.dataset.clearReady = "yes";
