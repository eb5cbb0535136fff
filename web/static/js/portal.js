// Request forms: show a field only while the field it depends on holds one of
// its values (`data-visible-when` / `data-visible-values`, written by the
// field macro in _macros.html). The server applies the same rule, so without
// this script the form still works: hidden fields are ignored, and a field
// that becomes needed comes back with the form's error message.
(function () {
  "use strict";

  function currentValues(form, name) {
    var control = form.elements[name];
    if (!control) return [];
    if (control instanceof RadioNodeList) return [control.value];
    if (control.type === "checkbox") return [control.checked ? "True" : "False"];
    if (control.multiple) {
      return Array.prototype.filter.call(control.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    // A control that is itself hidden counts as empty, as on the server.
    var box = control.closest("[data-visible-when]");
    if (box && box.hidden) return [];
    return [control.value];
  }

  function update(form) {
    form.querySelectorAll("[data-visible-when]").forEach(function (box) {
      var wanted = (box.getAttribute("data-visible-values") || "").split("|");
      var have = currentValues(form, box.getAttribute("data-visible-when"));
      box.hidden = !have.some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-visible-when]")) return;
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("input", function () { update(form); });
      update(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
