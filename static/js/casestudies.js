// Case study library: with JavaScript, filtering updates the results without a full reload.
// The URL stays the source of truth: every update is a real address (shareable, and the
// back button works); without JavaScript the plain GET form does the same job.
const library = document.querySelector("[data-casestudies-library]");

async function show(url, { push = true } = {}) {
  library.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = html.querySelector("[data-casestudies-library]");
    if (!fresh) throw new Error("no library in response");
    library.replaceChildren(...fresh.childNodes);
    document.title = html.title;
    // Keep the head in step: feed autodiscovery for these filters, canonical, robots.
    for (const selector of ['link[rel="alternate"]', 'link[rel="canonical"]', 'meta[name="robots"]']) {
      for (const old of document.head.querySelectorAll(selector)) old.remove();
      for (const fresh of html.head.querySelectorAll(selector)) document.head.append(fresh);
    }
    if (push) history.pushState({ casestudies: true }, "", url);
    library.querySelector("#results-heading")?.focus();
  } catch {
    window.location.assign(url);
  } finally {
    library.removeAttribute("aria-busy");
  }
}

if (library && window.fetch && window.history) {
  library.addEventListener("submit", (event) => {
    const form = event.target.closest("form");
    if (!form) return;
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) if (!value) params.delete(key);
    const query = params.toString();
    show(form.action.split("?")[0] + (query ? `?${query}` : ""));
  });
  library.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(link.href, window.location.href);
    if (url.pathname !== window.location.pathname || url.pathname.endsWith("/feed/")) return;
    event.preventDefault();
    show(url.href);
  });
  window.addEventListener("popstate", () => show(window.location.href, { push: false }));
}
