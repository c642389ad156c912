// Listening (issue 20), in headless Chromium with a fake microphone that "speaks" a clip made
// by eSpeak NG, and audio allowed to play without a gesture: an editor records a sign and
// uploads others, publishes them; a phone plays them online, keeps the audio for offline and
// plays it again in airplane mode; "Listen to all" walks the checklist; bad uploads are
// refused with their reason; and the phone's own voice is offered only where the phone has
// one for the language. The clips are test clips, made here and never shipped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors, addStaff, querySql } from "./server.mjs";

const EDITOR = { username: "mai", password: "an editor's long password" };
const SECOND = { username: "lan", password: "a second editor's long password" };
const SLUG = "job-offer";
let server;
let browser;
let dir;
let items;

/** A test clip: eSpeak NG reading `words` (or `seconds` of a tone), as Opus at 24 kbps. */
function clip(name, words, seconds = 0) {
  const wav = join(dir, `${name}.wav`);
  const opus = join(dir, `${name}.opus`);
  if (words) {
    execFileSync("espeak-ng", ["-v", "vi", "-w", wav, words]);
  } else {
    execFileSync("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", String(seconds), "sine", "300"]);
  }
  execFileSync("opusenc", ["--quiet", "--bitrate", "24", wav, opus]);
  return { wav, opus };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "passport-audio-"));
  const voice = clip("microphone", "Họ giữ hộ chiếu của bạn. Đừng trả tiền.");
  server = await startServer();
  browser = await launchBrowser([
    "--autoplay-policy=no-user-gesture-required",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${voice.wav}`,
  ]);
  addStaff(server.db, EDITOR.username, "editor", EDITOR.password);
  addStaff(server.db, SECOND.username, "editor", SECOND.password);
  items = querySql(
    server.db,
    `SELECT group_concat(id, char(10)) FROM (SELECT id FROM checklist_item WHERE checklist_slug = '${SLUG}' ORDER BY position)`,
  )
    .split("\n")
    .filter(Boolean);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function workspace(who = EDITOR) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/staff/recordings/vi`);
  await page.fill("#username", who.username);
  await page.fill("#password", who.password);
  await page.click("form.staff-form button[type=submit]");
  await page.waitForURL(`${server.url}/staff/recordings/vi`);
  return { context, page };
}

const textId = (item) => `checklist.${SLUG}.item.${item}.text`;

async function openText(page, item) {
  await page.goto(`${server.url}/staff/recordings/vi/text?id=${encodeURIComponent(textId(item))}`);
}

/** A second editor listens to each saved recording and approves it; then `page` publishes. */
async function publish(page) {
  const { context, page: second } = await workspace(SECOND);
  await second.goto(`${server.url}/staff/translations`);
  assert.equal(await second.$$eval("#approvals audio[src^='/staff/audio/']", (a) => a.length), 3);
  while (await second.$("#approvals form button")) {
    await Promise.all([second.waitForEvent("load"), second.click("#approvals form button")]);
  }
  await context.close();
  await page.goto(`${server.url}/staff/translations`);
  await page.click("form[action='/staff/translations/publish'] button");
  await page.waitForSelector("text=Published content version: 2");
}

