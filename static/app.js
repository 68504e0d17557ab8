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

// Changing between 全文 and 标题, or ticking 模糊, runs the search again when there is something to search.
function submitOnScope() {
  document.querySelectorAll("form.searchbox").forEach((form) => {
    form.querySelectorAll("input[name=scope], input[name=match]").forEach((radio) => {
      radio.addEventListener("change", () => {
        if (form.elements.q.value.trim()) form.requestSubmit();
      });
    });
  });
}

// On a report reached from a search, n and p go to the next and previous paragraph the search
// found, from the one in view; the 上一处 / 下一处 links do the same without this script.
function walkMatchesWithKeys() {
  const matches = Array.from(document.querySelectorAll(".para.matched"));
  if (!matches.length) return;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
    const step = { n: 1, p: -1 }[event.key];
    if (!step) return;
    const current = document.querySelector(".para.matched:target");
    let index = matches.indexOf(current);
    if (index === -1) {
      // Nothing targeted yet: n goes to the first match below the top of the window, p to the one above it.
      let below = matches.findIndex((para) => para.getBoundingClientRect().top > 0);
      if (below === -1) below = matches.length;
      index = step > 0 ? below - 1 : below;
    }
    const next = matches[Math.min(Math.max(index + step, 0), matches.length - 1)];
    window.location.hash = next.id;
    event.preventDefault();
  });
}

// 复制引用 puts the paragraph's citation on the clipboard; the link still shows it (#cite-n) as it does without this script.
function copyCitations() {
  document.querySelectorAll("a.cite-link").forEach((link) => {
    link.addEventListener("click", () => {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(link.dataset.citation).then(() => {
        link.classList.add("copied");
        window.setTimeout(() => link.classList.remove("copied"), COPIED_MS);
      }, () => {});
    });
  });
}

// The report's 打印 button, hidden without this script (the browser's own print command gives the same page).
function offerPrinting() {
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  fitPanels();
  NARROW.addEventListener("change", fitPanels);
  copyParagraphLinks();
  submitOnScope();
  walkMatchesWithKeys();
  copyCitations();
  offerPrinting();
});
