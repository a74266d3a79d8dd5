// The signer directory's search, filters and sorting. The page works without this
// script (a plain, paginated list); with it, the full list is fetched only when the
// visitor first uses the form (or opens an address that carries a search), then filtered
// here, a page of rows at a time.
// Every value from a pledge is set with textContent or setAttribute, never innerHTML: a
// row is a clone of the page's own row <template>, the markup the server's rows have.
// The form's state lives in the address (?name=...&country=...; not "q", which the
// theme's own site search reads and opens on), replaced while typing so
// that Back leaves the page, and read on load, so a filtered view can be shared and
// Back and Forward bring back the form and the list.
// Names and the search are folded (accents and case) by the rule the header search's
// signatories use, declared once in signatory-search.js, which every page loads deferred
// after this one: so this starts once the page is parsed and every deferred script ran.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("sm-filters");
  var table = document.querySelector("#sm-directory tbody");
  var template = document.getElementById("sm-row");
  var status = document.getElementById("sm-status");
  var pages = document.getElementById("sm-pages");
  var more = document.getElementById("sm-more");
  var filterSet = document.getElementById("sm-filter-set");
  var filterCount = document.getElementById("sm-filter-count");
  if (!form || !table || !template || !status || !more) { return; }
  form.hidden = false;
  var PAGE = parseInt(form.getAttribute("data-page-size"), 10) || 100;
  var prefix = form.getAttribute("data-prefix") || "";
  var root = form.getAttribute("data-root") || "";
  // Every control the address may set, in the form's order; a select's default is its
  // first option, the search box's is empty.
  var CONTROLS = ["name", "country", "sector", "kind", "year", "proof", "sort"];
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  var fold = window.socialmission.fold;
  var data = null;
  var loading = null;
  var shown = PAGE;

  // Which cell holds which field: the header says (data-field), in the page's order.
  var columns = Array.prototype.map.call(
    document.querySelectorAll("#sm-directory thead th"),
    function (th) { return th.getAttribute("data-field"); });

  // The words a country or a sector shows as: its filter's options say (the page's build
  // wrote them: country names, mission.yaml's words for each sector)
  function optionWords(select) {
    var words = {};
    Array.prototype.forEach.call(select.options, function (option) {
      words[option.value] = option.textContent;
    });
    return words;
  }
  var countryNames = optionWords(form.elements.country);
  var sectorNames = optionWords(form.elements.sector);

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-source"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (json) {
          var index = {};
          json.fields.forEach(function (name, i) { index[name] = i; });
          function field(row, name) {
            var value = index[name] === undefined ? "" : row[index[name]];
            return typeof value === "string" ? value : "";
          }
          data = json.rows.map(function (row) {
            var item = {};
            ["slug", "name", "host", "kind", "country", "sector", "signed", "older_version",
              "logo", "initial", "proof"].forEach(function (name) {
              item[name] = field(row, name);
            });
            item.key = item.name.toLocaleLowerCase();
            item.folded = fold(item.name);
            // "" is the filter's "All", never a signatory's country: none shows as none
            item.countryName = item.country && (countryNames[item.country] || item.country);
            item.sectorName = item.sector && (sectorNames[item.sector] || item.sector);
            return item;
          });
        });
    }
    return loading;
  }

  // --- the form's state and the address ------------------------------------------------
  function control(name) { return form.elements[name]; }

  function defaultOf(name) {
    var element = control(name);
    return element.tagName === "SELECT" ? element.options[0].value : "";
  }

  function state() {
    var values = {};
    CONTROLS.forEach(function (name) { values[name] = control(name).value; });
    return values;
  }

  // Sets the form from the address: a value no option has, or a search longer than the
  // box takes, is ignored (the control keeps its default).
  function readAddress() {
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { return false; }
    var any = false;
    CONTROLS.forEach(function (name) {
      var element = control(name);
      var value = params.get(name);
      element.value = defaultOf(name);
      if (value === null) { return; }
      if (element.tagName === "SELECT") {
        var known = Array.prototype.some.call(element.options, function (option) {
          return option.value === value;
        });
        if (!known) { return; }
      } else {
        if (element.maxLength > 0 && value.length > element.maxLength) { return; }
      }
      element.value = value;
      if (value !== defaultOf(name)) { any = true; }
    });
    return any;
  }

  // The form's keys in the address say what the form shows; any other key (the theme's
  // ?h= search highlight, say) is left as it is.
  function writeAddress() {
    var params = new URLSearchParams(window.location.search);
    var values = state();
    CONTROLS.forEach(function (name) {
      params.delete(name);
      if (values[name] !== defaultOf(name)) { params.set(name, values[name]); }
    });
    var search = params.toString();
    var address = window.location.pathname + (search ? "?" + search : "") +
      window.location.hash;
    if (address !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", address);
    }
  }

  function countActive() {
    if (!filterCount) { return; }
    var active = CONTROLS.filter(function (name) {
      return name !== "name" && control(name).value !== defaultOf(name);
    }).length;
    filterCount.textContent = active ? " (" + active + " active)" : "";
  }

  // --- drawing --------------------------------------------------------------------------
  // An address as the server writes it (site/pages.py, `address`): a <wbr> after each run
  // of '/', '.', '@' or spaces that does not end it; a part longer than `fits` characters
  // in a <span>.
  var fits = parseInt(form.getAttribute("data-address-part-fits"), 10);
  function fillAddress(element, text) {
    element.textContent = "";
    text.split(/([/.@\s]+)/).forEach(function (piece, i, pieces) {
      if (i % 2 === 0 && Array.from(piece).length > fits) {
        element.appendChild(document.createElement("span")).textContent = piece;
      } else if (piece) {
        element.appendChild(document.createTextNode(piece));
      }
      if (i % 2 === 1 && i < pieces.length - 1 && pieces[i + 1]) {
        element.appendChild(document.createElement("wbr"));
      }
    });
  }

  function draw(item) {
    var tr = template.content.firstElementChild.cloneNode(true);
    var cells = tr.cells;
    columns.forEach(function (name, i) {
      var td = cells[i];
      if (name === "name") {
        var link = td.querySelector("a");
        link.setAttribute("href", prefix + encodeURIComponent(item.slug) + "/");
        link.textContent = item.name;
        fillAddress(td.querySelector("bdi"), item.host);
        var logo = td.querySelector(".sm-logo");
        var monogram = td.querySelector(".sm-monogram");
        if (item.logo) {
          logo.setAttribute("src", root + item.logo.split("/").map(encodeURIComponent).join("/"));
          monogram.remove();
        } else {
          monogram.textContent = item.initial;
          logo.remove();
        }
        if (item.proof !== "website") { td.querySelector(".sm-proof-mark").remove(); }
      } else if (name === "signed") {
        var when = td.querySelector("time");
        when.setAttribute("datetime", item.signed);
        when.textContent = item.signed;
        // a signatory of an older version: which one (the link to what changed is fixed)
        var older = td.querySelector(".sm-older");
        if (item.older_version) {
          older.querySelector(".sm-older-version").textContent = item.older_version;
        } else {
          older.remove();
        }
      } else if (name === "country") {
        td.textContent = item.countryName;
      } else if (name === "sector") {
        td.textContent = item.sectorName;
      } else {
        td.textContent = item[name];
      }
    });
    return tr;
  }

  function matching() {
    var values = state();
    var query = fold(values.name.trim());
    var rows = data.filter(function (item) {
      return (!query || item.folded.indexOf(query) !== -1) &&
        (!values.country || item.country === values.country) &&
        (!values.sector || item.sector === values.sector) &&
        (!values.kind || item.kind === values.kind) &&
        (!values.year || item.signed.slice(0, 4) === values.year) &&
        (!values.proof || item.proof === values.proof ||
          (values.proof === "statement" && item.proof === "website"));
    });
    var sort = values.sort;
    function byName(a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; }
    rows.sort(function (a, b) {
      if (sort === "newest" || sort === "oldest") {
        var order = a.signed < b.signed ? -1 : a.signed > b.signed ? 1 : 0;
        return (sort === "newest" ? -order : order) || byName(a, b);
      }
      if (sort === "country") {  // by the English name shown; no country last
        return (!a.countryName - !b.countryName) ||
          collator.compare(a.countryName, b.countryName) || byName(a, b);
      }
      return byName(a, b);
    });
    return rows;
  }

  function render() {
    var rows = matching();
    var fragment = document.createDocumentFragment();
    rows.slice(0, shown).forEach(function (item) { fragment.appendChild(draw(item)); });
    table.textContent = "";
    table.appendChild(fragment);
    if (pages) { pages.hidden = true; }
    status.textContent = rows.length === 1 ? "1 signatory found." :
      rows.length + " signatories found." +
      (rows.length > shown ? " Showing the first " + shown + "." : "");
    more.hidden = rows.length <= shown;
  }

  // The state last drawn: the search box's "change" (as it loses focus, to the link the
  // visitor is clicking) must not redraw the rows under the pointer.
  var drawn = null;

  function update() {
    var key = JSON.stringify(state());
    if (key === drawn) { return; }
    drawn = key;
    shown = PAGE;
    writeAddress();
    countActive();
    if (!data) { status.textContent = "Searching\u2026"; }
    load().then(render).catch(function (error) {
      drawn = null;
      status.textContent = "The search could not load (" + error.message +
        "): the list below still works.";
    });
  }

  more.addEventListener("click", function () {
    if (!data) { return; }
    shown += PAGE;
    render();
  });

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });

  // Wide screens show every filter; small ones keep them behind "Filters", open on demand.
  if (filterSet && window.matchMedia("(min-width: 45em)").matches) { filterSet.open = true; }

  // The address's search, if it has one; a value the form ignored leaves the address too.
  if (readAddress()) { update(); } else { writeAddress(); }
  countActive();
});
