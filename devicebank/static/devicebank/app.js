// devicebank's only script, loaded as an ES module from base.html.
//
// GOV.UK Frontend 6 expects `govuk-frontend-supported` on <body> when the browser runs ES modules; its page
// template adds it with an inline script, which our Content Security Policy (scripts from 'self' only) forbids.
// This file only runs in browsers that support modules, so reaching this line is the test.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Progress of a background job (e.g. an asset-register import): poll its status URL, move the bar, and
// reload the page when the job has finished so the person sees the result. Without JavaScript the page
// offers a Refresh link instead.
function watchProgress(element) {
  const url = element.dataset.statusUrl;
  const bar = element.querySelector("progress");
  const text = element.querySelector("[role=status]");
  const finished = new Set(["completed", "failed", "validated", "needs_mapping"]);
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const status = await response.json();
      if (bar.hasAttribute("value")) {  // a bar without a value is a check whose length is not known yet
        bar.value = status.progress_percent;
        bar.textContent = `${status.progress_percent}%`;
        text.textContent = `${status.status_label}: ${status.progress_percent}%`;
      } else {
        text.textContent = status.status_label;
      }
      if (finished.has(status.status)) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A dropped connection is retried on the next tick.
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 1000);
}

document.querySelectorAll("[data-module='app-import-progress']").forEach(watchProgress);
