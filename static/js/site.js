// Progressive enhancement: the phone menu toggle. The CSS decides the first layout (the
// toggle shows and the menu folds only where scripting is enabled), so nothing moves when
// this runs; without JavaScript the menu is always shown and the toggle never is.
const toggle = document.querySelector(".nav-toggle");
const nav = document.getElementById("primary-nav");

if (toggle && nav) {
  const mobile = window.matchMedia("(max-width: 47.99em)");
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  };
  toggle.addEventListener("click", () => {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && mobile.matches && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  mobile.addEventListener("change", () => setOpen(false));
  document.documentElement.classList.add("js");
}

// Filter panels (<details class="filter-panel">) are folded on phones and shown on wide
// screens by CSS. Browsers without ::details-content cannot show a closed panel's content,
// so there the panel is opened on wide screens instead.
if (!CSS.supports("selector(::details-content)") && window.matchMedia("(min-width: 48em)").matches) {
  for (const panel of document.querySelectorAll("details.filter-panel")) panel.open = true;
}

// Copy-link buttons: <button data-copy-url="…">.
for (const button of document.querySelectorAll("[data-copy-url]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const status = button.parentElement.querySelector("[data-copy-status]");
    try {
      await navigator.clipboard.writeText(button.dataset.copyUrl);
      if (status) status.textContent = "Link copied";
    } catch {
      if (status) status.textContent = "Copy failed: select the address bar and copy the link";
    }
  });
}
