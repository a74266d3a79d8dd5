// The header search's signatories: the theme's search dialog (Material's on MkDocs, in the
// page; Zensical's, a <dialog> in an open shadow root) also lists the signatories whose
// name has a word that starts with what the visitor typed, from the directory's own data
// (api/v1/directory.json, the one index of active signatories), above the theme's results
// for the pages, which stay as they are. Nothing is fetched until the search is first
// focused or typed in; then the data is fetched once for the page.
//
// Matching: the name and the query are folded alike (fold, below: the directory's rule,
// declared here once); every word of the query must start a word of the name ("ana",
// "perez", "ana pér" all find "Ana Pérez"). Scripts that do not separate words with spaces
// (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan) have no word boundary a script
// can find without a dictionary: a query word in one of them matches anywhere in the name
// ("さくら" and "デザイン" find "株式会社さくらデザイン").
//
// Keyboard: on Material, the arrow keys go from the field through these links and on to
// the pages' results (its own handler walks every link in its result list, where these
// are), and Enter opens the first signatory shown; on Zensical, the dialog's own Tab order
// reaches them, and the arrow keys move between them and its listbox (Up from the top of
// its listbox to the last of them, on past the first or the last back to the field), and
// Enter in the field opens the first one when the pages have no result. A polite live
// region says how many were found.
// Every value from a pledge is set with textContent or setAttribute, never as markup.
(function () {
  "use strict";

  // The folding both searches use (directory.js reads it from here): compatibility
  // decomposition, accents dropped, lower case. "Pérez" and "PEREZ" both fold to "perez".
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }
  window.socialmission = window.socialmission || {};
  window.socialmission.fold = fold;

  var script = document.currentScript;
  var source = script && script.getAttribute("data-source");
  var pages = script && script.getAttribute("data-pages");
  if (!source || !pages || !window.fetch) { return; }
  // relative to this page (site_url's path and the page's depth are in them), resolved now
  source = new URL(source, document.baseURI).href;
  pages = new URL(pages, document.baseURI).href;

  var SHOWN = 10;  // links at most; the directory shows the rest
  var UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
  var SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;

  var data = null;
  var loading = null;
  var failure = "";

  function words(text) {
    return fold(text).split(SEPARATORS).filter(Boolean);
  }

  function load() {
    if (!loading) {
      loading = fetch(source, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (json) {
          var at = {};
          json.fields.forEach(function (name, i) { at[name] = i; });
          function field(row, name) {
            var value = at[name] === undefined ? "" : row[at[name]];
            return typeof value === "string" ? value : "";
          }
          data = json.rows.map(function (row) {
            var name = field(row, "name");
            return { slug: field(row, "slug"), name: name, host: field(row, "host"),
              key: name.toLocaleLowerCase(), folded: fold(name), words: words(name) };
          });
        })
        .catch(function (error) { failure = error.message; });
    }
    return loading;
  }

  function matches(item, query) {
    return query.every(function (part) {
      if (UNSPACED.test(part)) { return item.folded.indexOf(part) !== -1; }
      return item.words.some(function (word) { return word.lastIndexOf(part, 0) === 0; });
    });
  }

  // Names that start with the query first, then by name.
  function found(text) {
    var query = words(text);
    if (!query.length || !data) { return []; }
    var first = query[0];
    return data.filter(function (item) { return matches(item, query); })
      .map(function (item) { return { item: item, later: item.folded.lastIndexOf(first, 0) !== 0 }; })
      .sort(function (a, b) {
        return (a.later - b.later) ||
          (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0);
      })
      .map(function (entry) { return entry.item; });
  }

  // --- the list in the dialog -----------------------------------------------------------
  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  var part = element("div", "sm-signatory-search");
  part.setAttribute("role", "group");
  part.setAttribute("aria-labelledby", "sm-signatory-search-title");
  var status = element("p", "sm-visually-hidden");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var shown = element("div", "sm-signatory-search__shown");
  shown.hidden = true;
  var title = element("h2", "sm-signatory-search__title", "Signatories");
  title.id = "sm-signatory-search-title";
  var list = element("ul", "sm-signatory-search__list");
  var note = element("p", "sm-signatory-search__note");
  shown.append(title, list, note);
  part.append(status, shown);

  function href(slug) { return pages + encodeURIComponent(slug) + "/"; }

  function draw(text) {
    var query = text.trim();
    list.textContent = "";
    note.textContent = "";
    if (!query) {
      status.textContent = "";
      shown.hidden = true;
      return;
    }
    if (!data) {
      status.textContent = failure ?
        "The signatories could not be searched (" + failure + ")." : "Searching signatories\u2026";
      note.textContent = failure ? status.textContent : "";
      shown.hidden = !failure;
      return;
    }
    var items = found(query);
    status.textContent = items.length === 1 ? "1 signatory found." :
      (items.length || "No") + " signatories found.";
    shown.hidden = items.length === 0;
    items.slice(0, SHOWN).forEach(function (item) {
      var link = element("a", "sm-signatory-search__link");
      link.setAttribute("href", href(item.slug));
      var name = element("span", "sm-signatory-search__name", item.name);
      name.setAttribute("dir", "auto");
      link.appendChild(name);
      if (item.host) {
        var host = element("bdi", "sm-signatory-search__host", item.host);
        host.setAttribute("dir", "ltr");
        link.appendChild(host);
      }
      var li = element("li");
      li.appendChild(link);
      list.appendChild(li);
    });
    if (items.length > SHOWN) {  // the directory's search, which matches within words too
      note.textContent = "The first " + SHOWN + " of " + items.length + ". ";
      var all = element("a", "sm-signatory-search__all", "Search the directory");
      all.setAttribute("href", pages + "?name=" + encodeURIComponent(query));
      note.appendChild(all);
    }
  }

  function links() { return Array.prototype.slice.call(part.querySelectorAll("a[href]")); }

  // --- each engine's dialog -------------------------------------------------------------
  // The search field an event came from, and where the list goes in its dialog: the
  // start of the results (Material's, whose keyboard handler walks its links; Zensical's
  // scrolling results, before its own count and listbox).
  function place(field) {
    var material = field.closest("[data-md-component=search]");
    var results = material ?
      material.querySelector("[data-md-component=search-result]") :
      field.closest("dialog") && (function () {
        var box = field.closest("dialog").querySelector("[role=listbox]");
        return box && box.parentElement;
      })();
    if (!results) { return false; }
    if (part.parentNode !== results || results.firstChild !== part) {
      results.insertBefore(part, results.firstChild);
    }
    if (!material) { adoptStyles(field.getRootNode()); }
    return true;
  }

  function searchField(event) {
    var target = event.composedPath ? event.composedPath()[0] : event.target;
    if (!(target instanceof HTMLInputElement)) { return null; }
    if (target.matches("[data-md-component=search-query]")) { return target; }
    // Zensical's: the combobox of the search <dialog> in its shadow root
    if (target.getRootNode() instanceof ShadowRoot &&
        target.matches("dialog input[role=combobox]")) { return target; }
    return null;
  }

  // The rules of registry.css's section for this list, adopted by Zensical's shadow root,
  // which the document's styles do not reach (read from the page's own stylesheet, so they
  // are written once).
  var adopted = false;
  function adoptStyles(root) {
    if (adopted || !(root instanceof ShadowRoot) || !window.CSSStyleSheet ||
        !("adoptedStyleSheets" in root)) { return; }
    adopted = true;
    var text = [];
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      var rules;
      try { rules = sheet.cssRules; } catch (e) { return; }
      Array.prototype.forEach.call(rules, function (rule) {
        if (/\.sm-(signatory-search|visually-hidden)/.test(rule.cssText)) { text.push(rule.cssText); }
      });
    });
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(text.join("\n"));
    root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
  }

  var current = null;  // the field last typed in or focused
  function refresh(field) {
    current = field;
    if (!place(field)) { return; }
    draw(field.value);
    load().then(function () {
      if (current === field && place(field)) { draw(field.value); }
    });
  }

  function onField(event) {
    var field = searchField(event);
    if (field) { refresh(field); }
  }
  document.addEventListener("focusin", onField);
  document.addEventListener("input", onField);

  // Enter in the field opens the first signatory shown: on Material, always (its own
  // handler would rank these links among the pages' by a score they do not have); on
  // Zensical, when its listbox has nothing to open, and then Down goes to them too.
  window.addEventListener("keydown", function (event) {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var field = searchField(event);
    var mine = links();
    if (!field || !mine.length || !part.isConnected) { return; }
    var zensical = !field.matches("[data-md-component=search-query]");
    var options = zensical && field.getRootNode().querySelector("[role=listbox] [role=option]");
    if (event.key === "ArrowDown" && zensical && !options) {
      event.preventDefault();
      mine[0].focus();
    } else if (event.key === "ArrowUp" && zensical &&
               (!options || options.getAttribute("aria-selected") === "true")) {
      event.preventDefault();  // up from the top of its listbox: into these, above it
      mine[mine.length - 1].focus();
    } else if (event.key === "Enter" && (!zensical || !options)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      mine[0].click();
    }
  }, true);

  // On Zensical, the arrow keys move between these links (Material's own handler moves
  // through them with its results), and from the first or the last back to the field,
  // whose listbox (below them) the arrow keys move in.
  part.addEventListener("keydown", function (event) {
    if (!current || current.matches("[data-md-component=search-query]")) { return; }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var mine = links();
    var at = mine.indexOf(event.target);
    if (at === -1) { return; }
    event.preventDefault();
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    (next < 0 || next >= mine.length ? current : mine[next]).focus();
  });
})();
