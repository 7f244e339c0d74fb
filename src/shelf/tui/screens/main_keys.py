"""The main screen's keys, in footer order: what fits at 80 columns comes first.

Each has an id, so ``[keymap]`` in config.toml can move it.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: Every key of the main screen (the list and the preview add their own).
MAIN_KEYS: list[BindingType] = [
    Binding("question_mark", "app.help", "Help", key_display="?", id="help"),
    Binding("slash", "focus_search", "Search", id="focus_search"),
    Binding("t", "triage('to-read')", "To read", id="set_to_read",
            tooltip="Mark to-read, go to the next paper"),
    Binding("r", "triage('reading')", "Reading", id="set_reading",
            tooltip="Mark reading, go to the next paper"),
    Binding("d", "triage('read')", "Read", id="set_read",
            tooltip="Mark read (done), go to the next paper"),
    Binding("x", "triage('skipped')", "Skip", id="set_skipped",
            tooltip="Mark skipped, go to the next paper"),
    # Quit here, not only the app's: in the footer it comes before what 80 columns cut.
    Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit (the notes being typed are saved)"),
    Binding("tab", "app.focus_next", "Panes", id="next_pane",
            tooltip="Focus the next pane: list, preview, notes (shift+tab goes back)"),
    Binding("i", "triage('inbox')", "Inbox", show=False, id="set_inbox",
            tooltip="Back to the inbox, go to the next paper"),
    Binding("s", "toggle_star", "Star", id="toggle_star"),
    Binding("a", "add_tag", "Tag", id="add_tag",
            tooltip="Add a tag (completes from your tags)"),
    Binding("A", "remove_tag", "Untag", show=False, id="remove_tag", tooltip="Remove a tag"),
    Binding("n", "edit_notes", "Notes", id="edit_notes", tooltip="Edit notes; escape saves"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change (again and again)"),
    Binding("U", "redo", "Redo", show=False, id="redo", tooltip="Redo what undo took back"),
    Binding("number_sign", "delete", "Delete", show=False, key_display="#", id="delete",
            tooltip="Delete the paper with its state (u brings it back)"),
    Binding("m", "more_like", "More like this", show=False, id="more_like",
            tooltip="List papers related to this one"),
    Binding("f", "filter", "Filter", id="filter",
            tooltip="Show all, inbox, to-read, reading, read, skipped or starred papers "
                    "(f f takes the next)"),
    # Before back: with papers selected, escape unselects them first.
    Binding("escape", "clear_selection", "Clear selection", show=False, id="clear_selection",
            tooltip="Unselect every paper (with none selected, escape goes back)"),
    Binding("escape,backspace", "back", "Back", show=False, id="back",
            tooltip="From 'more like this' back to the search, where the cursor was"),
    Binding("o", "sort", "Sort", show=False, id="sort",
            tooltip="Sort by relevance, added, year, title, status changed or for you (o o "
                    "takes the next); kept between runs"),
    Binding("O", "open_link", "Open link", show=False, id="open_link",
            tooltip="Open the paper's link in the browser"),
    Binding("P", "open_pdf", "Open PDF", show=False, id="open_pdf",
            tooltip="Open the PDF: arXiv's, the one the BibTeX entry names, or the attached file"),
    Binding("y", "copy_link", "Copy", show=False, id="copy_link",
            tooltip="Copy the link, the BibTeX entry, the citation key or a Markdown line"),
    Binding("S", "stats", "Stats", show=False, id="stats",
            tooltip="Counts by status, papers added and read per week, top tags"),
    Binding("e", "export", "Export", id="export",
            tooltip="Export this list or the library to a file"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False,
            id="previous_pane", tooltip="Focus the previous pane"),
    Binding("space", "toggle_selection", "Select", show=False, id="toggle_selection",
            tooltip="Select or unselect the paper, go to the next (space space space selects "
                    "a run)"),
    Binding("V", "select_range", "Select range", show=False, id="select_range",
            tooltip="Select every row from the last one space toggled to the cursor"),
    Binding("asterisk", "select_all", "Select all", show=False, key_display="*",
            id="select_all", tooltip="Select every match of the search, not only the rows "
                                     "loaded"),
    Binding("M", "merge_selected", "Merge two", show=False, id="merge_selected",
            tooltip="Merge the two selected papers: the second into the first (u undoes it)"),
    Binding("ctrl+f", "scroll_preview('page_down')", "Scroll abstract", show=False,
            id="abstract_down", tooltip="Scroll the abstract down a page"),
    Binding("b,ctrl+b", "scroll_preview('page_up')", "Scroll abstract back", show=False,
            id="abstract_up", tooltip="Scroll the abstract up a page"),
    # Textual's screens bind ctrl+c to copying selected text; here it quits.
    Binding("ctrl+c", "app.quit", "Quit", show=False, id="quit_interrupt",
            tooltip="Quit (the notes being typed are saved)"),
]  # fmt: skip
