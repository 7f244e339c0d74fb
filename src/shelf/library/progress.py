"""How long work reports how far it has got: the callbacks the library's verbs take."""

from __future__ import annotations

from collections.abc import Callable

#: Called with (phase, done, total) as long work advances; total is None when unknown.
Progress = Callable[[str, int, int | None], None]
#: Called with (done, total) as one phase advances (papers imported, papers indexed); total
#: is None when unknown (the records of a file read as they are imported).
Step = Callable[[int, int | None], None]


def quiet(phase: str, done: int, total: int | None) -> None:
    """The progress callback that reports nothing."""


def quiet_step(done: int, total: int | None) -> None:
    """The step callback that reports nothing."""
