// The profile page: offer the time zone this device reports, when the list has
// it and it is not the one already chosen. Without JavaScript the list alone works.
(function () {
  "use strict";

  function init() {
    var select = document.getElementById("timezone");
    var button = document.getElementById("timezone-guess");
    if (!select || !button || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === select.value) return;
    var offered = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (!offered) return;
    button.textContent = button.getAttribute("data-label").replace("__ZONE__", zone);
    button.hidden = false;
    button.addEventListener("click", function () {
      select.value = zone;
      button.hidden = true;
      select.focus();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
