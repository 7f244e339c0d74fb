"""The welcome shown on an empty library: how to import, the demo papers one key away, and
a feed to subscribe to (fetched at once)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from shelf.domain import ShelfError
from shelf.domain.feeds import Feed, default_name, parse_spec
from shelf.library import Library
from shelf.paths import demo_file
from shelf.tui.messages import DemoLoaded, WorkerFailed
from shelf.tui.screens.prompt import TagPrompt

#: What the feed prompt completes.
SOURCES = ["arxiv:cs.LG", "arxiv:cs.CL", "arxiv:cs.CV", "hf:daily"]


class WelcomeScreen(ModalScreen[str | None]):
    """Loads the demo papers if asked: dismissed with the import's summary, else None."""

    BINDINGS = [
        Binding("D", "load_demo", "Load the demo papers", id="welcome_demo"),
        Binding("F", "add_feed", "Add a feed", id="welcome_feed"),
        Binding("escape", "close", "Start empty", id="welcome_close"),
        Binding("q", "app.quit", "Quit", id="welcome_quit"),
    ]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Welcome to shelf\n\n", style="bold")
        text.append("Your library is empty. Import papers from a shell:\n\n")
        text.append("  shelf import trending-papers.txt\n", style="bold")
        text.append(
            "\n(a copied Hugging Face papers page: a title line, then an abstract line)\n\n"
        )
        text.append("Or press ")
        text.append("D", style="bold reverse")
        text.append(" to load the 236 bundled demo papers on transfer learning, ")
        text.append("F", style="bold reverse")
        text.append(" to subscribe\nto a feed (an arXiv category, hf:daily or a feed's URL) "
                    "and fetch it,\n")  # fmt: skip
        text.append("escape", style="bold reverse")
        text.append(" to start with an empty library, ")
        text.append("q", style="bold reverse")
        text.append(" to quit.")
        with Vertical(id="welcome-box"):
            yield Static(text)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self._library = library

    def action_load_demo(self) -> None:
        self.query_one(Static).update("Loading the demo papers…")
        self._load_demo()

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _load_demo(self) -> None:
        report = self._library.import_paths([demo_file()], fmt="hf-text")
        self.post_message(DemoLoaded(f"Demo papers: {report.summary()}"))

    def action_add_feed(self) -> None:
        prompt = TagPrompt("Subscribe to (arxiv:cs.LG, hf:daily, or a feed's URL):", SOURCES)
        self.app.push_screen(prompt, self._feed_chosen)

    def _feed_chosen(self, spec: str | None) -> None:
        if not spec:
            return
        try:
            feed = self._subscribe(spec)
        except ShelfError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self.query_one(Static).update(Text(f"Fetching {feed.name}…"))
        self._fetch(feed.name)

    def _subscribe(self, spec: str) -> Feed:
        """The feed of ``spec``: the one already there (a fetch that failed before), or a new
        one, named after its source, or with a number after that name when it is taken."""
        kind, source = parse_spec(spec)
        known = self._library.feeds()
        for feed in known:
            if (feed.kind, feed.source) == (kind, source):
                return feed
        taken = {feed.name.lower() for feed in known}
        name = default_name(kind, source)
        number = 2
        while name.lower() in taken:
            name, number = f"{default_name(kind, source)}-{number}", number + 1
        return self._library.add_feed(spec, name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _fetch(self, name: str) -> None:
        report = self._library.fetch([name])
        failed = [outcome.line for outcome in report.outcomes if not outcome.ok]
        self.post_message(DemoLoaded(failed[0] if failed else f"Feed {name}: {report.summary()}"))

    def on_demo_loaded(self, event: DemoLoaded) -> None:
        self.dismiss(event.summary)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:  # said by the app; the library stays as it was
            self.post_message(WorkerFailed(event.worker))
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
