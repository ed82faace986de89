// cop-diff redline: filters; keeping them in the address, permalinks, printing and the
// phone's fold are folds.js (copDiffAddress, copDiffFolds).
// Without JavaScript the report still works: folded parts open by a click; no filters.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var rows = Array.prototype.slice.call(document.querySelectorAll(".prov"));
  var lists = Array.prototype.slice.call(document.querySelectorAll(".findings"));
  var status = document.getElementById("filter-status");
  var groups = Array.prototype.slice.call(document.querySelectorAll(".change-group"));

  function checkedDirections() {
    var wanted = {};
    form.querySelectorAll("input[name=direction]").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    return wanted;
  }

  function apply() {
    var wanted = checkedDirections();
    var rule = form.elements.rule.value;
    var bindingOnly = form.elements.binding.checked;
    var hideUnchanged = form.elements.unchanged.checked;
    var shown = 0;
    findings.forEach(function (item) {
      var visible = wanted[item.dataset.direction] === true &&
        (rule === "" || item.dataset.rule === rule) &&
        (!bindingOnly || item.dataset.binding === "1");
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    rows.forEach(function (row) {
      row.hidden = (bindingOnly && row.dataset.binding !== "1") ||
        (hideUnchanged && row.dataset.relation === "unchanged");
    });
    // A section whose findings are all filtered out says so, rather than looking empty.
    lists.forEach(function (section) {
      var note = section.querySelector(".none-match");
      var total = section.querySelectorAll(".finding").length;
      var visible = section.querySelectorAll(".finding:not([hidden])").length;
      if (note) { note.hidden = total === 0 || visible > 0; }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelectorAll(".finding:not([hidden])").length === 0;
    });
    status.textContent = shown + " of " + findings.length + " findings shown";
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
