// Loads the islands' WASM and wakes each island on the page.
//
// It lives in its own file, not inline, so the Content-Security-Policy can forbid inline
// scripts. The server writes the hashed bundle URLs on this script's tag, so a page only
// ever loads the WASM that was built with it.
const tag = document.querySelector("script[data-pkg-js]");

async function start() {
  const bundle = await import(tag.dataset.pkgJs);
  await bundle.default({ module_or_path: tag.dataset.pkgWasm });
  bundle.hydrate();
  // Islands never nest here, so a flat list is every island on the page.
  for (const island of document.querySelectorAll("leptos-island")) {
    const wake = bundle[island.dataset.component];
    if (wake) {
      wake(island);
    } else {
      console.warn("No WASM for island", island.dataset.component);
    }
  }
  // Lets the stylesheet (and tests) tell a page whose islands are awake.
  document.documentElement.dataset.islands = "ready";
}

if (tag) {
  start();
}
