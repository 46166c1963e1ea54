// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
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
