// Event mode, on a shared tablet or kiosk: after some minutes with no one using it, the app
// goes back to its start page, leaving nothing typed behind and no way Back to it.
const root = document.documentElement;
const idle = Number(root.dataset.eventIdle) * 1000;
let timer;

function restart() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    sessionStorage.clear();
    location.replace("/");
  }, idle);
}

if (idle > 0) {
  for (const type of ["pointerdown", "keydown", "input", "scroll", "touchstart"]) {
    addEventListener(type, restart, { capture: true, passive: true });
  }
  restart();
}
