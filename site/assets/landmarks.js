// Material wraps each code block's copy button in an unnamed <nav> (see
// overrides/main.html): take those wrappers out of the page's landmarks, once Material
// has drawn a page (document$ is Material's documented hook for page scripts).
"use strict";
(function () {
  function unlandmark() {
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
      nav.setAttribute("role", "none");
    }
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(unlandmark);
  } else {
    unlandmark();
  }
})();
