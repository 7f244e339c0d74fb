"""The Whoosh full-text index: derived data, always rebuildable from the store.

Only this module imports whoosh. Reading state that changes on every key
(status, star, tags) is not indexed; the library filters by it from SQLite.
Notes are indexed so ``notes:`` and plain words find them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import fields, index, qparser, query, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.qparser import syntax

from shelf.domain import QuerySyntaxError

#: Bump when the schema or analysis changes: an index with another fingerprint is rebuilt.
INDEX_FORMAT = 1
_FINGERPRINT_FILE = "shelf-fingerprint"
_STEMMED = StemmingAnalyzer()
_PLAIN = RegexTokenizer() | LowercaseFilter()
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
#: Words to spell-check: letters only, not a field name (followed by a colon) nor a number.
_PLAIN_WORD = re.compile(r"(?<!\w)[^\W\d_]{3,}(?![\w:*~])")
#: Fields a plain word searches; the title counts most.
DEFAULT_FIELDS = ("title", "abstract", "authors", "notes")


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        rev=fields.NUMERIC(int, stored=True),
        title=fields.TEXT(analyzer=_STEMMED, field_boost=3.0),
        abstract=fields.TEXT(analyzer=_STEMMED),
        authors=fields.TEXT(analyzer=_PLAIN, field_boost=1.5),
        notes=fields.TEXT(analyzer=_STEMMED),
        venue=fields.TEXT(analyzer=_PLAIN),
        year=fields.NUMERIC(int, bits=32),
        # Unstemmed words of title and abstract: fuzzy terms and did-you-mean use these.
        words=fields.TEXT(analyzer=_PLAIN),
    )


SCHEMA = _schema()


def fingerprint() -> str:
    """A hash of the index layout; a stored index with another one is rebuilt."""
    description = repr(sorted((name, type(f).__name__) for name, f in SCHEMA.items()))
    return hashlib.sha256(f"{INDEX_FORMAT}:{description}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Ranked ids for a query, how many matched in all, and a did-you-mean."""

    ids: list[str]
    total: int
    suggestion: str | None = None


class _FuzzyToWords(qparser.FuzzyTermPlugin):  # type: ignore[misc]
    """``word~``: fuzzy-match against unstemmed words, since stems are not words.

    A stemmed ``forgetting`` is ``forgett``; an edit distance from ``forgeting``
    to that is meaningless, but to the indexed word ``forgetting`` it is 1.
    """

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):  # type: ignore[misc]
        def query(self, parser: qparser.QueryParser) -> query.Query:
            return syntax.attach(
                query.FuzzyTerm(
                    "words",
                    self.text.lower(),
                    boost=self.boost,
                    maxdist=self.maxdist,
                    prefixlength=self.prefixlength,
                ),
                self,
            )


