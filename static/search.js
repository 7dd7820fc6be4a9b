// Pagefind's search box, told where its files are and where the site's root is, so the index and the result links
// work under any sub-path (a GitHub Pages project site); a large briefing's index comes in shards, merged here.
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || !window.PagefindUI) return;
  var path = function (relative) { return new URL(relative, window.location.href).pathname; };
  var base = path(el.dataset.root || "./");
  var shards = (el.dataset.merge || "").split(" ").filter(Boolean).map(function (bundle) {
    return { bundlePath: path(bundle), baseUrl: base };
  });
  new PagefindUI({
    element: "#search", bundlePath: path(el.dataset.bundle), baseUrl: base, mergeIndex: shards, showImages: false
  });
  var input = el.querySelector("input");
  var label = document.getElementById("search-label");
  if (input && label) {
    input.id = "search-input";
    label.hidden = false;
  }
});
