"""Query syntax to Whoosh queries: the parser, and rewrites that keep queries cheap.

After parsing, a short prefix (``a*`` .. ``conti*``) becomes one term in the
edge n-gram ``prefix`` field, and a longer one also matches by its stem
(``continual*`` finds the indexed stem ``continu``). Fuzzy terms match stems
within the edit distance, sharing their first letter.
"""

from __future__ import annotations

import re

from whoosh import fields, qparser, query
from whoosh.analysis import STOP_WORDS

from shelf.domain import QuerySyntaxError
from shelf.search.schema import DEFAULT_FIELDS, PREFIX_MAX, SCHEMA, STEMMED_FIELDS, stem

#: A question mark that ends a word: punctuation, as in a title, never a wildcard.
_END_QUESTION = re.compile(r"(?<=\w)\?+(?=[\s)!.,;:]|$)")


#: The fields a query may name: ``rev`` is bookkeeping, so ``rev:1`` is two words.
_SEARCHABLE = fields.Schema(**{name: field for name, field in SCHEMA.items() if name != "rev"})


def make_parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), _SEARCHABLE)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    # + and - mean "must" and "not" only at the start of a word: "Transfer-based"
    # is two words, never "transfer AND NOT based".
    parser.add_plugin(qparser.PlusMinusPlugin(r"(?<![^\s(])\+", r"(?<![^\s(])-"))
    parser.add_plugin(qparser.FieldAliasPlugin({"authors": ["author", "by"]}))
    return parser


def parse(parser: qparser.QueryParser, text: str, expand_prefixes: bool = False) -> query.Query:
    """Parse and rewrite ``text``, or raise ``QuerySyntaxError`` in plain words."""
    text = _END_QUESTION.sub("", text)  # "Networks?" in a title is a word, not a wildcard
    try:
        parsed = _every_paper_but(parser.parse(text, normalize=False)).normalize()
    except Exception as err:  # whoosh raises many kinds on bad syntax
        raise QuerySyntaxError(f"cannot understand the query {text!r}: {err}") from None
    problem = _first_error(parsed)
    if problem:
        raise QuerySyntaxError(f"cannot understand the query {text!r}: {problem}")
    rewritten = rewrite(parsed, expand_prefixes)
    # Only words every paper has ("the", "on "): every paper matches, as the app lists
    # them all before anything is typed, rather than none.
    return query.Every() if rewritten is query.NullQuery else side_by_side_first(rewritten)


def _every_paper_but(q: query.Query) -> query.Query:
    """``-transfer`` alone as every paper but those: the parser gives "nothing but those",
    which normalizes to no query, and so listed every paper."""
    if isinstance(q, query.AndNot) and isinstance(q.a, query.And) and not q.a.subqueries:
        return query.AndNot(query.Every(), q.b)
    return q


def side_by_side_first(q: query.Query) -> query.Query:
    """``q``, ranking first the titles that hold its plain words side by side, in order.

    Only for two or more plain words (each an ``Or`` over the fields, with a title
    term): the phrase is scored, never required, so the same papers match.
    """
    if not isinstance(q, query.And) or len(q.subqueries) < 2:
        return q
    words = []
    for child in q.subqueries:
        titles = [t for t in child.subqueries if isinstance(t, query.Term) and
                  t.fieldname == "title"] if isinstance(child, query.Or) else []  # fmt: skip
        if len(titles) != 1:
            return q
        words.append(titles[0].text)
    return query.AndMaybe(q, query.Phrase("title", words, boost=2.0))


def rewrite(q: query.Query, expand: bool = False) -> query.Query:
    """Route prefixes to the cheapest way of matching them; leave the rest as parsed.

    With ``expand``, short prefixes are matched in every field (expanded over the
    lexicon) instead of the title/author n-grams: slower, and only worth it when
    the quick form found nothing.
    """
    if isinstance(q, query.Term) and q.fieldname == "authors" and _dropped(q.text):
        # The stemmed fields drop "the", "of", "for" and single letters; the unstemmed
        # author names keep them, so "the" or the X of "SuS-X" would demand an author
        # of that name.
        return query.NullQuery
    if isinstance(q, query.Phrase) and q.fieldname == "authors" and all(map(_dropped, q.words)):
        return query.NullQuery  # "in the" is a phrase of stop words, not an author's name
    if isinstance(q, query.FuzzyTerm):
        # Keep the first letter: typos rarely hit it, and it turns a scan of the
        # whole lexicon into a scan of one letter's words.
        return query.FuzzyTerm(
            q.fieldname, q.text, q.boost, q.maxdist, max(q.prefixlength, 1), q.constantscore
        )
    if isinstance(q, query.Prefix) and not isinstance(q, query.Wildcard):
        return _prefix(q, expand)
    if isinstance(q, query.Wildcard) and _is_plain_prefix(q.text):
        return _prefix(query.Prefix(q.fieldname, q.text[:-1], boost=q.boost), expand)
    if q.is_leaf():
        return q
    return q.apply(lambda child: rewrite(child, expand)).normalize()


def _prefix(q: query.Prefix, expand: bool) -> query.Query:
    text = q.text.lower()
    short = len(text) <= PREFIX_MAX and not expand
    if q.fieldname in STEMMED_FIELDS | {"authors", "title_words"} and short:
        return query.Term("prefix", text, boost=q.boost)
    if q.fieldname not in STEMMED_FIELDS:
        return q
    options: list[query.Query] = [q]
    stemmed = stem(text)
    if stemmed != text:
        options.append(query.Prefix(q.fieldname, stemmed, boost=q.boost))
    # A word typed past its stem ("forgetti" of "forgetting", whose stem is "forget")
    # already spells that stem out: match the stems it ends a few letters after.
    options += [
        query.Term(q.fieldname, text[:end], boost=q.boost)
        for end in range(max(MIN_STEM, len(text) - STEM_TAIL), len(text))
    ]
    if len(text) > PREFIX_MAX:  # stems shorter still ("winnin" of "win"): title words
        options.append(query.Term("prefix", text[:PREFIX_MAX], boost=q.boost))
    return query.Or(options) if len(options) > 1 else q


#: A stem is this many letters at least, and a word this many past its stem at most.
MIN_STEM, STEM_TAIL = 4, 5


def only_dropped_words(text: str) -> bool:
    """Whether ``text`` holds no word the index keeps (nothing, or only stop words and
    single letters): as a query it matches every paper."""
    return all(_dropped(word) for word in re.findall(r"\w+", text.lower()))


def _dropped(word: str) -> bool:
    """Whether the stemmed fields leave ``word`` out (a stop word, or a single letter)."""
    return word in STOP_WORDS or len(word) < 2


def _is_plain_prefix(text: str) -> bool:
    return text.endswith("*") and text.count("*") == 1 and "?" not in text


def _first_error(q: query.Query) -> str | None:
    error = getattr(q, "error", None)
    if error:
        return str(error)
    for child in q.children():
        found = _first_error(child)
        if found:
            return found
    return None
