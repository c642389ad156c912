// The share page's "Share" button, where the browser can share (the Web Share API); the QR
// code and the address work without it.
const button = document.querySelector("[data-share]");
if (button && navigator.share) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const { title, text, url } = button.dataset;
    navigator.share({ title, text, url }).catch(() => {});
  });
}
