// cop-diff pages (the redline and the history): what opens and folds for a reader.
// Shared by both pages, each of which calls it with its filter form and their apply().
function copDiffFolds(form, apply) {
  "use strict";
  // Following a permalink into a folded part, or one the filters hid, shows it.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) { return; }
    if (target.closest("[hidden]")) {
      form.reset();
      apply();
    }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView();
  }

  // Printing (or "Save as PDF") opens everything, and folds it back afterwards.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    closedForPrint.forEach(function (item) { item.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (item) { item.open = false; });
    closedForPrint = [];
  });

  // On a phone the filters and contents fold, so that the findings come first.
  var side = document.getElementById("side-fold");
  if (window.matchMedia("(max-width: 60rem)").matches) { side.open = false; }
  // "reset" fires before the controls take their default values.
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  window.addEventListener("hashchange", reveal);
  return reveal;
}
