// Filters the clinic index by text, therapist and whether a plan runs today (the reader's
// today, so the built page stays the same whatever day it was built), and the exercise
// library by body region and condition. The pages work without it: everything shows.
(function () {
  var form = document.getElementById("plan-filter");
  if (!form) return;
  var text = document.getElementById("filter-text");
  var therapist = document.getElementById("filter-therapist");
  var active = document.getElementById("filter-active");
  var now = new Date();
  function two(n) { return (n < 10 ? "0" : "") + n; }
  var today = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.plans tbody tr"));
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var who = therapist.value;
    rows.forEach(function (row) {
      var haystack = row.getAttribute("data-search") || "";
      var matches = words.every(function (w) { return haystack.indexOf(w) !== -1; }) &&
        (!who || row.getAttribute("data-therapist") === who) &&
        (!active.checked || (row.getAttribute("data-start") <= today && today <= row.getAttribute("data-end")));
      row.hidden = !matches;
    });
  }
  text.addEventListener("input", apply);
  therapist.addEventListener("change", apply);
  active.addEventListener("change", apply);
})();

(function () {
  var form = document.getElementById("library-filter");
  if (!form) return;
  var region = document.getElementById("filter-region");
  var condition = document.getElementById("filter-condition");
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.tag-group"));
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function apply() {
    var wanted = [region.value, condition.value].filter(Boolean);
    groups.forEach(function (group) {
      var shown = 0;
      Array.prototype.forEach.call(group.querySelectorAll("li[data-tags]"), function (item) {
        var tags = item.getAttribute("data-tags").split(" ");
        item.hidden = !wanted.every(function (tag) { return tags.indexOf(tag) !== -1; });
        if (!item.hidden) shown += 1;
      });
      group.hidden = shown === 0;
    });
  }
  region.addEventListener("change", apply);
  condition.addEventListener("change", apply);
})();
