// "Listen", for people who read little. The server puts a control beside each text
// (`.listen`): a text's recording as a plain <audio> player, which works with no script at
// all, or, where the text has none, a hidden button for the phone's own voice. This script
// turns each player into one button, shows the voice buttons only when the phone really has
// a voice for the page's language, and runs a checklist's "Listen to all".
//
// A recording always wins; Karen texts have no voice buttons (no engine speaks Karen).
// Every word on the buttons comes from the server in the page's language.
const root = document.documentElement;
const lang = root.lang;
const controls = [...document.querySelectorAll(".listen")];
// The pause after each sign in "Listen to all", for ticking it.
const PAUSE_MS = 2000;
let voice = null;
let current = null;

// A voice installed on the phone for this language. A voice that needs the network, or
// one listed for another language, does not count: Chrome lists voices it then cannot use,
// and would read the text in English instead.
function findVoice() {
  const voices = self.speechSynthesis ? speechSynthesis.getVoices() : [];
  return voices.find((v) => v.localService && v.lang.toLowerCase().split(/[-_]/)[0] === lang) || null;
}

function refreshVoices() {
  voice = findVoice();
  for (const control of controls) {
    if (control.hasAttribute("data-say")) {
      control.querySelector("button").hidden = !voice;
    }
  }
  showListenAll();
}

function usable(control) {
  return Boolean(control && (control.querySelector("audio") || (voice && control.hasAttribute("data-say"))));
}

// The words a voice reads: the text the control sits in, without citations or buttons.
function words(control) {
  const copy = control.parentElement.cloneNode(true);
  copy.querySelectorAll(".listen, sup, input").forEach((node) => node.remove());
  return copy.textContent.replace(/\s+/g, " ").trim();
}

// Plays one control to its end; resolves when it ends, fails or is stopped.
function play(control) {
  stop();
  const button = control.querySelector("button");
  const audio = control.querySelector("audio");
  button.setAttribute("aria-pressed", "true");
  return new Promise((resolve) => {
    const done = () => {
      button.setAttribute("aria-pressed", "false");
      if (current?.control === control) {
        current = null;
      }
      resolve();
    };
    if (audio) {
      audio.onended = done;
      audio.onpause = done;
      audio.onerror = () => {
        // Offline without the kept audio: say so on the button, once.
        button.classList.add("listen-unavailable");
        done();
      };
      current = { control, stop: () => audio.pause() };
      audio.currentTime = 0;
      audio.play().catch(done);
    } else {
      const utterance = new SpeechSynthesisUtterance(words(control));
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.onend = done;
      utterance.onerror = () => {
        // The voice was not there after all: no more voice buttons on this page.
        voice = null;
        refreshVoices();
        done();
      };
      current = { control, stop: () => speechSynthesis.cancel() };
      speechSynthesis.speak(utterance);
    }
  });
}

function stop() {
  current?.stop();
  current = null;
}

for (const control of controls) {
  const audio = control.querySelector("audio");
  const button = control.querySelector("button");
  if (audio) {
    audio.hidden = true;
    button.hidden = false;
  }
  button.addEventListener("click", () => {
    listenAll.stop();
    if (current?.control === control) {
      stop();
    } else {
      play(control);
    }
  });
}

// "Listen to all": each sign of a checklist in turn, with a pause after it.
const listenAll = (() => {
  const row = document.querySelector(".listen-all");
  const button = row?.querySelector("button");
  const label = button?.textContent;
  let running = null;
  const items = () =>
    [...document.querySelectorAll(".checks li")].filter((item) => usable(item.querySelector(".listen")));

  async function run(token) {
    let heard = 0;
    for (const item of items()) {
      if (running !== token) {
        return;
      }
      item.classList.add("reading");
      item.scrollIntoView({ block: "center", behavior: "smooth" });
      await play(item.querySelector(".listen"));
      item.classList.remove("reading");
      if (running !== token) {
        return;
      }
      heard += 1;
      root.dataset.listened = String(heard);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    finish();
  }

  function finish() {
    running = null;
    if (button) {
      button.textContent = label;
    }
  }

  button?.addEventListener("click", () => {
    if (running) {
      stop();
      document.querySelector(".checks li.reading")?.classList.remove("reading");
      finish();
      return;
    }
    running = {};
    root.dataset.listened = "0";
    button.textContent = button.dataset.stop;
    run(running);
  });

  return {
    show: () => {
      if (row) {
        row.hidden = items().length === 0;
      }
    },
    stop: () => {
      if (running) {
        finish();
      }
    },
  };
})();

function showListenAll() {
  listenAll.show();
}

if (self.speechSynthesis && lang !== "ksw") {
  speechSynthesis.addEventListener?.("voiceschanged", refreshVoices);
}
refreshVoices();
