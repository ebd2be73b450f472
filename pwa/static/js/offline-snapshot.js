// "Keep my deadlines on this device": the page embeds the person's upcoming deadlines as JSON
// (element named by data-source); when the person opts in, an encrypted copy is kept in
// IndexedDB and refreshed on every visit, for the offline page to show.
import { clean, isEnabled, save, supported, wipe } from "./lib/snapshot-store.js";

export default async function init(element) {
  const source = document.getElementById(element.dataset.source || "");
  const checkbox = element.querySelector("input[type=checkbox]");
  const status = element.querySelector("[role=status]");
  if (!source || !checkbox || !supported()) return;

  let deadlines;
  try {
    deadlines = clean(JSON.parse(source.textContent));
  } catch (error) {
    return; // nothing trustworthy to keep
  }
  const language = document.documentElement.lang;
  const say = (key) => {
    if (status) status.textContent = status.dataset[key] || "";
  };

  element.hidden = false;
  checkbox.checked = await isEnabled().catch(() => false);
  element.dataset.state = checkbox.checked ? "saved" : "off";
  if (checkbox.checked) await save(deadlines, language).catch(() => undefined);

  checkbox.addEventListener("change", async () => {
    checkbox.disabled = true;
    try {
      if (checkbox.checked) {
        await save(deadlines, language);
        say("saved");
      } else {
        await wipe();
        say("removed");
      }
    } catch (error) {
      checkbox.checked = false;
      await wipe();
      say("failed");
    } finally {
      checkbox.disabled = false;
      element.dataset.state = checkbox.checked ? "saved" : "off";
    }
  });
}
