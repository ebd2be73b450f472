// Live updates of the notification list: new notices arrive over server-sent events
// (GET /notifications/stream) and are put at the top of the list, the unread count follows,
// and a polite live region says that something arrived. The page works without it: a reload
// shows the same. Text comes from the page (data-*-text), in its language.
export default function init(section) {
  if (!("EventSource" in window)) return;
  const list = section.querySelector("[data-live-list]");
  const counts = document.querySelectorAll("[data-unread-count]");
  const status = section.querySelector("[data-live-status]");
  const empty = section.querySelector("[data-live-empty]");
  const seen = new Set();

  const setCount = (n) => {
    for (const element of counts) {
      element.textContent = String(n);
      // The navigation's badge is hidden at 0 and shown as soon as something is unread.
      const badge = element.closest("[data-unread-badge]");
      if (badge) badge.hidden = n === 0;
    }
  };
  const countNow = () => Number((counts[0] && counts[0].textContent) || 0);

  const render = (item) => {
    const li = document.createElement("li");
    li.className = "card notification notification--unread";
    const state = document.createElement("p");
    state.className = "notification__state";
    const badge = document.createElement("strong");
    badge.className = "badge";
    badge.textContent = section.dataset.unreadText || "";
    state.append(badge);
    const title = document.createElement("h3");
    title.className = "notification__title";
    const link = document.createElement("a");
    const url = new URL(item.link, window.location.origin);
    link.href = url.origin === window.location.origin ? url.pathname + url.search : "/";
    link.textContent = item.title;
    title.append(link);
    const body = document.createElement("p");
    body.textContent = item.body;
    li.append(state, title, body);
    return li;
  };

  const source = new EventSource("/notifications/stream");
  source.addEventListener("ready", (event) => {
    const data = JSON.parse(event.data);
    if (typeof data.unread === "number") setCount(data.unread);
    section.dataset.live = "ready"; // subscribed: from now on nothing new is missed
  });
  source.addEventListener("notification", (event) => {
    const item = JSON.parse(event.data);
    if (seen.has(item.id)) return;
    seen.add(item.id);
    if (list) list.prepend(render(item));
    if (empty) empty.hidden = true;
    setCount(countNow() + 1);
    if (status) status.textContent = section.dataset.newText || "";
  });
  source.addEventListener("logged_out", () => source.close());
  window.addEventListener("pagehide", () => source.close());
}
