// A button that installs the app, shown only where the browser offers installation (Chromium's
// beforeinstallprompt) and the app is not running installed already.
export default function init(element) {
  const button = element.querySelector("button");
  if (!button || !("onbeforeinstallprompt" in window)) return;
  if (window.matchMedia("(display-mode: standalone)").matches) return;
  let deferred = null;

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // our own button instead of the browser's mini-infobar
    deferred = event;
    element.hidden = false;
  });
  button.addEventListener("click", async () => {
    if (!deferred) return;
    const prompt = deferred;
    deferred = null;
    element.hidden = true;
    await prompt.prompt();
    await prompt.userChoice;
  });
  window.addEventListener("appinstalled", () => {
    deferred = null;
    element.hidden = true;
  });
}
