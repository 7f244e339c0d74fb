"""Options several commands share, and the text parameter type they read."""

from __future__ import annotations

from typing import Any

import click

from shelf.domain import Sort, StateFilter, Status, normalize_tag
from shelf.domain.text import without_surrogates

STATUS_CHOICES = [status.value for status in Status]

sort_option = click.option(
    "--sort",
    type=click.Choice([sort.value for sort in Sort]),
    default=Sort.RELEVANCE.value,
    show_default=True,
    callback=lambda _ctx, _param, value: Sort(value),
    help="The order: relevance (best match first; with no search words, inbox first, newest "
    "first), added (newest first), year (newest first), title (A to Z), status-changed "
    "(last triaged first), for-you (the inbox, most like the papers you starred and read "
    "first).",
)


class _Text(click.ParamType):  # type: ignore[type-arg]
    """Text from the command line, made storable: bytes that are not UTF-8 (which Python
    hands over as lone surrogates) become U+FFFD instead of failing later."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return without_surrogates(value) if isinstance(value, str) else value


TEXT = _Text()
"""Text from the command line (notes, tags, ids, queries)."""


def state_filter(
    statuses: tuple[str, ...], tags: tuple[str, ...], starred: bool | None
) -> StateFilter:
    """The reading-state filter that ``--status``, ``--tag`` and ``--starred`` chose."""
    return StateFilter(
        statuses=frozenset(Status.parse(s) for s in statuses),
        tags=frozenset(normalize_tag(t) for t in tags),
        starred=starred,
    )
