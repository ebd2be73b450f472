// The offline page: decrypts the deadlines kept on this device and lists them, dates written
// the way the page's language writes them.
import { load, supported } from "./lib/snapshot-store.js";

export default async function init(element) {
  if (!supported()) return;
  const snapshot = await load().catch(() => null);
  const list = element.querySelector("ol");
  const empty = element.querySelector("[data-empty]");
  const saved = element.querySelector("[data-saved-at]");
  if (!list) return;
  const language = document.documentElement.lang || "lv";
  // English is written the British way here, as on the server: "1 March 2027".
  const locale = language === "en" ? "en-GB" : language;
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const moments = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" });

  list.replaceChildren();
  const deadlines = snapshot && Array.isArray(snapshot.deadlines) ? snapshot.deadlines : [];
  for (const deadline of deadlines) {
    const item = document.createElement("li");
    const title = document.createElement(deadline.url ? "a" : "span");
    title.textContent = deadline.title;
    if (deadline.url) title.href = deadline.url;
    const due = document.createElement("time");
    due.dateTime = deadline.due;
    due.textContent = dates.format(new Date(`${deadline.due}T00:00:00Z`));
    item.append(due, " — ", title);
    if (deadline.subject) {
      const subject = document.createElement("span");
      subject.className = "muted";
      subject.textContent = ` (${deadline.subject})`;
      item.append(subject);
    }
    list.append(item);
  }
  list.hidden = deadlines.length === 0;
  if (empty) empty.hidden = deadlines.length > 0 || !snapshot;
  if (saved && snapshot && snapshot.savedAt) {
    saved.querySelector("time").dateTime = snapshot.savedAt;
    saved.querySelector("time").textContent = moments.format(new Date(snapshot.savedAt));
    saved.hidden = false;
  }
  element.hidden = !snapshot;
  element.dataset.state = snapshot ? "shown" : "none";
}
