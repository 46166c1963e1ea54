// Small progressive enhancements; every page works without this file.

// htmx requests that change something carry the CSRF token in a header. It is set here, for
// requests to this origin only, and not with hx-headers on <body>: an element htmx acts on
// would otherwise post with the token wherever it points. The token comes from a <meta> tag
// because the CSRF cookie is HttpOnly in production.
document.addEventListener("htmx:configRequest", (event) => {
  const detail = event.detail;
  if (detail.verb === "get") return;
  const token = document.querySelector("meta[name='csrf-token']");
  const target = new URL(detail.path, window.location.href);
  if (token && target.origin === window.location.origin) {
    detail.headers["X-CSRFToken"] = token.content;
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // A table wider than its box scrolls sideways: say so, and let the keyboard scroll it
  // (a focusable region named after the table's caption).
  const hintMeta = document.querySelector("meta[name='table-scroll-hint']");
  const hint = hintMeta ? hintMeta.content : "";
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const caption = box.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = `table-caption-${Math.random().toString(36).slice(2)}`;
      box.setAttribute("aria-labelledby", caption.id);
    } else if (hint) {
      box.setAttribute("aria-label", hint);
    }
    if (hint) {
      const note = document.createElement("p");
      note.className = "table-scroll-hint";
      note.textContent = hint;
      box.before(note);
    }
  });

  // "Tick all on this page" for a list of checkboxes (hidden without JavaScript).
  document.querySelectorAll("[data-check-all]").forEach((button) => {
    const name = button.dataset.checkAll;
    button.hidden = false;
    button.addEventListener("click", () => {
      // The form's own checkboxes (those outside it that name it with form= included).
      const form = button.closest("form");
      const boxes = form
        ? Array.from(form.elements)
        : Array.from(document.querySelectorAll("input"));
      boxes
        .filter((box) => box.type === "checkbox" && box.name === name)
        .forEach((box) => {
          box.checked = true;
        });
    });
  });

  // The dashboard's period: typing a date of one's own chooses "a range of my own" in the list
  // (the server does the same when the list is left empty).
  document.querySelectorAll("[data-period-form]").forEach((form) => {
    const list = form.elements.namedItem("period");
    ["start", "end"].forEach((name) => {
      const field = form.elements.namedItem(name);
      if (!list || !field) return;
      field.addEventListener("change", () => {
        if (field.value) list.value = "egen";
      });
    });
  });

  // Phones: fold the main menu behind its "Meny" button (the CSS shows the button on narrow
  // screens only; on wider ones the menu is always open, whatever the button says).
  const nav = document.querySelector(".portal-nav");
  const toggle = nav && nav.querySelector(".portal-nav-toggle");
  if (toggle) {
    const fold = (folded) => {
      nav.classList.toggle("is-folded", folded);
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    };
    toggle.hidden = false;
    fold(true);
    toggle.addEventListener("click", () => fold(!nav.classList.contains("is-folded")));
  }

  // Move focus to the error summary after a failed submit so screen readers announce it.
  const summary = document.getElementById("conflict") || document.getElementById("form-errors");
  if (summary) summary.focus();

  // Interview form: add another empty finding in place (without JS the form offers
  // "save and add more findings" instead).
  const findings = document.getElementById("findings");
  const template = document.getElementById("finding-empty-form");
  if (findings && template) {
    const total = findings.querySelector("input[name$='-TOTAL_FORMS']");
    const list = document.getElementById("finding-forms");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary me-2";
    button.textContent = findings.dataset.addLabel;
    button.addEventListener("click", () => {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = list.lastElementChild;
      const first = added && added.querySelector("select, textarea, input:not([type=hidden])");
      if (first) first.focus();
    });
    const saveMore = findings.querySelector("[data-add-finding]");
    findings.insertBefore(button, saveMore);
  }
});