class WhooshIndex:
    """The on-disk index of one library, with one long-lived searcher."""

    def __init__(self, directory: Path, ix: index.Index) -> None:
        self.directory = directory
        self._ix = ix
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), SCHEMA)
        parser.add_plugin(_FuzzyToWords())
        parser.add_plugin(qparser.PlusMinusPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin({"authors": ["author", "by"]}))
        self._parser = parser
        self._words_parser = qparser.QueryParser("words", SCHEMA)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path) -> tuple[WhooshIndex, str | None]:
        """Open the index in ``directory``; returns it and why it must be rebuilt, if it must.

        A missing index, one of another fingerprint, or one Whoosh cannot read is
        replaced by an empty one (it is derived data, rebuilt from the store).
        """
        marker = directory / _FINGERPRINT_FILE
        if not directory.exists():
            reason = "the search index was missing"
        elif not marker.exists():
            reason = "the search index had no version marker"
        elif marker.read_text(encoding="ascii", errors="replace").strip() != fingerprint():
            reason = "the search index was from another version of shelf"
        else:
            try:
                return cls(directory, index.open_dir(str(directory))), None
            except Exception as err:  # any damage means: rebuild from the store
                reason = f"the search index was unreadable ({type(err).__name__})"
        return cls.create(directory), reason

    @classmethod
    def create(cls, directory: Path) -> WhooshIndex:
        """A fresh, empty index in ``directory`` (anything there before is removed)."""
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(mode=0o700, parents=True)
        ix = index.create_in(str(directory), SCHEMA)
        (directory / _FINGERPRINT_FILE).write_text(fingerprint() + "\n", encoding="ascii")
        return cls(directory, ix)

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    # -- writing ---------------------------------------------------------------------

    def add_all(self, docs: Iterable[Mapping[str, Any]], progress: Callable[[int], None]) -> int:
        """Bulk-add documents to an empty index with a single commit."""
        writer = self._ix.writer(limitmb=256)
        count = 0
        try:
            for doc in docs:
                writer.add_document(**_fields(doc))
                count += 1
                progress(count)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._refresh()
        return count

    def upsert(
        self, docs: Iterable[Mapping[str, Any]], progress: Callable[[int], None] = lambda _: None
    ) -> int:
        """Add or replace documents by id, in one commit."""
        writer = self._ix.writer(timeout=10.0, limitmb=128)
        count = 0
        try:
            for doc in docs:
                writer.update_document(**_fields(doc))
                count += 1
                progress(count)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._refresh()
        return count

    def delete(self, paper_ids: Iterable[str]) -> None:
        writer = self._ix.writer(timeout=10.0)
        for paper_id in paper_ids:
            writer.delete_by_term("id", paper_id)
        writer.commit()
        self._refresh()

    def _refresh(self) -> None:
        """Point the long-lived searcher at the newest commit.

        A new searcher, not ``Searcher.refresh()``: whoosh3's refresh keeps the
        old segment readers alongside the new ones, so a replaced or deleted
        document would still be found.
        """
        if self._searcher.up_to_date():
            return
        self._searcher.close()
        self._searcher = self._ix.searcher(weighting=scoring.BM25F())

    # -- reading ---------------------------------------------------------------------

    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    def revisions(self) -> dict[str, int]:
        """Every indexed paper id with the revision it was indexed at."""
        return {f["id"]: f["rev"] for f in self._searcher.all_stored_fields()}

    def search(self, text: str, limit: int, allowed: set[str] | None = None) -> SearchHits:
        """Rank papers for full-text ``text``; keep only ``allowed`` ids when given."""
        parsed = self.parse(text)
        results = self._searcher.search(parsed, limit=None)
        ids: list[str] = []
        total = 0
        for hit in results:
            paper_id = hit["id"]
            if allowed is not None and paper_id not in allowed:
                continue
            total += 1
            if len(ids) < limit:
                ids.append(paper_id)
        suggestion = self.suggest(text) if total == 0 else None
        return SearchHits(ids=ids, total=total, suggestion=suggestion)

    def parse(self, text: str) -> query.Query:
        """Parse full-text query syntax, or raise ``QuerySyntaxError`` in plain words."""
        try:
            parsed = self._parser.parse(text)
        except Exception as err:  # whoosh raises many kinds on bad syntax
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {err}") from None
        problem = _first_error(parsed)
        if problem:
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {problem}")
        return parsed

    def suggest(self, text: str) -> str | None:
        """``text`` with each unknown word replaced by the closest word in the library.

        Words are corrected against the unstemmed ``words`` field, so a suggestion
        is always a real word ("forgetting", never the stem "forgett"); field
        names, operators and quoted phrases are left as they were typed.
        """
        reader = self._searcher.reader()
        corrector = self._searcher.corrector("words")
        changed = False

        def correct(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(0)
            lowered = word.lower()
            if word in _OPERATORS or reader.frequency("words", lowered) > 0:
                return word
            found = corrector.suggest(lowered, limit=1, maxdist=1 if len(word) <= 5 else 2)
            if not found:
                return word
            changed = True
            return str(found[0])

        suggestion = _PLAIN_WORD.sub(correct, text)
        return suggestion if changed else None

    def more_like(self, paper_id: str, text: str, limit: int) -> list[str]:
        """Papers whose wording resembles ``text`` (the paper's title and abstract)."""
        docnum = self._searcher.document_number(id=paper_id)
        if docnum is None:
            return []
        results = self._searcher.more_like(docnum, "words", text=text, top=limit, numterms=20)
        return [hit["id"] for hit in results]


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` whose words match a term of ``query_text`` (by stem)."""
    wanted = {t.text for t in _STEMMED(query_text) if t.text}
    wanted |= {t.text for t in _PLAIN(query_text)}
    prefixes = [w[:-1].lower() for w in query_text.split() if w.endswith("*") and len(w) > 1]
    spans = []
    for token in _STEMMED(text, chars=True, removestops=False):
        original = text[token.startchar : token.endchar].lower()
        if (
            token.text in wanted
            or original in wanted
            or any(original.startswith(p) for p in prefixes)
        ):
            spans.append((token.startchar, token.endchar))
    return spans


def _fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: value for key, value in doc.items() if value not in (None, "")}
    out["words"] = f"{doc.get('title', '')} {doc.get('abstract', '')}"
    return out


def _first_error(q: query.Query) -> str | None:
    error = getattr(q, "error", None)
    if error:
        return str(error)
    for child in q.children():
        found = _first_error(child)
        if found:
            return found
    return None
