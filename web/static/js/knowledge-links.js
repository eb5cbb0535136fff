// Knowledge links in ticket replies: an "Insert link" button (data-insert: the text,
// data-target: the textarea's id) puts an article's link into the reply where the
// cursor is, or at the end if the agent has not been in the textarea yet.
(function () {
  "use strict";

  var visited = new WeakSet();

  document.addEventListener("focusin", function (event) {
    if (event.target instanceof HTMLTextAreaElement) {
      visited.add(event.target);
    }
  });

  function insert(area, text) {
    var value = area.value;
    var start = visited.has(area) ? area.selectionStart : value.length;
    var end = visited.has(area) ? area.selectionEnd : value.length;
    var before = value.slice(0, start);
    var after = value.slice(end);
    // Keep the link a word of its own: a space (or nothing) on each side.
    var lead = before && !/\s$/.test(before) ? " " : "";
    var tail = after && !/^\s/.test(after) ? " " : "";
    var piece = lead + text + tail;
    area.value = before + piece + after;
    var caret = before.length + piece.length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-insert]");
    if (!button) {
      return;
    }
    var area = document.getElementById(button.dataset.target || "reply-body");
    if (!area) {
      return;
    }
    event.preventDefault();
    insert(area, button.dataset.insert);
  });
})();
