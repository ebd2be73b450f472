// "Get notifications on this device": asks the browser for permission, subscribes with the
// server's VAPID key and stores the subscription (POST /push/subscriptions, the same endpoint
// the service worker uses on pushsubscriptionchange). Shown only where push works; all text
// comes from the page, in its language. The device list updates on the next page load.
function urlBase64ToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

export default function init(element) {
  const key = element.dataset.vapidKey;
  const button = element.querySelector("button");
  const status = element.querySelector("[data-push-status]");
  if (!key || !button || !status) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return; // not supported here: the section stays hidden
  }
  element.hidden = false;
  const say = (name) => {
    status.textContent = status.dataset[name] || "";
  };

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("deniedText");
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ||
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToBytes(key),
        }));
      const response = await fetch("/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(subscription.toJSON()),
      });
      say(response.ok ? "doneText" : "failedText");
    } catch (error) {
      say("failedText");
    } finally {
      button.disabled = false;
    }
  });
}
