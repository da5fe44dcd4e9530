// Progressive enhancement: the mobile menu toggle. Without JS the menu is always shown.
const toggle = document.querySelector(".nav-toggle");
const nav = document.getElementById("primary-nav");

if (toggle && nav) {
  const mobile = window.matchMedia("(max-width: 47.99em)");
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  };
  const sync = () => {
    toggle.hidden = !mobile.matches;
    setOpen(!mobile.matches);
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
  mobile.addEventListener("change", sync);
  document.documentElement.classList.add("js");
  sync();
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
