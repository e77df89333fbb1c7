// Filters the clinic index by text and therapist. The page works without it: every row shows.
(function () {
  var form = document.getElementById("plan-filter");
  if (!form) return;
  var text = document.getElementById("filter-text");
  var therapist = document.getElementById("filter-therapist");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.plans tbody tr"));
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var who = therapist.value;
    rows.forEach(function (row) {
      var haystack = row.getAttribute("data-search") || "";
      var matches = words.every(function (w) { return haystack.indexOf(w) !== -1; }) &&
        (!who || row.getAttribute("data-therapist") === who);
      row.hidden = !matches;
    });
  }
  text.addEventListener("input", apply);
  therapist.addEventListener("change", apply);
})();
