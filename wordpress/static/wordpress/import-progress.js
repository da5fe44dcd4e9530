// The WordPress import run page, while its job waits or runs in the background worker: ask
// every few seconds where the job is, and reload the page once when that changes (the job
// started, finished or was lost), so the moderator sees the result without pressing reload.
// Without JavaScript the page's "Check progress" link does the same by hand.
const box = document.querySelector("[data-import-progress]");
if (box) {
  const seen = `${box.dataset.status}|${box.dataset.state}`;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const data = await response.json();
        const now = `${data.status}|${data.progress ? data.progress.state : ""}`;
        if (now !== seen) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // The server did not answer this time (a restart, a dropped connection): ask again.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
