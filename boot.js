// Starts the app. Trunk writes the hashed file names into this script tag's data
// attributes (see Trunk.toml), so no inline script is needed and the page's
// Content-Security-Policy can forbid them.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
