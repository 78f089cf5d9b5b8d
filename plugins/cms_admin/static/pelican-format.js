/*
 * Pelican's "Key: value" header, read and written back by Decap CMS byte for byte.
 *
 * Hand-written because nothing made for the job exists: Decap's own formats
 * (yaml-frontmatter, toml-frontmatter, json) would turn our header into YAML
 * between "---" fences, and no JavaScript library reads Python-Markdown's meta
 * header (Pelican's front matter). Keeping the files ours also means keeping
 * their bytes: the entry carries the file's original text (SOURCE_KEY), so a
 * line whose value did not change is written back exactly as it was (its key's
 * spelling, spaces, CRLF, continuation lines), the body too, and a byte-order
 * mark stays. The header rules follow Python-Markdown's meta extension:
 * "Key: value" lines up to the first blank line, more-indented lines continue
 * the value, an optional "---" first line.
 *
 * Runs in the admin page (window.PelicanFormat) and in Node for the tests.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.PelicanFormat = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SOURCE_KEY = "__pelican_source";
  var BOM = "\uFEFF";
  // markdown.extensions.meta: META_RE, META_MORE_RE, BEGIN_RE, END_RE.
  var KEY_LINE = /^[ ]{0,3}([A-Za-z0-9_-]+):(\s*)(.*)$/;
  var MORE_LINE = /^[ ]{4,}(.*)$/;
  var BEGIN_LINE = /^-{3}(\s.*)?$/;
  var END_LINE = /^(-{3}|\.{3})(\s.*)?$/;

  function splitLines(text) {
    // Each line with its own terminator ("\r\n", "\n", "\r" or "" at the end).
    var lines = [];
    var pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match[0] === "") break;
      lines.push({ text: match[1], end: match[2] });
    }
    return lines;
  }

  function dominantEnding(lines) {
    var counts = { "\n": 0, "\r\n": 0, "\r": 0 };
    lines.forEach(function (line) { if (line.end) counts[line.end] += 1; });
    return counts["\r\n"] > counts["\n"] && counts["\r\n"] >= counts["\r"] ? "\r\n"
      : counts["\r"] > counts["\n"] ? "\r" : "\n";
  }

  function splitValues(value) {
    return value.split(",").map(function (part) { return part.trim(); }).filter(Boolean);
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function sameValue(a, b) {
    if (isEmpty(a) && isEmpty(b)) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
      var left = Array.isArray(a) ? a : splitValues(String(a));
      var right = Array.isArray(b) ? b : splitValues(String(b));
      return left.length === right.length && left.every(function (item, i) { return String(item) === String(right[i]); });
    }
    return String(a) === String(b);
  }

  function written(value) {
    return Array.isArray(value) ? value.join(", ") : String(value).replace(/[\r\n]+/g, " ").trim();
  }

  /* The file's structure: prefix lines ("---"), header entries, the line that
     ends the header, body lines. */
  function analyse(text) {
    var bom = text.charAt(0) === BOM;
    var lines = splitLines(bom ? text.slice(1) : text);
    var index = 0;
    var opening = [];
    var fenced = lines.length > 0 && BEGIN_LINE.test(lines[0].text);
    if (fenced) { opening.push(lines[0]); index = 1; }
    var entries = [];
    var closing = [];
    while (index < lines.length) {
      var line = lines[index];
      if (line.text.trim() === "" || (fenced && END_LINE.test(line.text))) {
        closing.push(line);
        index += 1;
        break;
      }
      var more = MORE_LINE.exec(line.text);
      var keyed = KEY_LINE.exec(line.text);
      if (more && entries.length) {
        var last = entries[entries.length - 1];
        last.lines.push(line);
        last.value = (last.value + " " + more[1].trim()).trim();
      } else if (keyed) {
        entries.push({
          key: keyed[1], name: keyed[1].toLowerCase(),
          value: keyed[3].trim(), lines: [line],
        });
      } else {
        break;
      }
      index += 1;
    }
    if (!entries.length && !fenced) { index = 0; closing = []; }
    var bodyLines = lines.slice(index);
    var bodyRaw = bodyLines.map(function (l) { return l.text + l.end; }).join("");
    return {
      bom: bom, ending: dominantEnding(lines), opening: opening, entries: entries,
      closing: closing, bodyRaw: bodyRaw,
    };
  }

  // What the editor sees of the body: Unix line ends, the blank lines that
  // follow the header's blank line left out.
  function editableBody(bodyRaw) {
    return bodyRaw.replace(/\r\n?/g, "\n").replace(/^(?:[ \t]*\n)+/, "");
  }

  function createFormat(options) {
    // The schema's keys as they are written ("Redirect_from"); the entry's data
    // names them as Pelican does, in lower case ("redirect_from").
    var keyOrder = (options && options.keys) || [];
    var names = keyOrder.map(function (key) { return key.toLowerCase(); });
    var multiValued = ((options && options.multiValued) || []).map(function (key) { return key.toLowerCase(); });

    function isMulti(name) { return multiValued.indexOf(name) !== -1; }

    function fromFile(text) {
      var file = analyse(text);
      var data = {};
      file.entries.forEach(function (entry) {
        if (Object.prototype.hasOwnProperty.call(data, entry.name)) return; // a repeated key: the first counts
        data[entry.name] = isMulti(entry.name) ? splitValues(entry.value) : entry.value;
      });
      data.body = editableBody(file.bodyRaw);
      data[SOURCE_KEY] = text;
      return data;
    }

    function line(key, value, end) {
      return { text: key + ": " + written(value), end: end };
    }

    function toFile(data) {
      var source = data[SOURCE_KEY];
      var file = analyse(typeof source === "string" ? source : "");
      var eol = typeof source === "string" && source ? file.ending : "\n";
      var output = [];  // header lines, each {text, end}
      var seen = {};
      file.entries.forEach(function (entry) {
        var first = !seen[entry.name];
        seen[entry.name] = true;
        var value = data[entry.name];
        if (!first || !Object.prototype.hasOwnProperty.call(data, entry.name) || sameValue(value, entry.value)) {
          output.push.apply(output, entry.lines.map(function (l) { return { text: l.text, end: l.end, name: entry.name }; }));
        } else if (!isEmpty(value)) {
          var kept = line(entry.key, value, entry.lines[entry.lines.length - 1].end);
          kept.name = entry.name;
          output.push(kept);
        }
      });
      names.forEach(function (name, rank) {
        if (seen[name] || isEmpty(data[name])) return;
        // A new key goes after the last line of a key that comes before it in the schema.
        var at = 0;
        output.forEach(function (existing, position) {
          var existingRank = names.indexOf(existing.name);
          if (existingRank !== -1 && existingRank < rank) at = position + 1;
        });
        var added = line(keyOrder[rank], data[name], eol);
        added.name = name;
        output.splice(at, 0, added);
      });
      output.forEach(function (entry, position) {
        if (!entry.end && position < output.length - 1) entry.end = eol;
      });
      var header = file.opening.concat(output);
      var bodyUnchanged = typeof source === "string" && (data.body || "") === editableBody(file.bodyRaw);
      var body;
      var closing;
      if (bodyUnchanged) {
        body = file.bodyRaw;
        closing = file.closing;
      } else {
        var text = (data.body || "").replace(/\r\n?/g, "\n").replace(/^\n+/, "").replace(/\s+$/, "");
        body = text ? text.split("\n").join(eol) + eol : "";
        closing = file.closing.length ? file.closing.slice() : header.length && body ? [{ text: "", end: eol }] : [];
        if (closing.length && !closing[0].end && body) closing[0] = { text: closing[0].text, end: eol };
      }
      if (header.length && !header[header.length - 1].end && (closing.length || body)) {
        header[header.length - 1].end = eol;
      }
      var lines = header.concat(closing);
      return (file.bom ? BOM : "") + lines.map(function (l) { return l.text + l.end; }).join("") + body;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  return { createFormat: createFormat, SOURCE_KEY: SOURCE_KEY, analyse: analyse };
});
