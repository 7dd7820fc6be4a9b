// Pagefind's search box, told where its files are so the site works under any sub-path, and given a visible label.
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || !window.PagefindUI) return;
  new PagefindUI({ element: "#search", bundlePath: el.dataset.bundle, showImages: false });
  var input = el.querySelector("input");
  var label = document.getElementById("search-label");
  if (input && label) {
    input.id = "search-input";
    label.hidden = false;
  }
});
