/*
 * What the site adds to Decap CMS (loaded before Decap's bundle, run once the page is read):
 * the Pelican header formats, the article preview with the site's own stylesheet,
 * and the "Ảnh có chú thích" component that writes a photo with its "/// caption" block.
 * The settings come from the page (id pelican-cms-settings), written at build time.
 */
window.CMS_MANUAL_INIT = true;

window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var settings = JSON.parse(document.getElementById("pelican-cms-settings").textContent);

  Object.keys(settings.formats).forEach(function (kind) {
    CMS.registerCustomFormat("pelican-" + kind, "md", window.PelicanFormat.createFormat(settings.formats[kind]));
  });

  // "2023-04-06" or "2023-04-06 08:30" (or a Date) as the site shows it: 06/04/2023.
  function shownDate(value) {
    if (!value) return "";
    if (value instanceof Date) {
      return [value.getDate(), value.getMonth() + 1].map(function (n) { return String(n).padStart(2, "0"); })
        .join("/") + "/" + value.getFullYear();
    }
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    return match ? match[3] + "/" + match[2] + "/" + match[1] : String(value);
  }

  // Dates typed and shown as Vietnamese write them, dd/mm/yyyy hh:mm, stored as Pelican
  // reads them (2023-04-06 08:30). Decap's own date widget is the browser's picker,
  // which shows 04/06/2023 (4 June?) to a browser in English.
  var TYPED_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/;
  var STORED_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/;

  function two(n) { return String(n).padStart(2, "0"); }

  function storedDate(text, withTime) {
    var match = TYPED_DATE.exec(text.trim());
    if (!match || (match[4] && !withTime)) return null;
    var day = +match[1], month = +match[2], year = +match[3];
    var check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
    if (match[4] && (+match[4] > 23 || +match[5] > 59)) return null;
    var date = year + "-" + two(month) + "-" + two(day);
    return match[4] ? date + " " + two(match[4]) + ":" + match[5] : date;
  }

  function typedDate(value) {
    var match = STORED_DATE.exec(String(value || ""));
    if (!match) return value ? String(value) : "";
    return match[3] + "/" + match[2] + "/" + match[1] + (match[4] ? " " + match[4] + ":" + match[5] : "");
  }

  var DateControl = window.createClass({
    getInitialState: function () { return { text: typedDate(this.props.value) }; },
    withTime: function () { return this.props.field.get("time_format") !== false; },
    componentDidMount: function () {
      // A new article starts dated now; an existing file is never touched.
      if (!this.props.value && this.props.field.get("required") && this.props.entry.get("newRecord")) {
        var now = new Date();
        var today = two(now.getDate()) + "/" + two(now.getMonth() + 1) + "/" + now.getFullYear();
        this.change(this.withTime() ? today + " " + two(now.getHours()) + ":" + two(now.getMinutes()) : today);
      }
    },
    change: function (text) {
      this.setState({ text: text });
      var stored = storedDate(text, this.withTime());
      this.props.onChange(stored !== null ? stored : text.trim());
    },
    isValid: function () {
      var text = this.state.text.trim();
      if (!text || storedDate(text, this.withTime()) !== null) return true;
      return { error: { message: this.withTime()
        ? "Ghi ngày/tháng/năm, có thể thêm giờ: 06/04/2023 hoặc 06/04/2023 08:30."
        : "Ghi ngày/tháng/năm: 06/04/2023." } };
    },
    render: function () {
      var control = this;
      return h("input", {
        type: "text", id: this.props.forID, className: this.props.classNameWrapper,
        value: this.state.text, inputMode: "numeric",
        placeholder: this.withTime() ? "ngày/tháng/năm giờ:phút" : "ngày/tháng/năm",
        onChange: function (event) { control.change(event.target.value); },
        onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
      });
    },
  });
  var DatePreview = function (props) { return h("span", null, typedDate(props.value)); };
  // Same name as Decap's widget, so that it takes its place (and Decap still finds the
  // date field that names the photo folder, {{year}}/{{month}}).
  CMS.registerWidget("datetime", DateControl, DatePreview);

  // A photo and, when it has one, its caption block, as pymdownx.blocks.caption reads it.
  // Decap anchors the pattern at the block's start and rejects the multiline flag.
  var PHOTO = /^!\[([^\]\n]*)\]\(([^)\s]+)\)(?:\n\n\/\/\/ caption\n([^\n]*(?:\n(?!\/\/\/)[^\n]*)*)\n\/\/\/(?=\n|$))?/;

  function photoSource(src, getAsset, field) {
    var asset = getAsset(src, field);
    var url = asset && asset.toString();
    // A photo already on the site: {static}/images/… is /images/… once built.
    if (!url || url.indexOf("{static}") !== -1) url = src.replace("{static}", settings.siteRoot || "");
    return url;
  }

  // It takes the id of Decap's own image component, so that it replaces it: Decap
  // tries components in order, and its own would claim the photo and leave the caption as text.
  CMS.registerEditorComponent({
    id: "image",
    label: "Ảnh có chú thích",
    fields: [
      { name: "image", label: "Ảnh", widget: "image", media_library: { allow_multiple: false } },
      { name: "alt", label: "Mô tả ảnh (cho người không xem được ảnh)", widget: "string" },
      { name: "caption", label: "Chú thích", widget: "string" },
    ],
    pattern: PHOTO,
    fromBlock: function (match) {
      return { alt: match[1], image: match[2], caption: match[3] || "" };
    },
    toBlock: function (data) {
      var caption = (data.caption || "").trim();
      var photo = "![" + (data.alt || "").trim() + "](" + (data.image || "") + ")";
      return caption ? photo + "\n\n/// caption\n" + caption + "\n///" : photo;
    },
    toPreview: function (data, getAsset, fields) {
      var imageField = fields && fields.find ? fields.find(function (f) { return f.get("name") === "image"; }) : undefined;
      var photo = h("p", null, h("img", { src: photoSource(data.image || "", getAsset, imageField), alt: data.alt || "" }));
      return data.caption ? h("figure", null, photo, h("figcaption", null, h("p", null, data.caption))) : photo;
    },
  });

  var ArticlePreview = window.createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var author = data.get("author");
      return h("main", { className: "site-main" },
        h("article", { className: "article" },
          h("h1", { className: "article-title" }, data.get("title") || ""),
          h("p", { className: "article-meta" },
            h("span", { className: "article-category" }, data.get("category") || ""),
            h("span", { className: "article-meta-separator", "aria-hidden": "true" }, " | "),
            h("span", { className: "article-date" }, settings.labels.postedOn + " " + shownDate(data.get("date")))),
          h("div", { className: "article-body" }, this.props.widgetFor("body")),
          author ? h("p", { className: "article-signature" }, String(author).toLocaleUpperCase("vi")) : null));
    },
  });
  var PagePreview = window.createClass({
    render: function () {
      var data = this.props.entry.get("data");
      return h("main", { className: "site-main" },
        h("article", { className: "article" },
          h("h1", { className: "page-heading" }, data.get("title") || ""),
          h("div", { className: "article-body" }, this.props.widgetFor("body"))));
    },
  });

  settings.articleCollections.forEach(function (name) { CMS.registerPreviewTemplate(name, ArticlePreview); });
  settings.pageCollections.forEach(function (name) { CMS.registerPreviewTemplate(name, PagePreview); });
  CMS.registerPreviewStyle(settings.stylesheet);
  CMS.init();
});
