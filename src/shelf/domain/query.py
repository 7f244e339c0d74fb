"""Query value objects: the personal-state filters split from the full-text part.

``status:``, ``tag:``, ``is:starred`` and ``list:`` describe the user's own state, which lives
in SQLite and changes on every triage key; they are taken out of the query here
and applied by the store, so a status change never costs a full-text index
commit. They combine with AND (each may be negated with ``-`` or ``NOT``); the
rest of the query is full-text syntax for the search index.

``OPERATORS`` is the table of these filters: a new one is a row there, with its
condition on ``StateFilter``; the store turns conditions into SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from shelf.domain.errors import QuerySyntaxError, ShelfError
from shelf.domain.reading_list import list_name
from shelf.domain.status import Status


@dataclass(frozen=True, slots=True)
class StateFilter:
    """Conditions on reading state; an empty filter lets everything through."""

    statuses: frozenset[Status] = frozenset()
    """Keep papers in any of these statuses (all when empty)."""
    excluded_statuses: frozenset[Status] = frozenset()
    """Drop papers in any of these statuses."""
    tags: frozenset[str] = frozenset()
    """Keep papers that carry every one of these tags."""
    excluded_tags: frozenset[str] = frozenset()
    """Drop papers that carry any of these tags."""
    starred: bool | None = None
    """Keep only starred (True) or only unstarred (False) papers; None for both."""
    new: bool | None = None
    """Keep only papers added since the visit before the app's last start (True), or only
    the others (False); None for both (``is:new``)."""
    lists: frozenset[str] = frozenset()
    """Keep papers in every one of these reading lists (names, compared case aside)."""
    excluded_lists: frozenset[str] = frozenset()
    """Drop papers in any of these reading lists."""

    def both(self, other: StateFilter) -> StateFilter:
        """A filter that passes only what this one and ``other`` both pass."""
        statuses = self.statuses or other.statuses
        excluded = self.excluded_statuses | other.excluded_statuses
        impossible = False
        if self.statuses and other.statuses:
            statuses = self.statuses & other.statuses
            impossible = not statuses
        starred = self.starred if self.starred is not None else other.starred
        if None not in (self.starred, other.starred) and self.starred != other.starred:
            impossible = True
        if impossible:  # a status both required and excluded: nothing passes
            statuses, excluded = frozenset({Status.INBOX}), excluded | {Status.INBOX}
        return StateFilter(
            statuses=statuses,
            excluded_statuses=excluded,
            tags=self.tags | other.tags,
            excluded_tags=self.excluded_tags | other.excluded_tags,
            starred=starred,
            new=self.new if self.new is not None else other.new,
            lists=self.lists | other.lists,
            excluded_lists=self.excluded_lists | other.excluded_lists,
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.statuses
            or self.excluded_statuses
            or self.tags
            or self.excluded_tags
            or self.starred is not None
            or self.new is not None
            or self.lists
            or self.excluded_lists
        )


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its full-text part and its personal-state filter."""

    text: str
    filter: StateFilter = field(default_factory=StateFilter)


_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+(?:"[^"]*"?)?')


@dataclass(slots=True)
class _Draft:
    """The filter being built while a query is read."""

    statuses: set[Status] = field(default_factory=set)
    excluded_statuses: set[Status] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    excluded_tags: set[str] = field(default_factory=set)
    starred: bool | None = None
    new: bool | None = None
    lists: set[str] = field(default_factory=set)
    excluded_lists: set[str] = field(default_factory=set)

    def done(self) -> StateFilter:
        return StateFilter(
            statuses=frozenset(self.statuses),
            excluded_statuses=frozenset(self.excluded_statuses),
            tags=frozenset(self.tags),
            excluded_tags=frozenset(self.excluded_tags),
            starred=self.starred,
            new=self.new,
            lists=frozenset(self.lists),
            excluded_lists=frozenset(self.excluded_lists),
        )


