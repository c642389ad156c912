// The help form with JavaScript: the request goes into the phone's outbox (kept by the
// service worker in IndexedDB) under a UUID made here, and the worker sends it now or as
// soon as the phone is online. Without a service worker the form stays a plain POST.
//
// Every word is in the page already, in its language; this script only shows and hides it
// and fills in the reference code.
const $ = (selector) => document.querySelector(selector);
const form = $("form.help-form");
const savedNote = $("[data-help-saved]");
const sentNote = $("[data-help-sent]");
const pendingList = $("[data-help-pending]");
const keptNote = $("[data-help-kept]");
let current = null;

function show(element, visible) {
  if (element) element.hidden = !visible;
}

function fieldsOf(data) {
  const text = (name) => String(data.get(name) ?? "");
  return {
    id: current,
    kind: text("kind"),
    country: text("country"),
    place: text("place"),
    channel: text("channel"),
    contact: text("contact"),
    safe_time: text("safe_time"),
    name: text("name"),
    message: text("message"),
    language: text("language"),
    consent: data.has("consent"),
    ticked: data.getAll("ticked").map(String),
    website: text("website"),
  };
}

// The server's messages, already in the person's language, next to their fields.
function showErrors(errors) {
  for (const old of form.querySelectorAll(".field-error[data-from-server]")) old.remove();
  for (const { field, message } of errors) {
    const note = document.createElement("p");
    note.className = "field-error";
    note.dataset.fromServer = "";
    note.id = `${field}-error`;
    note.textContent = message;
    const target = field === "form" ? form.firstElementChild : document.getElementById(field);
    (target ?? form.firstElementChild).before(note);
    const control = form.querySelector(`[name="${field}"]`);
    control?.setAttribute("aria-invalid", "true");
    control?.setAttribute("aria-describedby", note.id);
  }
  form.querySelector(".field-error")?.scrollIntoView({ block: "center" });
}

function showSent(reference, country) {
  show(form, false);
  show(savedNote, false);
  const line = sentNote.querySelector("[data-template]");
  line.textContent = line.dataset.template.replace("%reference%", reference);
  const lists = [...sentNote.querySelectorAll("[data-country]")];
  const match = lists.find((list) => list.dataset.country === country) ?? lists.find((list) => "home" in list.dataset);
  for (const list of lists) show(list, list === match);
  show(sentNote, true);
  sentNote.focus();
}

function showOutbox({ pending, kept }) {
  const waiting = pending.filter((entry) => entry.state === "waiting");
  pendingList.replaceChildren(
    ...waiting.map((entry) => {
      const item = document.createElement("li");
      item.textContent = `${entry.savedAt.slice(0, 10)} ${entry.savedAt.slice(11, 16)} `;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button";
      remove.textContent = pendingList.dataset.deleteLabel;
      remove.addEventListener("click", () => worker()?.postMessage({ type: "outbox-delete", id: entry.id }));
      item.append(remove);
      return item;
    }),
  );
  show(savedNote, waiting.length > 0);
  // A request the server refused while the page was closed: show why, and let it go.
  for (const entry of pending.filter((e) => e.state === "refused")) {
    showErrors(entry.errors ?? []);
    worker()?.postMessage({ type: "outbox-delete", id: entry.id });
  }
  const keptList = keptNote.querySelector("ul");
  keptList.replaceChildren(
    ...kept.map(({ reference, sentAt }) => {
      const item = document.createElement("li");
      item.textContent = `${reference} (${sentAt.slice(0, 10)})`;
      return item;
    }),
  );
  show(keptNote, kept.length > 0);
}

let worker = () => null;

async function start() {
  const registration = await navigator.serviceWorker.ready;
  worker = () => navigator.serviceWorker.controller || registration.active;
  show($("[data-help-keep]"), true);
  // On a shared device (event mode) nothing typed stays on screen once a request is on its way.
  const shared = Boolean(document.documentElement.dataset.eventIdle);
  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "outbox") {
      showOutbox(message);
    } else if (message.type === "help-sent" && message.id === current) {
      current = null;
      showSent(message.reference, message.country);
    } else if (message.type === "help-refused" && message.id === current) {
      current = null;
      showErrors(message.errors);
      worker()?.postMessage({ type: "outbox-delete", id: message.id });
    }
  });
  form.addEventListener("submit", (event) => {
    if (!worker()) return;
    event.preventDefault();
    current = crypto.randomUUID();
    const data = new FormData(form);
    worker().postMessage({ type: "help-request", body: fieldsOf(data), keep: data.has("keep") });
    if (shared) {
      form.reset();
    }
  });
  worker()?.postMessage({ type: "outbox" });
  document.documentElement.dataset.helpReady = "yes";
}

if (form && "serviceWorker" in navigator && "randomUUID" in crypto) {
  start();
}
