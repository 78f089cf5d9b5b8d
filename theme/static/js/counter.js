/* Visit counter: one request per page view, no cookies, no storage.
   Without an answer the widget keeps showing "—". */
(function () {
  var widget = document.getElementById("visit-counter");
  var base = widget && widget.getAttribute("data-counter-url");
  if (!base || !window.fetch || !window.AbortController) return;
  base = base.replace(/\/+$/, "");

  function formatted(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, ".");
  }

  function show(figures) {
    var fields = widget.querySelectorAll("[data-counter-field]");
    for (var i = 0; i < fields.length; i++) {
      var n = figures[fields[i].getAttribute("data-counter-field")];
      if (typeof n === "number") fields[i].textContent = formatted(n);
    }
  }

  function viewId() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  function run() {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, 4000);
    var path = location.pathname;
    // Automated browsers only read the figures; they are not readers.
    var answer = navigator.webdriver
      ? fetch(base + "/api/stats?path=" + encodeURIComponent(path), {
          cache: "no-store",
          signal: abort.signal
        })
      : fetch(base + "/api/hit", {
          method: "POST",
          body: JSON.stringify({ path: path, view: viewId() }),
          keepalive: true,
          signal: abort.signal
        });
    answer
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (figures) { if (figures) show(figures); })
      .catch(function () {})
      .then(function () { clearTimeout(timer); });
  }

  // A prerendered page counts only if the reader actually opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", run, { once: true });
  } else {
    run();
  }
})();
