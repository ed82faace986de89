// cop-diff redline: filters (kept in the address, so a filtered view can be shared);
// permalinks, printing and the phone's fold are folds.js (copDiffFolds).
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
    remember();
  }

  // The filters as query parameters: ?hide=neutral,worth-a-look&rule=...&binding=1&unchanged=1
  function remember() {
    var params = new URLSearchParams();
    var hidden = [];
    form.querySelectorAll("input[name=direction]").forEach(function (box) {
      if (!box.checked) { hidden.push(box.value); }
    });
    if (hidden.length) { params.set("hide", hidden.join(",")); }
    if (form.elements.rule.value) { params.set("rule", form.elements.rule.value); }
    if (form.elements.binding.checked) { params.set("binding", "1"); }
    if (form.elements.unchanged.checked) { params.set("unchanged", "1"); }
    var query = params.toString();
    var wanted = (query ? "?" + query : window.location.pathname) + window.location.hash;
    try {
      window.history.replaceState(null, "", wanted);
    } catch (error) {
      // Some browsers refuse to change the address of a file opened from disk: the
      // filters still work, they are only not kept in the address.
    }
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    var hidden = (params.get("hide") || "").split(",");
    form.querySelectorAll("input[name=direction]").forEach(function (box) {
      box.checked = hidden.indexOf(box.value) < 0;
    });
    var rule = params.get("rule") || "";
    var known = Array.prototype.some.call(form.elements.rule.options, function (option) {
      return option.value === rule;
    });
    form.elements.rule.value = known ? rule : "";
    form.elements.binding.checked = params.get("binding") === "1";
    form.elements.unchanged.checked = params.get("unchanged") === "1";
  }

  var reveal = copDiffFolds(form, apply);
  form.hidden = false;
  restore();
  form.addEventListener("change", apply);
  apply();
  reveal();
}());
