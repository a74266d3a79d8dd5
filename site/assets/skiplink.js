// The theme's "Skip to content" link moves the keyboard focus to where it scrolls (see
// overrides/main.html), and on Zensical points at the page's h1 rather than at the empty
// anchor Zensical puts before the content. One file every page shares, not an inline
// script each page repeats.
"use strict";
(function () {
  var anchor = document.getElementById("__skip");
  var heading = document.querySelector("article.md-content__inner h1");
  if (!anchor || !heading || anchor.textContent.trim() !== "") { return; }
  if (!heading.id) { heading.id = anchor.id; }
  anchor.remove();
  var links = document.querySelectorAll('a.md-skip[href="#__skip"]');
  for (var i = 0; i < links.length; i++) {
    links[i].setAttribute("href", "#" + encodeURIComponent(heading.id));
  }
})();
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element && event.target.closest("a.md-skip");
  var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) { return; }
  if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
  target.focus({ preventScroll: true });
});
