"""The preview of the highlighted paper: metadata, the abstract with query terms
highlighted, and related papers to jump to.

All imported text is put into ``rich.text.Text`` objects (never parsed as markup)
after ``inert``, so a title like ``[bold red]x[/]`` or one holding escape codes
shows as those characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from shelf.domain import Entry
from shelf.domain.text import printable, visible


class Preview(VerticalScroll, can_focus=False):
    """Everything about one paper that helps decide whether to read it."""

    class RelatedChosen(Message):
        """The user picked a related paper."""

        def __init__(self, paper_id: str) -> None:
            self.paper_id = paper_id
            """The chosen paper's id."""
            super().__init__()

    def compose(self) -> ComposeResult:
        yield Static(id="preview-body")
        yield Static("Related papers", id="related-title", classes="section-title")
        yield OptionList(id="related")

    def on_mount(self) -> None:
        self.show(None)

    def show(self, entry: Entry | None, spans: Sequence[tuple[int, int]] = ()) -> None:
        """Show ``entry`` (or a hint when nothing is selected); ``spans`` mark query terms."""
        body = self.query_one("#preview-body", Static)
        self.set_related([])
        if entry is None:
            body.update(Text("No paper selected.", style="italic"))
            return
        body.update(render_paper(entry, spans))
        self.scroll_home(animate=False)

    def set_related(self, entries: Sequence[Entry]) -> None:
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


def render_paper(entry: Entry, spans: Sequence[tuple[int, int]]) -> Text:
    """The preview text of one paper; the abstract's ``spans`` are highlighted."""
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
    if paper.link:
        text.append(printable(paper.link[:PREVIEW_CAP]) + "\n", style="underline dim")
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
    return text
