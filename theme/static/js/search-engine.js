// What "Tìm kiếm" asks Pagefind, and the excerpt it shows: no page markup here
// (search.js draws the page; bench/search_quality.py measures find()).
//
// The index (plugins/site_search/search_document.py) holds folded syllables
// (no tone marks, đ as d) and every two neighbouring syllables as one token,
// "daijhoi" (joined by PAIR_JOIN, a letter, not "_": Pagefind splits words at
// punctuation), each ending with WORD_END so that Pagefind's prefix matching finds
// whole syllables only ("doan" not "doanh"). A query is folded the same way and searched twice: first with its
// syllable pairs, so articles containing the word "đại hội" come first, then
// with its syllables alone, for the rest. A quoted phrase requires its pairs in
// both searches.

var MARKS = /[\u0300-\u036f]/g;
var WORD_END = "z";
var PAIR_JOIN = "j";
var PHRASE_BREAK = /[.,;:!?()[\]{}"“”‘’'…–—/\\|·•]+/;
var SYLLABLE = /[\p{L}\p{N}]+/gu;

// Same length as `text`, character for character, so a position found in the
// folded text is the same position in the original.
export function fold(text) {
  var folded = "";
  for (var i = 0; i < text.length; i++) {
    var character = text[i];
    var plain = (character === "đ" || character === "Đ") ? "d"
      : character.normalize("NFD").replace(MARKS, "").toLowerCase();
    folded += plain.length === 1 ? plain : character;
  }
  return folded;
}

function syllablesOf(text) {
  return fold(text).match(SYLLABLE) || [];
}

function pairsOf(syllables) {
  var pairs = [];
  for (var i = 1; i < syllables.length; i++) pairs.push(syllables[i - 1] + PAIR_JOIN + syllables[i] + WORD_END);
  return pairs;
}

function wordsOf(syllables) {
  return syllables.map(function (syllable) { return syllable + WORD_END; });
}

// {words, pairs, required}: index terms; `required` are the quoted phrases' terms.
export function parseQuery(query) {
  var parsed = { words: [], pairs: [], required: [] };
  query.split(/"/).forEach(function (part, index) {
    var quoted = index % 2 === 1;
    part.split(PHRASE_BREAK).forEach(function (phrase) {
      var syllables = syllablesOf(phrase);
      if (quoted) {
        parsed.required.push.apply(parsed.required, wordsOf(syllables).concat(pairsOf(syllables)));
      } else {
        parsed.words.push.apply(parsed.words, wordsOf(syllables));
        parsed.pairs.push.apply(parsed.pairs, pairsOf(syllables));
      }
    });
  });
  return parsed;
}

// Every syllable of the query, for marking the excerpt.
export function querySyllables(query) {
  return syllablesOf(query.replace(/"/g, " "));
}

// {results, total}: Pagefind results, those with the query's words whole first.
// options: {category: a category's slug or "", sort: "relevance" | "newest"}.
// A category narrows the search through its token in the index (not Pagefind's
// filters, whose index is not the same from one build to the next).
export function find(pagefind, query, options) {
  var parsed = parseQuery(query);
  var settings = {};
  if (options.sort === "newest") settings.sort = { date: "desc" };
  var loose = parsed.required.concat(parsed.words);
  if (!loose.length) return Promise.resolve({ results: [], total: 0 });
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(options.category || "")) {
    loose.push("chuyenmuc" + PAIR_JOIN + PAIR_JOIN + options.category.replace(/-/g, PAIR_JOIN) + WORD_END);
  }
  var strict = loose.concat(parsed.pairs);
  var searches = [pagefind.search(strict.join(" "), settings)];
  if (parsed.pairs.length) searches.push(pagefind.search(loose.join(" "), settings));
  return Promise.all(searches).then(function (answers) {
    var seen = {};
    var results = [];
    answers.forEach(function (answer) {
      answer.results.forEach(function (result) {
        if (seen[result.id]) return;
        seen[result.id] = true;
        results.push(result);
      });
    });
    return { results: results, total: results.length };
  });
}

// [{text, marked}]: `text` with the query's words marked. Where the query has
// several syllables, only runs of them in the query's order are marked
// ("đại hội", not every "đại"); if the text has no such run, its single
// syllables are marked unless `wholeOnly`.
export function markedSegments(text, syllables, wholeOnly) {
  var folded = fold(text);
  var wanted = {};
  syllables.forEach(function (syllable) { wanted[syllable] = true; });
  var found = [];
  var word = new RegExp(SYLLABLE.source, "gu");
  var match;
  while ((match = word.exec(folded))) {
    if (wanted[match[0]]) found.push({ start: match.index, end: match.index + match[0].length, syllable: match[0] });
  }
  var runs = [];
  found.forEach(function (hit) {
    var last = runs[runs.length - 1];
    var previous = last && last.hits[last.hits.length - 1];
    if (previous && /^\s+$/.test(folded.slice(previous.end, hit.start)) && follows(syllables, previous.syllable, hit.syllable)) {
      last.hits.push(hit);
      last.end = hit.end;
    } else {
      runs.push({ start: hit.start, end: hit.end, hits: [hit] });
    }
  });
  if (syllables.length > 1) {
    var whole = runs.filter(function (run) { return run.hits.length > 1; });
    if (whole.length || wholeOnly) runs = whole;
  }
  var segments = [];
  var at = 0;
  runs.forEach(function (run) {
    if (run.start > at) segments.push({ text: text.slice(at, run.start), marked: false });
    segments.push({ text: text.slice(run.start, run.end), marked: true });
    at = run.end;
  });
  if (at < text.length) segments.push({ text: text.slice(at), marked: false });
  return segments;
}

function follows(syllables, first, second) {
  for (var i = 1; i < syllables.length; i++) {
    if (syllables[i - 1] === first && syllables[i] === second) return true;
  }
  return false;
}

// About `length` characters of `text` around its densest marked part, cut at spaces.
export function excerpt(text, syllables, length) {
  var segments = markedSegments(text, syllables);
  var marks = [];
  var at = 0;
  segments.forEach(function (segment) {
    if (segment.marked) marks.push({ start: at, weight: segment.text.length });
    at += segment.text.length;
  });
  var start = 0;
  if (marks.length) {
    var best = -1;
    marks.forEach(function (mark) {
      var weight = 0;
      marks.forEach(function (other) {
        if (other.start >= mark.start && other.start < mark.start + length * 0.7) weight += other.weight;
      });
      if (weight > best) { best = weight; start = mark.start; }
    });
    start = Math.max(0, start - Math.floor(length * 0.25));
    var space = text.lastIndexOf(" ", start);
    start = start === 0 || space < 0 ? start : space + 1;
  }
  var end = Math.min(text.length, start + length);
  if (end < text.length) {
    var lastSpace = text.lastIndexOf(" ", end);
    if (lastSpace > start) end = lastSpace;
  }
  return {
    before: start > 0,
    after: end < text.length,
    segments: markedSegments(text.slice(start, end), syllables)
  };
}
