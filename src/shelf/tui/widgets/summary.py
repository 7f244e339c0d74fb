"""The summary line under the search box: what is listed, out of what, and why not more."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from shelf.domain import SearchResult, Status
from shelf.domain.text import one_line


class Summary(Static):
    """One line about the list shown, or in red what is wrong with the query."""

    _described: tuple[SearchResult, Status | None, int, str | None] | None = None
    """What ``describe`` was last told, to say again once indexing is done."""

    def describe(
        self, result: SearchResult, status: Status | None, library_size: int, notice: str | None
    ) -> None:
        """Say what ``result`` lists (``status`` filtered) and any ``notice`` about the query."""
        self._described = (result, status, library_size, notice)
        scope = f"filter: {status.value}" if status else "all papers"
        about = "" if result.exact else "about "
        text = f"{scope} · {about}{result.total} of {library_size} papers"
        if result.total > len(result.entries):
            text += f" · showing the first {len(result.entries)} (more at the end)"
        if result.corrected_from is not None and result.suggestion:
            text += (
                f" · showing results for {one_line(result.suggestion)}"
                f" (nothing matches {one_line(result.corrected_from)})"
            )
        elif result.total == 0 and result.suggestion:
            text += f" · did you mean: {one_line(result.suggestion)}"
        if result.pending:
            text += f" · {result.pending} papers not indexed yet"
        if notice:
            text += f" · {notice}"
        self.say(text)

    def indexing(self, done: int, total: int) -> None:
        """Say how far the indexing a search waits for has got; once done, what is listed."""
        if done < total:
            self.say(f"indexing {done:,} of {total:,} papers for text search…")
        elif described := self._described:
            self.describe(*described)

    def say(self, text: str, error: bool = False) -> None:
        """Show ``text`` as it is (never as markup); in red when it is an ``error``."""
        self.update(Text(text))
        self.set_class(error, "-error")
