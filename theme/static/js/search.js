// "Tìm kiếm": reads ?q= (and the category and order chosen in the form) from the
// address, asks the Pagefind index through search-engine.js, and lists the
// results a page at a time: title, category, date and an excerpt around the
// match, its words marked with their diacritics. Titles and text are set as
// text, never as HTML.
import { excerpt, find, markedSegments, openIndex, querySyllables } from "./search-engine.js";

var PAGE_SIZE = 10;
var EXCERPT_LENGTH = 240;

var results = document.getElementById("search-results");
if (results) run();

function run() {
  var form = document.getElementById("search-page-form");
  var status = results.querySelector(".search-status");
  var list = results.querySelector(".search-results-list");
  var more = results.querySelector(".search-more");
  var labels = results.dataset;
  var address = new URLSearchParams(location.search);
  var query = (address.get("q") || "").trim();
  var options = { category: address.get("chuyen-muc") || "", sort: address.get("xep") === "moi-nhat" ? "newest" : "relevance" };
  form.elements.q.value = query;
  form.elements["chuyen-muc"].value = options.category;
  form.elements.xep.value = options.sort === "newest" ? "moi-nhat" : "lien-quan";

  function say(template, count) {
    status.textContent = template.replace("{count}", count.toLocaleString("vi-VN")).replace("{query}", query);
  }

  if (!query) return say(labels.labelEmpty, 0);
  if (querySyllables(query).join("").length < 2) return say(labels.labelShort, 0);

  var syllables = querySyllables(query);
  var found = [];
  var shown = 0;

  function marked(container, segments) {
    segments.forEach(function (segment) {
      if (!segment.marked) return container.appendChild(document.createTextNode(segment.text));
      var mark = document.createElement("mark");
      mark.textContent = segment.text;
      container.appendChild(mark);
    });
  }

  function item(page) {
    var entry = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = page.url;
    // In a title only the query's words whole: "Ký kết" is no match for "đoàn kết".
    marked(link, markedSegments(page.meta.title || page.url, syllables, true));
    heading.appendChild(link);
    entry.appendChild(heading);
    var facts = [page.meta.category, page.meta.date].filter(Boolean);
    if (facts.length) {
      var meta = document.createElement("p");
      meta.className = "search-result-meta";
      meta.textContent = facts.join(" · ");
      entry.appendChild(meta);
    }
    if (page.meta.text) {
      var cut = excerpt(page.meta.text, syllables, EXCERPT_LENGTH);
      var text = document.createElement("p");
      text.className = "search-result-excerpt";
      if (cut.before) text.appendChild(document.createTextNode("… "));
      marked(text, cut.segments);
      if (cut.after) text.appendChild(document.createTextNode(" …"));
      entry.appendChild(text);
    }
    return entry;
  }

  function showMore() {
    var next = found.slice(shown, shown + PAGE_SIZE);
    more.disabled = true;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      var first = null;
      pages.forEach(function (page) {
        var entry = item(page);
        first = first || entry;
        list.appendChild(entry);
      });
      shown += pages.length;
      var left = found.length - shown;
      more.hidden = left <= 0;
      more.disabled = false;
      more.textContent = labels.labelMore.replace("{count}", Math.min(left, PAGE_SIZE));
      return first;
    });
  }

  more.addEventListener("click", function () {
    showMore().then(function (first) {
      // The reader continues where the new results start.
      if (first) first.querySelector("a").focus();
    });
  });

  say(labels.labelSearching, 0);
  openIndex(labels.searchIndex)
    .then(function (index) { return find(index, query, options); })
    .then(function (answer) {
      found = answer.results;
      return showMore().then(function () {
        say(found.length ? labels.labelFound : labels.labelNone, found.length);
      });
    })
    .catch(function () { say(labels.labelFailed, 0); });
}
