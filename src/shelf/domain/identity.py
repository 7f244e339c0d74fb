"""Paper identity: when two records describe the same paper, and short ids users can type.

Identity, in order: arXiv id (without version), DOI, normalized title plus year
when both records know the year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NEW_ARXIV = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(v\d+)?(?![\d])")
# The archives that had identifiers before April 2007 (archive[.SUBJECT-CLASS]/YYMMNNN).
# Naming them keeps a path such as ``example.com/page/1234567`` from passing for an id.
_OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|"
    "supr-con"
)
_OLD_ARXIV = re.compile(
    rf"(?<![\w.-])({_OLD_ARCHIVES})(?:\.[A-Z]{{2}})?/(\d{{7}})(v\d+)?(?!\d)", re.IGNORECASE
)
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")


def parse_arxiv_id(text: str) -> str | None:
    """Find an arXiv id in an id, URL or citation string; drop any version suffix."""
    text = text.strip()
    match = _NEW_ARXIV.search(text)
    if match:
        return match.group(1)
    match = _OLD_ARXIV.search(text)
    if match:
        # The subject class is not part of the identifier: math.GT/0309136 is math/0309136.
        return f"{match.group(1).lower()}/{match.group(2)}"
    return None


def normalize_doi(text: str) -> str | None:
    """The bare, lower-cased DOI in a DOI, ``doi:`` string or doi.org URL."""
    match = _DOI.search(text.strip())
    if not match:
        return None
    return match.group(1).rstrip(".,;").lower()


def normalize_title(title: str) -> str:
    """A title reduced to lower-case ASCII-ish words: case, accents, punctuation gone."""
    decomposed = unicodedata.normalize("NFKD", title)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"\w+", stripped.casefold())
    return " ".join(words)


_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u


def short_id(seed: str, length: int = 6) -> str:
    """A short, typeable id derived from ``seed``; lengthen it if it collides."""
    digest = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:10], "big")
    chars = []
    for _ in range(length):
        digest, index = divmod(digest, 32)
        chars.append(_ALPHABET[index])
    return "".join(chars)


def identity_seed(title: str, year: int | None, arxiv_id: str | None, doi: str | None) -> str:
    """The string a new paper's short id is derived from (stable across libraries)."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    if doi:
        return f"doi:{doi}"
    return f"title:{normalize_title(title)}|{year or ''}"
