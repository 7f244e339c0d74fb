"""The preview of the highlighted paper: metadata, the abstract with query terms
highlighted, and related papers to jump to; in the for-you order, which starred or
read paper it is most like ("like: <title>"), the reason it ranks where it does.

Related papers (and the paper it is like) are queries over the whole index,
looked up in a worker once the cursor has rested on a paper for ``RELATED_DELAY``:
moving or triaging key after key never pays for them.

All imported text is put into ``rich.text.Text`` objects (never parsed as markup)
after ``inert``, so a title like ``[bold red]x[/]`` or one holding escape codes
shows as those characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from shelf.domain import Entry, ShelfError
from shelf.domain.text import printable, visible
from shelf.library import Library
from shelf.tui.messages import Highlight, RelatedFound, WorkerFailed

#: Seconds the cursor must rest on a paper before its related papers are looked up.
RELATED_DELAY = 0.25
#: How many related papers the preview lists.
RELATED_SHOWN = 5


class Preview(VerticalScroll, inherit_bindings=False):
    """Everything about one paper that helps decide whether to read it.

    Tab from the list focuses it; its keys scroll a long abstract.
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="preview_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="preview_up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="preview_page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="preview_page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="preview_top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="preview_bottom"),
    ]

    class RelatedChosen(Message):
        """The user picked a related paper."""

        def __init__(self, paper_id: str) -> None:
            self.paper_id = paper_id
            """The chosen paper's id."""
            super().__init__()

    class LikeFound(Message):
        """The starred or read paper most like ``paper_id`` (None: none is)."""

        def __init__(self, paper_id: str, like: Entry | None) -> None:
            self.paper_id = paper_id
            self.like = like
            super().__init__()

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._library = library
        self._paper_id: str | None = None
        self._related_timer: Timer | None = None
        self._for_you = False
        """Whether the list is in the for-you order: the preview then says why."""
        self._shown: tuple[Entry, Sequence[tuple[int, int]], bool] | None = None
        """The paper shown, its spans and whether its links came last (see ``_short``)."""

    def compose(self) -> ComposeResult:
        yield Static(id="preview-like")
        yield Static(id="preview-body")
        yield Static("Related papers", id="related-title", classes="section-title")
        yield OptionList(id="related")

    def on_mount(self) -> None:
        self.watch(self.screen, "highlight", self._follow)

    def _follow(self, highlight: Highlight) -> None:
        entry = highlight.entry
        shown = entry.paper.abstract[:PREVIEW_CAP] if entry else ""
        spans = self._library.highlight(shown, highlight.query) if shown else []
        self._for_you = highlight.for_you
        self.show(entry, spans)

    def show(self, entry: Entry | None, spans: Sequence[tuple[int, int]] = ()) -> None:
        """Show ``entry`` (or a hint when nothing is selected); ``spans`` mark query terms."""
        body = self.query_one("#preview-body", Static)
        self._set_related([])
        self._set_like(None)
        if self._related_timer is not None:
            self._related_timer.stop()
            self._related_timer = None
        self._paper_id = entry.id if entry else None
        if entry is None:
            self._shown = None
            body.update(Text("No paper selected.", style="italic"))
            return
        self._draw_paper(entry, spans)
        self.scroll_home(animate=False)
        paper_id = entry.id
        self._related_timer = self.set_timer(RELATED_DELAY, lambda: self._look_up(paper_id))

    def _short(self) -> bool:
        """Whether the preview sits under the list (a narrow terminal): it is then a few
        rows high, and the abstract comes right after the title, authors and year; the
        links follow it. At 80x24 they took every row the abstract had."""
        return self.screen.has_class("-narrow")

    def _draw_paper(self, entry: Entry, spans: Sequence[tuple[int, int]]) -> None:
        short = self._short()
        self._shown = (entry, spans, short)
        self.query_one("#preview-body", Static).update(render_paper(entry, spans, short))

    def on_resize(self) -> None:
        """The terminal went narrow or wide: the paper's links move to their place."""
        if self._shown is not None and self._shown[2] != self._short():
            self._draw_paper(*self._shown[:2])

    def _look_up(self, paper_id: str) -> None:
        """The cursor rested on the paper: look up its related papers (and its reason)."""
        self._load_related(paper_id)
        if self._for_you:
            self._load_like(paper_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="like")
    def _load_like(self, paper_id: str) -> None:
        try:
            like = self._library.why_for_you(paper_id)
        except ShelfError:
            return  # optional, as related papers are
        if not get_current_worker().is_cancelled:
            self.post_message(self.LikeFound(paper_id, like))

    def on_preview_like_found(self, event: Preview.LikeFound) -> None:
        event.stop()
        if event.paper_id == self._paper_id and self._for_you:
            self._set_like(event.like)

    def _set_like(self, like: Entry | None) -> None:
        """Say which liked paper this one is most like (None: say nothing)."""
        line = Text("like: ", style="dim")
        if like is not None:
            line.append(printable(like.paper.title[:PREVIEW_CAP]), style="italic")
        self.query_one("#preview-like", Static).update(line)
        self.set_class(like is None, "-no-like")

    @work(thread=True, exclusive=True, exit_on_error=False, group="related")
    def _load_related(self, paper_id: str) -> None:
        try:
            related = self._library.related(paper_id, RELATED_SHOWN)
        except ShelfError:
            return  # optional: the search shows what is wrong with the library
        if not get_current_worker().is_cancelled:
            self.post_message(RelatedFound(paper_id, related))

    @on(RelatedFound)
    def _related_found(self, event: RelatedFound) -> None:
        event.stop()
        if event.paper_id == self._paper_id:  # the cursor may have moved on meanwhile
            self._set_related(event.related)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))

    def _set_related(self, entries: Sequence[Entry]) -> None:
        options = self.query_one("#related", OptionList)
        options.clear_options()
        options.add_options(
            Option(Text(printable(e.paper.title), no_wrap=True, overflow="ellipsis"), id=e.id)
            for e in entries
        )
        self.set_class(not entries, "-no-related")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.RelatedChosen(event.option.id))


