// cop-diff pages (the redline and the history): what opens and folds for a reader, and
// the filters kept in the address. Shared by both pages, each of which calls these with
// its filter form (and its apply()).
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

// The filters as query parameters, so that a filtered view can be shared:
// ?hide=<values of the kinds unchecked>&rule=<kind of finding>&<box>=1 for each other box.
// Boxes with a value are the kinds shown (checked by default); those without, options
// (unchecked by default); each select keeps its value.
function copDiffAddress(form) {
  "use strict";
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

  function isKind(box) { return box.hasAttribute("value"); }

  function remember() {
    var params = new URLSearchParams();
    var hidden = boxes.filter(function (box) { return isKind(box) && !box.checked; });
    if (hidden.length) {
      params.set("hide", hidden.map(function (box) { return box.value; }).join(","));
    }
    selects.forEach(function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    boxes.forEach(function (box) {
      if (!isKind(box) && box.checked) { params.set(box.name, "1"); }
    });
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
    boxes.forEach(function (box) {
      box.checked = isKind(box) ? hidden.indexOf(box.value) < 0 : params.get(box.name) === "1";
    });
    selects.forEach(function (select) {
      var value = params.get(select.name) || "";
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      });
      select.value = known ? value : "";
    });
  }

  return { remember: remember, restore: restore };
}
