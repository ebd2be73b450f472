// "Was this page useful?" without a reload: the widget's forms are posted with fetch and the
// answer replaces the question. Without fetch the forms post as usual (and come back to the
// page with a thank-you), so this module only improves what already works.
export default function init(section) {
  const status = section.querySelector("[data-feedback-status]");
  const choices = section.querySelector("[data-feedback-choices]");
  if (!window.fetch || !window.FormData || !window.URLSearchParams || !status || !choices) return;
  for (const form of section.querySelectorAll("form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => {
          if (!response.ok) throw new Error(`status ${response.status}`);
          choices.hidden = true;
          status.textContent = status.dataset.thanks;
          section.focus();
        })
        .catch(() => {
          if (button) button.disabled = false;
          status.textContent = status.dataset.failed;
        });
    });
  }
}
