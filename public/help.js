// The help form with JavaScript: the request goes into the phone's outbox (kept by the
// service worker in IndexedDB) under a UUID made here, and the worker sends it now or as
// soon as the phone is online. Without a service worker (a hub on plain HTTP) it is sent
// straight to the server's API, under the same kind of UUID, and the answer shown here.
//
// The answers are checked first, by the form's island, with the server's own rules: a form
// the island finds wrong never gets here (its submit event is cancelled). One filled form
// is one request: the same answers sent again reuse their UUID.
//
// Every word is in the page already, in its language; this script only shows and hides it
// and fills in the reference code.
const $ = (selector) => document.querySelector(selector);
const form = $("form.help-form");
const savedNote = $("[data-help-saved]");
const sentNote = $("[data-help-sent]");
const pendingList = $("[data-help-pending]");
const keptNote = $("[data-help-kept]");
const refusedNote = $("[data-help-refused]");
const HELP_API = "/api/v1/help-requests";
// The request the form now holds: its UUID, its answers as sent, and whether the server
// refused it (then it waits in the outbox for the person to correct it).
let current = null;

function show(element, visible) {
  if (element) element.hidden = !visible;
}

function answersOf(data) {
  const text = (name) => String(data.get(name) ?? "");
  return {
    kind: text("kind"),
    urgent: data.has("urgent"),
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

// The request for the answers on the form: the current one if they have not changed.
function requestFor(answers) {
  const key = JSON.stringify(answers);
  if (current?.key !== key) {
    current = { id: crypto.randomUUID(), key, replaces: current?.refused ? current.id : null };
  }
  return { ...answers, id: current.id };
}

// Puts a refused request's answers back on the form, for the person to correct.
function fillForm(body) {
  for (const control of form.elements) {
    if (!control.name || control.type === "hidden" || control.name === "website") continue;
    const value = body[control.name];
    if (control.type === "radio") {
      control.checked = control.value === value;
    } else if (control.type === "checkbox") {
      control.checked = control.name === "ticked" ? (body.ticked ?? []).includes(control.value) : Boolean(value);
    } else if (typeof value === "string") {
      control.value = value;
    }
  }
}

// The server's problems: the note written for each on the page, or, for a problem only the
// server knows, its message as the server wrote it.
function showErrors(errors) {
  for (const old of form.parentElement.querySelectorAll("[data-from-server]")) old.remove();
  for (const note of form.parentElement.querySelectorAll("[data-problem]")) note.hidden = true;
  for (const { field, code, message } of errors) {
    const written = [...form.parentElement.querySelectorAll(`[data-problem="${code}"]`)];
    if (written.length) {
      written.forEach((note) => show(note, true));
    } else {
      const note = document.createElement("p");
      note.className = "field-error";
      note.dataset.fromServer = "";
      note.textContent = message;
      form.before(note);
    }
    form.querySelector(`[data-field="${field}"]`)?.setAttribute("aria-invalid", "true");
  }
  show($("[data-problems]"), errors.length > 0);
  show(form, true);
  form.parentElement.querySelector(".field-error:not([hidden])")?.scrollIntoView({ block: "center" });
}

function showSent(reference, country) {
  show(form, false);
  show(savedNote, false);
  show(refusedNote, false);
  const line = sentNote.querySelector("[data-template]");
  line.textContent = line.dataset.template.replace("%reference%", reference);
  const lists = [...sentNote.querySelectorAll("[data-country]")];
  const match = lists.find((list) => list.dataset.country === country) ?? lists.find((list) => "home" in list.dataset);
  for (const list of lists) show(list, list === match);
  show(sentNote, true);
  sentNote.focus();
}

// A request in the outbox: when it was saved, and a button to delete it from the phone.
function outboxItem(entry) {
  const item = document.createElement("li");
  item.textContent = `${entry.savedAt.slice(0, 10)} ${entry.savedAt.slice(11, 16)} `;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "button";
  remove.textContent = pendingList.dataset.deleteLabel;
  remove.addEventListener("click", () => {
    if (current?.id === entry.id) current = null;
    worker()?.postMessage({ type: "outbox-delete", id: entry.id });
  });
  item.append(remove);
  return item;
}

function showOutbox({ pending, kept }) {
  const waiting = pending.filter((entry) => entry.state === "waiting");
  pendingList.replaceChildren(...waiting.map(outboxItem));
  show(savedNote, waiting.length > 0);
  // A request the server refused, here or while the page was closed: its answers go back
  // on the form with the reasons, and it stays in the outbox until corrected or deleted.
  const refused = pending.find((entry) => entry.state === "refused");
  show(refusedNote, Boolean(refused));
  if (refused && !current && !typed) {
    fillForm(refused.body);
    current = { id: refused.id, key: JSON.stringify(answersOf(new FormData(form))), refused: true };
    showErrors(refused.errors ?? []);
    refusedNote.querySelector("ul").replaceChildren(outboxItem(refused));
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
// On a shared device (event mode) nothing typed stays on screen once a request is on its way.
const shared = Boolean(document.documentElement.dataset.eventIdle);
// Whether the person has typed since the page loaded: a refused request's answers then do
// not overwrite theirs.
let typed = false;

function listenToOutbox(registration) {
  worker = () => navigator.serviceWorker.controller || registration.active;
  show($("[data-help-keep]"), true);
  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "outbox") {
      showOutbox(message);
    } else if (message.type === "help-saved" && message.id === current?.id) {
      saved();
    } else if (message.type === "help-sent" && message.id === current?.id) {
      current = null;
      showSent(message.reference, message.country);
    } else if (message.type === "help-refused" && message.id === current?.id) {
      current.refused = true;
      showErrors(message.errors);
    }
  });
  worker()?.postMessage({ type: "outbox" });
}

// One filled form is one request: once it is in the outbox, the form gives way to the note
// that it is saved. On a shared device the form is emptied for the next person instead.
function saved() {
  show($("[data-problems]"), false);
  show(refusedNote, false);
  if (shared) {
    // The next person's answers, even the same ones, are a request of their own; this one
    // keeps its id until its reference comes back.
    form.reset();
    current.key = null;
  } else {
    show(form, false);
    savedNote.focus();
  }
}

// Straight to the server: when the phone has no service worker.
let sending = false;
async function sendDirect(body) {
  if (sending) return;
  sending = true;
  try {
    const response = await fetch(HELP_API, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      current = null;
      showSent(answer.reference, body.country);
    } else {
      showErrors(answer.errors ?? []);
    }
  } catch {
    showErrors([{ field: "form", code: "help-error-unavailable", message: form.dataset.unavailable }]);
  } finally {
    sending = false;
  }
}

// What a checklist's "ask for help" handed over in this tab (`offline.js`): the kind of help,
// and the signs the person chose to attach, shown as boxes they can untick. Read once.
function takeHandover() {
  let handover = null;
  try {
    handover = JSON.parse(sessionStorage.getItem("help-handover") || "null");
    sessionStorage.removeItem("help-handover");
  } catch {
    return;
  }
  if (!handover || !form) return;
  const kind = form.querySelector(`input[name=kind][value="${CSS.escape(String(handover.kind))}"]`);
  if (kind) kind.checked = true;
  const fieldset = form.querySelector("fieldset#ticked");
  const list = fieldset?.querySelector("ul");
  if (!list || !Array.isArray(handover.signs) || handover.signs.length === 0) return;
  handover.signs.forEach(([sign, text], i) => {
    const item = document.createElement("li");
    item.className = "check";
    const box = document.createElement("input");
    Object.assign(box, { type: "checkbox", id: `sign-${i}`, name: "ticked", value: String(sign), checked: true });
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = String(text);
    item.append(box, label);
    list.append(item);
  });
  fieldset.hidden = false;
}

takeHandover();

if (form && "randomUUID" in crypto) {
  form.addEventListener("input", () => {
    typed = true;
  });
  // After the island's check: a form it found wrong arrives here cancelled.
  document.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) return;
    event.preventDefault();
    const data = new FormData(form);
    const body = requestFor(answersOf(data));
    if (worker()) {
      worker().postMessage({ type: "help-request", body, keep: data.has("keep"), replaces: current.replaces });
    } else {
      sendDirect(body);
    }
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.ready.then((registration) => {
      listenToOutbox(registration);
      document.documentElement.dataset.helpReady = "yes";
    });
  } else {
    document.documentElement.dataset.helpReady = "yes";
  }
}
