// Pagefind's search box, told where its files are so the site works under any sub-path (a large briefing's index
// comes in shards, merged here), and given a visible label.
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || !window.PagefindUI) return;
  var shards = (el.dataset.merge || "").split(" ").filter(Boolean).map(function (path) {
    return { bundlePath: path };
  });
  new PagefindUI({ element: "#search", bundlePath: el.dataset.bundle, mergeIndex: shards, showImages: false });
  var input = el.querySelector("input");
  var label = document.getElementById("search-label");
  if (input && label) {
    input.id = "search-input";
    label.hidden = false;
  }
});
