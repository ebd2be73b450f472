// A button that copies the text of another element (data-copy-target: its id) and says so
// (data-copied: the words, from the template). The button is hidden until the browser can
// copy; without it, the text stays selectable as before.
export default function init(button) {
  const target = document.getElementById(button.dataset.copyTarget || "");
  if (!target || !navigator.clipboard || !window.isSecureContext) return;
  const status = button.parentElement.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      if (status) status.textContent = button.dataset.copied || "";
    } catch {
      // Refused (permissions): the address is still on the page to select by hand.
    }
  });
}
