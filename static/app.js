// Small enhancements only: every page works without this file (links and GET forms).
"use strict";

// Below this width the facet sidebar and the report outline start folded, above the content.
const NARROW = window.matchMedia("(max-width: 59.99rem)");
// How long the "copied" note stays on a paragraph number.
const COPIED_MS = 1600;

// Fold the panels marked data-collapse-narrow on a phone; unfold them on a wide screen.
function fitPanels() {
  document.querySelectorAll("details[data-collapse-narrow]").forEach((panel) => {
    panel.open = !NARROW.matches;
  });
}

// A click on a paragraph number goes to the paragraph, as a link does, and copies its full URL.
function copyParagraphLinks() {
  document.querySelectorAll("a.pnum").forEach((link) => {
    link.addEventListener("click", () => {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(link.href).then(() => {
        link.classList.add("copied");
        window.setTimeout(() => link.classList.remove("copied"), COPIED_MS);
      }, () => {});
    });
  });
}

// Changing between 全文 and 标题 runs the search again when there is something to search.
function submitOnScope() {
  document.querySelectorAll("form.searchbox").forEach((form) => {
    form.querySelectorAll("input[name=scope]").forEach((radio) => {
      radio.addEventListener("change", () => {
        if (form.elements.q.value.trim()) form.requestSubmit();
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  fitPanels();
  NARROW.addEventListener("change", fitPanels);
  copyParagraphLinks();
  submitOnScope();
});
