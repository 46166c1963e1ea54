// Fast entry of proposals. After htmx swaps in the answer, put the focus where the facilitator
// needs it: on the error summary when the proposal was refused, otherwise back in the title so
// the next proposal can be typed at once. Without this file the form posts normally.
const isEntryForm = (element) => element instanceof HTMLElement && element.id === "fast-entry-form";

// Move the focus to the title before the swap: htmx would otherwise re-focus the new copy of
// the radio button that submitted the form, and Chromium then starts the next Tab from that
// button instead of from the first one in the group.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (!isEntryForm(event.target)) return;
  const title = event.target.querySelector("input[name='title']");
  if (title) title.focus();
});

document.addEventListener("htmx:afterSettle", (event) => {
  if (!isEntryForm(event.target)) return;
  const form = event.target;
  const errors = form.querySelector("#form-errors");
  if (errors) {
    errors.focus();
    return;
  }
  // htmx has usually put the focus back in the new title already; a facilitator who is
  // typing the next proposal by then must not be pulled back to it.
  if (form.contains(document.activeElement)) return;
  const title = form.querySelector("input[name='title']");
  if (title) title.focus();
});
