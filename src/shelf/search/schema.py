"""The index layout: fields, analyzers, and the fingerprint that triggers a rebuild.

Stemmed text fields carry ranking (BM25F, title boosted). ``title_words``
holds the title's words as written, plurals folded, so a word as typed
("adapter") outranks a word that only shares its stem ("adaptation"). ``prefix`` holds
the first one to five letters of every title and author word, so a word being
typed is one term lookup instead of a wildcard expanded over the lexicon.
There is no unstemmed copy of the abstracts: fuzzy terms match stems, and
did-you-mean (``suggest``) turns stems back into words from the papers' own text.
"""

from __future__ import annotations

import hashlib
from typing import Any

from whoosh import fields
from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.lang.porter2 import stem as porter2

from shelf.domain import IndexedText

#: Bump when the schema or analysis changes: an index with another fingerprint is rebuilt.
INDEX_FORMAT = 5
#: Prefixes this short or shorter are looked up in the ``prefix`` field.
PREFIX_MAX = 5

# Porter2 (Snowball English), not Whoosh's default Porter: that one leaves doubled
# consonants ("forgetting" -> "forgett"), so "forgetting" would not find "forget".
STEMMED = StemmingAnalyzer(stemfn=porter2)
PLAIN = RegexTokenizer() | LowercaseFilter()


def singular(word: str) -> str:
    """``word`` without an English plural ending ("adapters" -> "adapter"), else as it is."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "ases")):
        return word[:-2]  # "biases" -> "bias", "patches" -> "patch"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


#: Words as written, stop words left out (as in the stemmed fields), plurals folded.
AS_TYPED = RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=singular)

#: Fields a plain word searches; the title counts most, the more so as typed.
DEFAULT_FIELDS = ("title", "title_words", "abstract", "authors", "notes")
#: Fields whose words are stemmed (and so get stem-aware prefix and fuzzy matching).
STEMMED_FIELDS = frozenset({"title", "abstract", "notes"})

SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True, sortable=True),
    rev=fields.STORED(),  # read back, never searched: no postings
    title=fields.TEXT(analyzer=STEMMED, field_boost=3.0),
    title_words=fields.TEXT(analyzer=AS_TYPED, field_boost=2.0),
    abstract=fields.TEXT(analyzer=STEMMED),
    authors=fields.TEXT(analyzer=PLAIN, field_boost=1.5),
    notes=fields.TEXT(analyzer=STEMMED),
    venue=fields.TEXT(analyzer=PLAIN),
    # Two tiers, not eight: years span a few hundred values, so a range stays a few terms.
    year=fields.NUMERIC(int, bits=32, shift_step=16),
    prefix=fields.NGRAMWORDS(minsize=1, maxsize=PREFIX_MAX, at="start"),
)


def fingerprint() -> str:
    """A hash of the index layout; a stored index with another one is rebuilt."""
    description = repr(sorted((name, type(f).__name__) for name, f in SCHEMA.items()))
    return hashlib.sha256(f"{INDEX_FORMAT}:{description}".encode()).hexdigest()[:16]


def stem(word: str) -> str:
    """The indexed form of one word."""
    tokens = [token.text for token in STEMMED(word, removestops=False)]
    return tokens[0] if tokens else word.lower()


def document(doc: IndexedText) -> dict[str, Any]:
    """The Whoosh fields of one paper's indexed text (empty ones left out)."""
    authors = " ; ".join(doc.authors)
    values: dict[str, Any] = {
        "id": doc.id,
        "rev": doc.rev,
        "title": doc.title,
        "title_words": doc.title,
        "authors": authors,
        "year": doc.year,
        "venue": doc.venue,
        "abstract": doc.abstract,
        "notes": doc.notes,
        "prefix": f"{doc.title} {authors}",
    }
    return {key: value for key, value in values.items() if value not in (None, "")}
