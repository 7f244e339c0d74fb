"""Which words of a text a query matched, for the preview to mark."""

from __future__ import annotations

from shelf.search.schema import PLAIN, STEMMED


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` whose words match a term of ``query_text`` (by stem)."""
    wanted = {t.text for t in STEMMED(query_text) if t.text}
    wanted |= {t.text for t in PLAIN(query_text)}
    prefixes = [w[:-1].lower() for w in query_text.split() if w.endswith("*") and len(w) > 1]
    spans = []
    for token in STEMMED(text, chars=True, removestops=False):
        original = text[token.startchar : token.endchar].lower()
        if (
            token.text in wanted
            or original in wanted
            or any(original.startswith(p) for p in prefixes)
        ):
            spans.append((token.startchar, token.endchar))
    return spans
