// Outreach pages' buttons. The share page's "Share", where the browser can share (the Web
// Share API); the QR code and the address work without it.
const button = document.querySelector("[data-share]");
if (button && navigator.share) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const { title, text, url } = button.dataset;
    navigator.share({ title, text, url }).catch(() => {});
  });
}

// The booklet's "Print" button; without a script the browser's own Print menu does the same.
const print = document.querySelector("[data-print]");
if (print) {
  print.hidden = false;
  print.addEventListener("click", () => window.print());
}
