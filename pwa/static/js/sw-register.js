// Registers the service worker (offline page, push). Browsers without it simply go online.
export default function init(element) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const url = element.dataset.serviceWorker || "/sw.js";
  navigator.serviceWorker
    .register(url, { scope: "/", updateViaCache: "none" })
    .catch((error) => console.warn("service worker not registered:", error.name));
  // The offline page should speak the language of the page the person last saw.
  navigator.serviceWorker.ready.then((registration) => {
    if (registration.active) {
      registration.active.postMessage({ type: "language", language: document.documentElement.lang });
    }
  });
}