#: The preview shows at most this much of an abstract (a 1 MB one would stall drawing).
PREVIEW_CAP = 20_000


def render_paper(entry: Entry, spans: Sequence[tuple[int, int]], links_last: bool = False) -> Text:
    """The preview text of one paper; the abstract's ``spans`` are highlighted.

    ``links_last``: the abstract right after the facts line, and the links after it.
    """
    paper = entry.paper
    text = Text()
    text.append(printable(paper.title[:PREVIEW_CAP]) + "\n", style="bold")
    if paper.authors:
        names = ", ".join(paper.authors)[:PREVIEW_CAP]
        text.append(printable(names) + "\n", style="italic")
    facts = [str(paper.year)] if paper.year else []
    if paper.venue:
        facts.append(printable(paper.venue[:PREVIEW_CAP]))
    facts.append(f"id {entry.id}")
    if paper.arxiv_id:
        facts.append(f"arXiv {paper.arxiv_id}")
    if paper.doi:
        facts.append(f"DOI {printable(paper.doi[:PREVIEW_CAP])}")
    text.append(" · ".join(facts) + "\n", style="dim")
    links = [printable(link[:PREVIEW_CAP]) for link in paper.links]
    if not links_last:
        for link in links:
            text.append(link + "\n", style="underline dim")
        text.append("\n")
    shown = paper.abstract[:PREVIEW_CAP]
    abstract = visible(shown) if shown else ""
    if abstract:
        body = Text(abstract)
        if abstract == shown:  # spans index the original text
            for start, end in spans:
                if end <= len(shown):
                    body.stylize("bold reverse", start, end)
        text.append_text(body)
        if len(paper.abstract) > PREVIEW_CAP:
            rest = len(paper.abstract) - PREVIEW_CAP
            text.append(f"\n… ({rest:,} more characters not shown)", style="dim italic")
    else:
        text.append("(no abstract)", style="dim italic")
    if links_last and links:
        text.append("\n\n")
        text.append("\n".join(links), style="underline dim")
    return text
