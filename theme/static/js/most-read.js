/* "Tin đọc nhiều": the counter's most read pages of the last 7 days. The block
   stays hidden unless the counter answers in time with pages. Titles are set as
   text; only this site's own paths become links. */
(function () {
  var block = document.getElementById("most-read");
  var widget = document.getElementById("visit-counter");
  var base = widget && widget.getAttribute("data-counter-url");
  var limit = block && block.getAttribute("data-most-read-limit");
  if (!base || !/^[1-9]\d*$/.test(limit || "") || !window.fetch || !window.AbortController) return;
  var list = block.querySelector("ol");
  var abort = new AbortController();
  var timer = setTimeout(function () { abort.abort(); }, 4000);
  fetch(base.replace(/\/+$/, "") + "/api/top?limit=" + limit,
        { cache: "no-store", signal: abort.signal })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (top) {
      var pages = top && Array.isArray(top.pages) ? top.pages : [];
      pages.forEach(function (page) {
        if (!page || typeof page.path !== "string" || !/^\/(?!\/)/.test(page.path) || typeof page.title !== "string" || !page.title) return;
        var link = document.createElement("a");
        link.href = page.path;
        link.textContent = page.title;
        list.appendChild(document.createElement("li")).appendChild(link);
      });
      block.hidden = !list.children.length;
    })
    .catch(function () {})
    .then(function () { clearTimeout(timer); });
})();
