"""Command palette providers: "jump to paper" by title (the actions come from bindings)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.command import Hit, Hits, Provider

from shelf.domain import ShelfError
from shelf.domain.text import printable
from shelf.library import Library


@runtime_checkable
class PaperJumper(Protocol):
    """A screen that lists papers from ``library`` and can jump to one."""

    library: Library

    def jump_to(self, paper_id: str) -> None: ...


class JumpToPaper(Provider):
    """Finds papers by the words typed and jumps to the chosen one."""

    async def search(self, query: str) -> Hits:
        words = " ".join(query.split())
        screen = self.screen
        if len(words) < 2 or not isinstance(screen, PaperJumper):
            return
        try:
            result = await asyncio.to_thread(screen.library.search, f"{words}*", 15)
        except ShelfError:
            return
        for rank, entry in enumerate(result.entries):
            title = printable(entry.paper.title)
            yield Hit(
                score=1.0 - rank / 100,
                match_display=Text(f"Jump to: {title}"),  # a Text, never parsed as markup
                command=partial(screen.jump_to, entry.id),
                text=f"Jump to: {title}",
                help=f"paper {entry.id}",
            )
