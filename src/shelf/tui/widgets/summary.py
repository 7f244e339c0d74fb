"""The summary line under the search box: what is listed, out of what, and why not more."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from shelf.domain import SearchResult
from shelf.domain.text import one_line

#: How much of a paper's title "more like" says (the rest of the line names the count).
MORE_LIKE_TITLE = 70


class Summary(Static):
    """One line about the list shown, or in red what is wrong with the query."""

    _described: tuple[SearchResult, str, int, str | None] | None = None
    """What ``describe`` was last told, to say again as indexing goes on and once done."""
    _indexing: tuple[int, int] | None = None
    """(done, total) while the index catches up."""
    _answered: bool = False
    """Whether a search answered (from what was indexed) since the catch-up began."""
    _selected: int = 0
    """How many papers are selected: said first, before whatever the line says."""
    _said: tuple[str, bool] = ("", False)
    """The text last said and whether it was an error, to say again with a new count."""

    def describe(
        self, result: SearchResult, scope: str, library_size: int, notice: str | None
    ) -> None:
        """Say what ``result`` lists (of ``scope``: "all papers", "filter: read") and any
        ``notice`` about the query."""
        self._described = (result, scope, library_size, notice)
        about = "" if result.exact else "about "
        # With separators, as the indexing line says them: "20,779", not "20779".
        text = f"{scope} · {about}{result.total:,} of {library_size:,} papers"
        if result.total > len(result.entries):
            text += f" · showing the first {len(result.entries):,}"
        if result.corrected_from is not None and result.suggestion:
            text += (
                f" · showing results for {one_line(result.suggestion)}"
                f" (nothing matches {one_line(result.corrected_from)})"
            )
        elif result.total == 0 and result.suggestion:
            text += f" · did you mean: {one_line(result.suggestion)}"
        if self._indexing:
            self._answered = True
            done, total = self._indexing
            text += f" · indexing {done:,} of {total:,} papers…"  # short: after the list's
        elif result.pending:
            text += f" · {result.pending} papers not indexed yet"
        if notice:
            text += f" · {notice}"
        self.say(text)

    def more_like(self, title: str, related: int) -> None:
        """Say that the papers most like the one titled ``title`` are listed."""
        shown = one_line(title)
        if len(shown) > MORE_LIKE_TITLE:  # no space left before the ellipsis
            shown = shown[: MORE_LIKE_TITLE - 1].rstrip() + "…"
        self.say(f"more like: {shown} · {related} related (escape goes back)")

    def indexing(self, done: int, total: int) -> None:
        """Say how far the index has caught up: alone until a search answers from it, then
        after what is listed; once done, only what is listed."""
        if self._indexing is None:
            self._answered = False
        self._indexing = (done, total) if done < total else None
        if self._described and (self._answered or done == total):
            self.describe(*self._described)
        else:
            self.say(f"indexing {done:,} of {total:,} papers for text search…")

    def count_selected(self, count: int) -> None:
        """Say "N selected" at the start of the line (none: nothing is said of it)."""
        self._selected = count
        self.say(*self._said)

    def say(self, text: str, error: bool = False) -> None:
        """Show ``text`` as it is (never as markup); in red when it is an ``error``."""
        self._said = (text, error)
        shown = f"{self._selected:,} selected · {text}" if self._selected else text
        self.update(Text(shown))
        self.set_class(error, "-error")
