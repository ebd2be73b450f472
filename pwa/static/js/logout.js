// Logging out forgets what this device kept: the encrypted deadlines and the service worker's
// caches. The form still posts as usual; a wipe that hangs must never block the logout.
import { wipe } from "./lib/snapshot-store.js";

const WAIT_MS = 2000;

function tellServiceWorker() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return Promise.resolve();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    worker.postMessage({ type: "logout" }, [channel.port2]);
  });
}

export default function init(form) {
  let submitting = false;
  form.addEventListener("submit", (event) => {
    if (submitting) return;
    event.preventDefault();
    submitting = true;
    const wiped = Promise.all([window.indexedDB ? wipe() : null, tellServiceWorker()]);
    const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    Promise.race([wiped, timeout]).finally(() => form.submit());
  });
}
