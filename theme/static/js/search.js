// "Tìm kiếm": reads ?q= from the address, asks the Pagefind index, lists the results.
// The query is folded like the index's folded copy (plugins/site_search): tone
// marks dropped and đ as d, so "doan ket" and "đoàn kết" find the same articles.
(function () {
  var results = document.getElementById("search-results");
  if (!results) return;
  var input = document.getElementById("search-page-query");
  var status = results.querySelector(".search-status");
  var list = results.querySelector(".search-results-list");
  var labels = results.dataset;
  var query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  if (!query) return;

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function say(template, count) {
    status.textContent = template.replace("{count}", count).replace("{query}", query);
  }

  function show(pages, total) {
    list.textContent = "";
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.meta.title;
      heading.appendChild(link);
      item.appendChild(heading);
      if (page.meta.summary) {
        var summary = document.createElement("p");
        summary.textContent = page.meta.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    say(total ? labels.labelFound : labels.labelNone, total);
  }

  say(labels.labelSearching, 0);
  import(labels.pagefind)
    .then(function (pagefind) { return pagefind.search(fold(query)); })
    .then(function (search) {
      var shown = search.results.slice(0, 30).map(function (result) { return result.data(); });
      return Promise.all(shown).then(function (pages) { show(pages, search.results.length); });
    })
    .catch(function () { say(labels.labelFailed, 0); });
})();
