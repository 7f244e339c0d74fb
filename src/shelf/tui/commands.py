"""Command palette providers: "jump to paper" by title (the actions come from bindings)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import Hit, Hits, Provider

from shelf.domain import ShelfError
from shelf.domain.text import printable

if TYPE_CHECKING:
    from shelf.tui.app import ShelfApp


class JumpToPaper(Provider):
    """Finds papers by the words typed and jumps to the chosen one."""

    @property
    def shelf(self) -> ShelfApp:
        from shelf.tui.app import ShelfApp

        assert isinstance(self.app, ShelfApp)
        return self.app

    async def search(self, query: str) -> Hits:
        words = " ".join(query.split())
        if len(words) < 2:
            return
        try:
            result = await asyncio.to_thread(self.shelf.library.search, f"{words}*", 15)
        except ShelfError:
            return
        for rank, entry in enumerate(result.entries):
            title = printable(entry.paper.title)
            yield Hit(
                score=1.0 - rank / 100,
                match_display=Text(f"Jump to: {title}"),  # a Text, never parsed as markup
                command=partial(self.shelf.jump_to, entry.id),
                text=f"Jump to: {title}",
                help=f"paper {entry.id}",
            )