def _status(draft: _Draft, token: str, value: str, negated: bool) -> None:
    try:
        chosen = {Status.parse(part) for part in value.split(",") if part}
    except ShelfError as err:
        raise QuerySyntaxError(str(err)) from None
    (draft.excluded_statuses if negated else draft.statuses).update(chosen)


def _tag(draft: _Draft, token: str, value: str, negated: bool) -> None:
    (draft.excluded_tags if negated else draft.tags).add(normalize_tag(value))


def _is(draft: _Draft, token: str, value: str, negated: bool) -> None:
    if value.lower() == "starred":
        draft.starred = not negated
    elif value.lower() == "new":
        draft.new = not negated
    else:
        raise QuerySyntaxError(f"{token!r}: the is: filters are is:starred and is:new")


def _list(draft: _Draft, token: str, value: str, negated: bool) -> None:
    try:
        name = list_name(value)
    except ShelfError as err:
        raise QuerySyntaxError(f"{token!r}: {err}") from None
    (draft.excluded_lists if negated else draft.lists).add(name)


@dataclass(frozen=True, slots=True)
class FilterOperator:
    """A ``name:value`` condition on reading state, taken out of the query before full text.

    ``apply(draft, token, value, negated)`` adds the condition (or, negated, its
    opposite) to the filter being built, or raises ``QuerySyntaxError`` for a
    value it does not take (``token`` is the word as typed, for the message). The store
    turns the resulting ``StateFilter`` into SQL (``store/rows.py``, ``where``).
    """

    name: str
    example: str
    apply: Callable[[_Draft, str, str, bool], None]


#: Every reading-state operator of the query language, in the order help lists them.
OPERATORS: dict[str, FilterOperator] = {
    op.name: op
    for op in (
        FilterOperator("status", "status:to-read,reading", _status),
        FilterOperator("tag", 'tag:"reading group"', _tag),
        FilterOperator("is", "is:starred", _is),
        FilterOperator("list", 'list:"reading group"', _list),
    )
}
_STATE = re.compile(rf"^(?P<neg>-)?(?P<field>{'|'.join(OPERATORS)}):(?P<value>.*)$", re.IGNORECASE)
_NAMES = ", ".join(f"{name}:" for name in list(OPERATORS)[:-1]) + f" and {list(OPERATORS)[-1]}:"


def normalize_tag(tag: str) -> str:
    """Tags are compared case-insensitively and hold no surrounding space."""
    cleaned = " ".join(tag.split()).lower()
    if not cleaned:
        raise ShelfError("a tag cannot be empty")
    return cleaned


#: A query longer than this is refused (the app cuts it): a pasted page is not a query,
#: and searching its thousands of words would take minutes.
MAX_QUERY_CHARS = 1000
#: A query with more words than this is refused (cut in the app), for the same reason.
MAX_QUERY_TERMS = 64


def check_query_size(query: str) -> None:
    """Refuse a query over ``MAX_QUERY_CHARS`` characters or ``MAX_QUERY_TERMS`` words."""
    limits = f"a search takes at most {MAX_QUERY_TERMS} words and {MAX_QUERY_CHARS:,} characters"
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"the query is too long: {len(query):,} characters ({limits})")
    terms = len(query.split())
    if terms > MAX_QUERY_TERMS:
        raise QuerySyntaxError(f"the query is too long: {terms:,} words ({limits})")


def cut_query(query: str) -> tuple[str, str | None]:
    """``query`` cut to the size limits, and a notice saying what was cut (None if nothing)."""
    cut = query[:MAX_QUERY_CHARS]
    words = re.split(r"(\s+)", cut.lstrip())
    if len(words) > 2 * MAX_QUERY_TERMS - 1:
        cut = "".join(words[: 2 * MAX_QUERY_TERMS - 1])
    if cut == query:
        return query, None
    return cut, (
        f"the query was cut to fit: a search takes at most {MAX_QUERY_TERMS} words "
        f"and {MAX_QUERY_CHARS:,} characters"
    )


