// The editor preview's page script: added to every page by `invoke livereload`
// (editor_tools/live_preview/preview_server.py), never part of the built site.
// Everything it shows is set as text (textContent), never parsed as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var token = script ? script.getAttribute("data-preview-token") : "";
  var labels = {};
  var overlay = null;
  var badge = null;

  function label(name, fallback) {
    return labels[name] || fallback;
  }

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) node.setAttribute("style", style);
    return node;
  }

  function hideProblems() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function showProblems(problems) {
    hideProblems();
    if (!problems || !problems.length) return;
    overlay = element("div", "", "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.55);" +
      "overflow:auto;padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif");
    overlay.id = "xem-truoc-loi";
    overlay.setAttribute("role", "alert");
    var box = element("div", "", "max-width:52rem;margin:0 auto;background:#fff;color:#1a1a1a;" +
      "border-top:6px solid #b00020;padding:1.25rem 1.5rem;box-shadow:0 4px 24px rgba(0,0,0,.4)");
    box.appendChild(element("h2", label("preview_problems_heading", "Trang chưa cập nhật: nội dung có {count} lỗi")
      .replace("{count}", String(problems.length)), "margin:0 0 .5rem;font-size:1.3rem;color:#b00020"));
    box.appendChild(element("p", label("preview_problems_note",
      "Phía dưới là bản dựng tốt gần nhất. Sửa xong và lưu lại, khung này tự biến mất."), "margin:0 0 1rem"));
    var list = element("ol", "", "margin:0;padding-left:1.5rem");
    problems.forEach(function (problem) {
      var item = element("li", "", "margin:0 0 .75rem");
      item.appendChild(element("code", problem.path + ":" + problem.line, "font-weight:bold;word-break:break-all"));
      item.appendChild(element("div", problem.message));
      if (problem.fix) {
        item.appendChild(element("div", label("preview_fix", "Cách sửa:") + " " + problem.fix, "color:#0b5d1e"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = element("button", label("preview_hide", "Ẩn khung này"), "margin-top:.5rem;font:inherit;padding:.3rem .8rem");
    close.type = "button";
    close.addEventListener("click", hideProblems);
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function showSearchPending(pending) {
    if (!pending) {
      if (badge) badge.remove();
      badge = null;
      return;
    }
    if (badge) return;
    badge = element("div", label("preview_search_pending", "Tìm kiếm đang được cập nhật…"),
      "position:fixed;left:.5rem;bottom:.5rem;z-index:2147483646;background:#fff3cd;color:#1a1a1a;" +
      "border:1px solid #c9a227;padding:.25rem .6rem;font:14px system-ui,sans-serif");
    badge.id = "xem-truoc-tim-kiem";
    badge.setAttribute("role", "status");
    document.body.appendChild(badge);
  }

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (paths.indexOf(url.pathname) >= 0) link.href = url.pathname + "?v=" + Date.now();
    });
  }

  var events = new EventSource("/__xem-truoc/su-kien");
  events.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.labels) labels = message.labels;
    if (message.type === "css") return swapStylesheets(message.paths || []);
    if (message.token && message.token !== token) return location.reload();
    if (message.type === "state") {
      showProblems(message.problems);
      showSearchPending(message.search_pending);
    }
  };
})();
