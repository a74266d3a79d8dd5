// The signer directory's search, filters and sorting. The page works without this
// script (a plain, paginated list); with it, the full list is fetched only when the
// visitor first uses the form, then filtered here, 100 rows at a time.
// Every value from a pledge is set with textContent or setAttribute, never innerHTML.
(function () {
  "use strict";
  var form = document.getElementById("sm-filters");
  var table = document.querySelector("#sm-directory tbody");
  var status = document.getElementById("sm-status");
  var pages = document.getElementById("sm-pages");
  if (!form || !table) { return; }
  form.hidden = false;
  var PAGE = 100;
  var prefix = form.getAttribute("data-prefix") || "";
  var data = null;
  var loading = null;
  var shown = PAGE;
  var more = null;

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
          data = json.rows.map(function (row) {
            return {
              slug: row[index.slug], name: row[index.name], kind: row[index.kind],
              country: row[index.country], sector: row[index.sector],
              signed: row[index.signed], key: row[index.name].toLocaleLowerCase(),
              proof: index.proof === undefined ? "" : row[index.proof]
            };
          });
        });
    }
    return loading;
  }

  var countryNames = {};
  Array.prototype.forEach.call(form.elements.country.options, function (option) {
    countryNames[option.value] = option.textContent;
  });

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function render() {
    var query = fold(form.elements.q.value.trim());
    var country = form.elements.country.value;
    var sector = form.elements.sector.value;
    var kind = form.elements.kind.value;
    var year = form.elements.year.value;
    var proof = form.elements.proof ? form.elements.proof.value : "";
    var sort = form.elements.sort.value;
    var rows = data.filter(function (item) {
      return (!query || fold(item.name).indexOf(query) !== -1) &&
        (!country || item.country === country) && (!sector || item.sector === sector) &&
        (!kind || item.kind === kind) && (!year || item.signed.slice(0, 4) === year) &&
        (!proof || item.proof === proof || (proof === "statement" && item.proof === "website"));
    });
    rows.sort(function (a, b) {
      if (sort === "newest" || sort === "oldest") {
        var order = a.signed < b.signed ? -1 : a.signed > b.signed ? 1 : 0;
        return sort === "newest" ? -order : order;
      }
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
    table.textContent = "";
    rows.slice(0, shown).forEach(function (item) {
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      var link = document.createElement("a");
      link.setAttribute("href", prefix + encodeURIComponent(item.slug) + "/");
      link.setAttribute("dir", "auto");
      link.textContent = item.name;
      name.appendChild(link);
      if (item.proof === "website") {
        var mark = document.createElement("span");
        mark.className = "sm-proof-mark";
        mark.setAttribute("title", "Website confirms this signature");
        mark.textContent = " \u2713";
        var words = document.createElement("span");
        words.className = "sm-visually-hidden";
        words.textContent = " website confirms this signature";
        mark.appendChild(words);
        name.appendChild(mark);
      }
      tr.appendChild(name);
      cell(tr, item.kind);
      cell(tr, countryNames[item.country] || item.country);
      cell(tr, item.sector);
      var when = document.createElement("time");
      when.setAttribute("datetime", item.signed);
      when.textContent = item.signed;
      cell(tr, "").appendChild(when);
      table.appendChild(tr);
    });
    if (pages) { pages.hidden = true; }
    status.textContent = rows.length === 1 ? "1 signatory found." :
      rows.length + " signatories found." +
      (rows.length > shown ? " Showing the first " + shown + "." : "");
    if (!more) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "md-button sm-more";
      more.textContent = "Show more";
      more.addEventListener("click", function () { shown += PAGE; render(); });
      table.closest(".sm-directory").appendChild(more);
    }
    more.hidden = rows.length <= shown;
  }

  function update() {
    shown = PAGE;
    load().then(render).catch(function (error) {
      status.textContent = "The search could not load (" + error.message +
        "): the list below still works.";
    });
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
})();