def parse_query(query: str) -> ParsedQuery:
    """Split ``query`` into full-text syntax and a ``StateFilter``.

    The caller checks the size of what the user typed first (``check_query_size``):
    the query parsed may be longer, rewritten for typing (``as_you_type``).
    """
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(query)]
    depth = 0
    keep: list[tuple[int, int, int]] = []  # (token index, start, end)
    draft = _Draft()
    negate_next = False
    for index, (token, start, end) in enumerate(tokens):
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        match = _STATE.match(token)
        if match is None:
            if token == "NOT" and _next_is_state(tokens, index):
                negate_next = True
                continue
            keep.append((index, start, end))
            continue
        # A NOT in front belongs to the filter: look past it for an OR.
        first = index - 1 if negate_next else index
        neighbours = {tokens[i][0] for i in (first - 1, index + 1) if 0 <= i < len(tokens)}
        if depth or "OR" in neighbours:
            raise QuerySyntaxError(
                f"{token!r}: {_NAMES} filters combine with AND only; "
                "put them outside parentheses and OR"
            )
        negated = bool(match.group("neg")) or negate_next
        negate_next = False
        value = match.group("value").strip('"')
        if not value:
            raise QuerySyntaxError(f"{token!r}: a value is missing after the colon")
        OPERATORS[match.group("field").lower()].apply(draft, token, value, negated)
    text = _rejoin(query, keep)
    text = re.sub(r"^\s*AND\b|\bAND\s*$", "", text).strip()
    return ParsedQuery(text=text, filter=draft.done())


def _next_is_state(tokens: list[tuple[str, int, int]], index: int) -> bool:
    return index + 1 < len(tokens) and _STATE.match(tokens[index + 1][0]) is not None


def _rejoin(query: str, keep: list[tuple[int, int, int]]) -> str:
    """The kept tokens, with the query's own spacing where nothing was taken out between them.

    Whoosh reads ``title:(a OR b)`` as a field group but ``title: ( a OR b )`` as
    something else, so tokens that touched must still touch.
    """
    parts: list[str] = []
    for position, (index, start, end) in enumerate(keep):
        if position:
            previous_index, _, previous_end = keep[position - 1]
            contiguous = index == previous_index + 1
            parts.append(query[previous_end:start] if contiguous else " ")
        parts.append(query[start:end])
    return "".join(parts)


_LAST_WORD = re.compile(r"(?:^|[\s(]|(?P<field>\w+):)-?(?P<word>[^\W\d_](?:[\w'-]*\w)?)$")


def as_you_type(text: str) -> str:
    """``text`` with the word being typed also matched as a prefix.

    ``contin`` becomes ``(contin OR contin*)``, from the first letter on: the
    word itself still matches by its stem (a prefix is not stemmed, so
    ``forgetting*`` alone would miss the indexed stem ``forget``), and the
    prefix finds the longer words; a short prefix is one term of the title and
    author prefixes, so ``c`` is as quick as ``contin``. Only a plain last word
    counts (``title:adap`` too): not one just finished with a space, an
    operator, a number, a status/tag/is/year value, or a word inside an open
    phrase.
    """
    if text.count('"') % 2 == 1:
        return text
    match = _LAST_WORD.search(text)
    if match is None or match.group("word") in {"AND", "OR", "NOT", "TO"}:
        return text
    if (match.group("field") or "").lower() in {*OPERATORS, "year"}:
        return text
    word = match.group("word")
    return f"{text[: match.end() - len(word)]}({word} OR {word}*)"


def describe_selection(
    statuses: Sequence[str] = (), tags: Sequence[str] = (), starred: bool = False, query: str = ""
) -> str:
    """Which papers an export holds, in words ("status read, tag nlp, starred"); empty
    for the whole library."""
    parts = [f"status {' or '.join(statuses)}"] if statuses else []
    parts += [f"tag {tag}" for tag in tags]
    parts += ["starred"] if starred else []
    parts += [f"matching {query!r}"] if query.strip() else []
    return ", ".join(parts)
