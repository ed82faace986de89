// cop-diff history: filters; keeping them in the address, permalinks, printing and the
// phone's fold are folds.js (copDiffAddress, copDiffFolds).
// Without JavaScript the page still shows everything; the filters stay hidden.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".lineage"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".lineages"));
  var status = document.getElementById("filter-status");

  function apply() {
    var wanted = {};
    form.querySelectorAll("input[name=verdict]").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    var rule = form.elements.rule.value;
    var bindingOnly = form.elements.binding.checked;
    var hideParts = form.elements.parts.checked;
    var hideEnded = form.elements.ended.checked;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = wanted[row.dataset.verdict] === true &&
        (rule === "" || row.dataset.rules.indexOf(" " + rule + " ") >= 0) &&
        (!bindingOnly || row.dataset.binding === "1") &&
        (!hideParts || row.dataset.part !== "1") &&
        (!hideEnded || row.dataset.ended !== "1");
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    // A section whose rows are all filtered out says so, rather than looking empty.
    sections.forEach(function (section) {
      var note = section.querySelector(".none-match");
      var total = section.querySelectorAll(".lineage").length;
      var visible = section.querySelectorAll(".lineage:not([hidden])").length;
      if (note) { note.hidden = total === 0 || visible > 0; }
    });
    status.textContent = shown + " of " + rows.length + " provisions shown";
    address.remember();
  }

  var address = copDiffAddress(form);
  var reveal = copDiffFolds(form, apply);
  form.hidden = false;
  address.restore();
  form.addEventListener("change", apply);
  apply();
  reveal();
}());
