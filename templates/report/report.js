// cop-diff redline: filters, permalinks into folded provisions, everything open to print.
// Without JavaScript the report still shows everything; the filters stay hidden.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var rows = Array.prototype.slice.call(document.querySelectorAll(".prov"));
  var lists = Array.prototype.slice.call(document.querySelectorAll(".findings"));
  var status = document.getElementById("filter-status");

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
    status.textContent = shown + " of " + findings.length + " findings shown";
  }

  // Following a permalink into a folded provision, or one the filters hid, shows it.
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

  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    closedForPrint.forEach(function (item) { item.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (item) { item.open = false; });
    closedForPrint = [];
  });

  form.hidden = false;
  form.addEventListener("change", apply);
  // "reset" fires before the controls take their default values.
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  window.addEventListener("hashchange", reveal);
  apply();
  reveal();
}());