test("an editor records a sign with the microphone, uploads two more, and publishes them", async () => {
  const { context, page } = await workspace();
  const errors = watchErrors(page);
  // The list starts with the checklists, and nothing can be heard yet.
  assert.match(await page.textContent("[role=status]"), /^0 of \d+/);
  await openText(page, items[0]);
  await page.click(".recorder [data-record]");
  // Two seconds of the fake microphone, as the page's own clock counts them.
  await page.waitForFunction(() => Number(document.querySelector(".recorder").dataset.seconds) >= 2);
  await page.click(".recorder [data-stop]");
  await page.waitForSelector(".recorder[data-taken=yes] [data-take]:not([hidden])");
  // The take can be heard before it is saved.
  const playable = await page.$eval("[data-take]", (audio) => audio.play().then(() => true, () => false));
  assert.equal(playable, true);
  await page.click(".recording-form button[value=save]");
  await page.waitForURL(/done=saved/);
  const [container, millis] = querySql(server.db, "SELECT container || '|' || millis FROM audio_clip").split("|");
  assert.equal(container, "webm", "Chrome records Opus in WebM");
  assert.ok(Number(millis) >= 1500, `${millis} ms`);

  for (const [n, item] of [items[1], items[2]].entries()) {
    await openText(page, item);
    await page.setInputFiles("#clip", clip(`sign-${n}`, `Dấu hiệu ${n + 2}`).opus);
    await page.click(".recording-form button[value=save]");
    await page.waitForURL(/done=saved/);
  }
  assert.equal(querySql(server.db, "SELECT count(*) FROM pending_recording"), "3");
  await publish(page);
  assert.equal(querySql(server.db, "SELECT count(*) FROM recording WHERE locale = 'vi'"), "3");
  await page.goto(`${server.url}/staff/recordings/vi`);
  assert.match(await page.textContent("[role=status]"), /^3 of \d+/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an upload that is not audio, or too long, is refused with its reason", async () => {
  const { context, page } = await workspace();
  const long = clip("long", "", 95);
  const cases = [
    [{ name: "notes.html", mimeType: "audio/ogg", buffer: Buffer.from("<html>not audio</html>") }, "not Opus audio"],
    [{ name: "song.mp3", mimeType: "audio/mpeg", buffer: Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64".repeat(40), "latin1") }, "MP3 and M4A files are not taken"],
    [{ name: "long.opus", mimeType: "audio/ogg", buffer: readFileSync(long.opus) }, "longer than 90 seconds"],
  ];
  for (const [file, reason] of cases) {
    await openText(page, items[3]);
    await page.setInputFiles("#clip", file);
    await page.click(".recording-form button[value=save]");
    const alert = await page.waitForSelector("[role=alert]");
    assert.match(await alert.textContent(), new RegExp(reason), file.name);
  }
  const id = textId(items[3]);
  assert.equal(querySql(server.db, `SELECT count(*) FROM pending_recording WHERE message_id = '${id}'`), "0");
  await context.close();
});

test("a phone plays a sign online, keeps the audio, and plays it again in airplane mode", async () => {
  const phone = await browser.newContext();
  const page = await phone.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/vi/checklists/${SLUG}`);
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  const sign = `li.check:has(input[value="${items[0]}"])`;
  // With the script, one button in place of the player.
  await page.waitForSelector(`${sign} .listen audio[hidden]`, { state: "attached" });
  const play = async () => {
    await page.click(`${sign} .listen-button`);
    await page.waitForFunction(
      (selector) => {
        const audio = document.querySelector(`${selector} audio`);
        return audio.ended && audio.played.length > 0;
      },
      sign,
    );
    assert.equal(await page.$eval(`${sign} .listen-button`, (b) => b.classList.contains("listen-unavailable")), false);
  };
  await play();

  // Audio is not kept by default; the offline page offers it with its size.
  const audioUrl = await page.$eval(`${sign} audio`, (audio) => new URL(audio.src).pathname);
  const kept = () =>
    page.evaluate(async (url) => Boolean(await (await caches.open("passport-files-v1")).match(url)), audioUrl);
  assert.equal(await kept(), false);
  await page.goto(`${server.url}/vi/offline`);
  const offer = await page.waitForSelector("[data-audio-for=vi]:not([hidden]) label");
  assert.match(await offer.textContent(), /\(\d+ KB\)/);
  await page.check("#audio-vi");
  await page.evaluate(() => delete document.documentElement.dataset.offlineSynced);
  await page.click("[data-keep-offline] button[type=submit]");
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);
  assert.equal(await kept(), true);

  await phone.setOffline(true);
  await page.goto(`${server.url}/vi/checklists/${SLUG}`);
  await play();
  assert.deepEqual(errors, []);
  await phone.close();
});

test("Listen to all reads each recorded sign in turn, with a pause to tick it", async () => {
  const phone = await browser.newContext();
  const page = await phone.newPage();
  await page.goto(`${server.url}/vi/checklists/${SLUG}`);
  await page.waitForSelector(".listen-all:not([hidden])");
  await page.evaluate(() => {
    window.heard = [];
    new MutationObserver(() => {
      const reading = document.querySelector(".checks li.reading input");
      if (reading && window.heard.at(-1) !== reading.value) window.heard.push(reading.value);
    }).observe(document.querySelector(".checks"), { subtree: true, attributes: true, attributeFilter: ["class"] });
  });
  await page.click(".listen-all button");
  await page.waitForFunction(() => document.documentElement.dataset.listened === "3", null, { timeout: 30000 });
  assert.deepEqual(await page.evaluate(() => window.heard), items.slice(0, 3));
  await phone.close();
});

test("the phone's voice is offered only for a language the phone really has a voice for", async () => {
  const phone = await browser.newContext();
  // A phone with an English voice of its own, and a Vietnamese one that needs the network.
  await phone.addInitScript(() => {
    const voices = [
      { name: "English", lang: "en-US", localService: true, default: true, voiceURI: "en" },
      { name: "Vietnamese (network)", lang: "vi-VN", localService: false, default: false, voiceURI: "vi" },
    ];
    Object.defineProperty(speechSynthesis, "getVoices", { value: () => voices });
  });
  const page = await phone.newPage();
  const shown = async (lang) => {
    await page.goto(`${server.url}/${lang}/checklists/${SLUG}`);
    await page.waitForFunction(() => document.documentElement.dataset.worker);
    return page.$$eval("[data-say] button", (buttons) => ({
      all: buttons.length,
      visible: buttons.filter((b) => !b.hidden).length,
    }));
  };
  const english = await shown("en");
  assert.ok(english.visible > 0 && english.visible === english.all, JSON.stringify(english));
  const vietnamese = await shown("vi");
  assert.ok(vietnamese.all > 0 && vietnamese.visible === 0, JSON.stringify(vietnamese));
  // The recorded signs still play their recordings.
  assert.equal(await page.$$eval(".listen-button:not([hidden])", (b) => b.length), 3);
  const karen = await shown("ksw");
  assert.equal(karen.all, 0, "no voice button in Karen at all");
  await phone.close();
});
