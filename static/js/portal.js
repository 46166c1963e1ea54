// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary after a failed submit so screen readers announce it.
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
