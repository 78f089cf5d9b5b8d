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

// The index is in shards (plugins/site_search/site_search.py): `listUrl`
// (shards.json) lists them, [{name, pages, dated}], each a Pagefind bundle in the
// folder of its name beside the list. The first shard's Pagefind is loaded and
// the others are merged into it; each shard's pages carry the shard's name as a
// filter value (Pagefind's mergeFilter), so a search can ask one shard alone.
// Resolves to {pagefind, shards}; once per page (Pagefind's module is one per page).
var opened = {};
export function openIndex(listUrl) {
  if (!opened[listUrl]) opened[listUrl] = openShards(listUrl);
  return opened[listUrl];
}

function openShards(listUrl) {
  var folder = new URL(".", new URL(listUrl, location.href)).href;
  // The copies Pagefind indexed sit at the paths the site serves (SITEURL's path included).
  var site = { baseUrl: "/" };
  return fetch(listUrl).then(function (answer) {
    if (!answer.ok) throw new Error("no search index at " + listUrl);
    return answer.json();
  }).then(function (shards) {
    var first = shards[0].name;
    return import(folder + first + "/pagefind.js").then(function (pagefind) {
      return pagefind.options(Object.assign({ mergeFilter: { shard: first } }, site)).then(function () {
        return Promise.all(shards.slice(1).map(function (shard) {
          return pagefind.mergeIndex(folder + shard.name + "/", Object.assign({ mergeFilter: { shard: shard.name } }, site));
        }));
      }).then(function () { return { pagefind: pagefind, shards: shards }; });
    });
  });
}

// Pagefind's BM25 weight of a term held by `containing` of `total` pages.
function inverseFrequency(total, containing) {
  return Math.log((total - containing + 0.5) / (containing + 0.5) + 1);
}

// {term: [results in each shard]}: every term searched alone in every shard.
function termResults(index, terms) {
  var found = {};
  return Promise.all(terms.map(function (term) {
    return Promise.all(index.shards.map(function (shard) {
      return index.pagefind.search(term, { filters: { shard: shard.name } }).then(function (answer) {
        // A shard without the term may answer with a shorter word it holds, every page and no match in any.
        return answer.results.filter(function (result) { return result.words.length > 0; });
      });
    })).then(function (perShard) { found[term] = perShard; });
  })).then(function () { return found; });
}

// The pages holding every one of `terms`, ranked as one index of the whole site
// would. A shard's Pagefind scores a page by the sum, over the terms, of the
// term's weight in that shard (its inverse document frequency there) times its
// frequency in the page; a term frequent in one year's shard would weigh less
// there than elsewhere. So each term is searched alone in each shard, and its
// score there is scaled from the shard's weight to the whole site's (Pagefind
// sums the terms' scores). Pagefind also weighs a page's length against its
// shard's average, left as it is: one site's years differ little in it. A shard
// lacking one of the terms gives no page (Pagefind would leave the term out).
// Newest first: each shard's own order by date, the newest years' shard first.
function searchAll(index, terms, found, sort) {
  var total = index.shards.reduce(function (sum, shard) { return sum + shard.pages; }, 0);
  var siteWeight = {};
  terms.forEach(function (term) {
    var containing = found[term].reduce(function (sum, results) { return sum + results.length; }, 0);
    siteWeight[term] = inverseFrequency(total, containing);
  });
  var holding = index.shards.filter(function (shard, number) {
    return terms.every(function (term) { return found[term][number].length > 0; });
  });
  if (sort) {
    // Pagefind leaves pages without a date out of a search sorted by date; a shard of them only would not.
    var dated = holding.filter(function (shard) { return shard.dated; });
    var newestFirst = dated.map(function (shard) { return shard.name; }).sort().reverse();
    return Promise.all(newestFirst.map(function (name) {
      return index.pagefind.search(terms.join(" "), { sort: sort, filters: { shard: name } });
    })).then(function (answers) {
      return [].concat.apply([], answers.map(function (answer) { return answer.results; }));
    });
  }
  var ranked = [];
  index.shards.forEach(function (shard, number) {
    if (holding.indexOf(shard) < 0) return;
    var pages = {};
    terms.forEach(function (term) {
      var results = found[term][number];
      var scale = siteWeight[term] / inverseFrequency(shard.pages, results.length);
      results.forEach(function (result) {
        var page = pages[result.id] || (pages[result.id] = { result: result, terms: 0, score: 0 });
        page.terms += 1;
        page.score += result.score * scale;
      });
    });
    Object.keys(pages).sort().forEach(function (id) {
      if (pages[id].terms === terms.length) ranked.push(pages[id]);
    });
  });
  ranked.sort(function (a, b) { return b.score - a.score; });
  return Promise.resolve(ranked.map(function (page) { return page.result; }));
}

// {results, total}: Pagefind results, those with the query's words whole first.
// `index` is what openIndex gives. options: {category: a category's slug or "",
// sort: "relevance" | "newest"}. A category narrows the search through its
// token in the index (not Pagefind's filters, whose index is not the same from
// one build to the next).
export function find(index, query, options) {
  var parsed = parseQuery(query);
  var sort = options.sort === "newest" ? { date: "desc" } : null;
  var loose = unique(parsed.required.concat(parsed.words));
  if (!loose.length) return Promise.resolve({ results: [], total: 0 });
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(options.category || "")) {
    loose.push("chuyenmuc" + PAIR_JOIN + PAIR_JOIN + options.category.replace(/-/g, PAIR_JOIN) + WORD_END);
  }
  var strict = unique(loose.concat(parsed.pairs));
  return termResults(index, strict).then(function (found) {
    var searches = [searchAll(index, strict, found, sort)];
    if (strict.length > loose.length) searches.push(searchAll(index, loose, found, sort));
    return Promise.all(searches);
  }).then(function (answers) {
    var seen = {};
    var results = [];
    answers.forEach(function (answer) {
      answer.forEach(function (result) {
        if (seen[result.id]) return;
        seen[result.id] = true;
        results.push(result);
      });
    });
    return { results: results, total: results.length };
  });
}

function unique(terms) {
  return terms.filter(function (term, place) { return terms.indexOf(term) === place; });
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
