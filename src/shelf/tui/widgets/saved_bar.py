"""The bar of saved searches above the list: ``1 reading-group  2 inbox-ml …``.

One line, cut with an ellipsis where the terminal ends, hidden while there are
none. Only the first nine have a key, so only they are shown. Names are drawn
as the user typed them (a ``Text``, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from shelf.domain.saved import SavedSearch
from shelf.domain.text import printable

#: Saved searches 1 to 9 have keys.
KEYED = 9


class SavedBar(Static):
    """Numbers and names of the saved searches the keys 1-9 run."""

    def show(self, searches: Sequence[SavedSearch]) -> None:
        """Show ``searches`` by number (the first nine); hide the bar when there are none."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for number, search in enumerate(searches[:KEYED], start=1):
            if number > 1:
                text.append("  ")
            text.append(str(number), style="bold")
            text.append(f" {printable(search.name)}")
        self.update(text)
        self.set_class(not searches, "-empty")
