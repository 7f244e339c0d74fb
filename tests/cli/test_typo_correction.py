"""A query with a typo corrects itself: the corrected query's hits, and a line saying so.

Before, a query with one typo found nothing: the CLI printed a did-you-mean
and the user had to type again.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.commands import run


def ids(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()]


def test_a_typo_shows_the_corrected_query_and_says_so(page_dir: Path) -> None:
    typo = run("search", "catastrophc", "forgetting", library=page_dir).ok()
    right = run("search", "catastrophic", "forgetting", library=page_dir).ok()
    assert ids(typo.out) == ids(right.out) != []
    assert typo.err.splitlines()[0] == (
        "shelf: showing results for 'catastrophic forgetting' (nothing matches "
        "'catastrophc forgetting'; --exact searches for it as typed)"
    )


def test_with_json_stdout_holds_the_corrected_hits_and_stderr_the_correction(
    page_dir: Path,
) -> None:
    typo = run("search", "--json", "catastrophc", library=page_dir).ok()
    right = run("search", "--json", "catastrophic", library=page_dir).ok()
    assert json.loads(typo.out) == json.loads(right.out) != []
    assert "showing results for 'catastrophic'" in typo.err


def test_the_correction_keeps_the_query_filters(page_dir: Path) -> None:
    paper = json.loads(run("search", "--json", "catastrophic", library=page_dir).ok().out)[0]
    run("set", paper["id"], "--status", "read", library=page_dir).ok()
    typo = run("search", "status:read catastrophc", library=page_dir).ok()
    assert ids(typo.out) == [paper["id"]]
    assert "showing results for 'catastrophic'" in typo.err


def test_exact_searches_as_typed(page_dir: Path) -> None:
    exact = run("search", "--exact", "catastrophc", library=page_dir).ok()
    assert exact.out == ""
    assert "no papers match 'catastrophc'; did you mean: catastrophic" in exact.err


def test_no_correction_when_nothing_is_close(page_dir: Path) -> None:
    far = run("search", "zzqxvw", library=page_dir).ok()
    assert far.out == ""
    assert "showing results" not in far.err
    assert "no papers match 'zzqxvw'" in far.err


def test_the_correction_is_the_nearest_word(page_dir: Path) -> None:
    typo = run("search", "transformr", library=page_dir).ok()
    assert typo.err.startswith("shelf: showing results for 'transformer'")
    assert ids(typo.out) == ids(run("search", "transformer", library=page_dir).ok().out)


def test_stop_words_are_never_corrected(page_dir: Path) -> None:
    # "the" is left out of the index: it was taken for an unknown word and
    # "corrected" to "then", and a quoted '"in the"' to '"in then"'.
    typo = run("search", "the", "transformr", library=page_dir).ok()
    assert "showing results for 'the transformer'" in typo.err
    phrase = run("search", '"in the"', library=page_dir).ok()
    assert "showing results" not in phrase.err
    assert "(showing 200 of 236; use -n for more)" in phrase.err  # every paper, as "the" lists


def test_typos_near_a_word_end_and_swapped_letters_are_corrected(page_dir: Path) -> None:
    # Corrected from the stems alone, these stayed unmatched: "distilaltion" is far
    # from the stem "distil", and a swap counted as two edits.
    for typo, word in [("distilaltion", "distillation"), ("adaptatino", "adaptation"),
                       ("knowlegde", "knowledge"), ("fornetting", "forgetting")]:  # fmt: skip
        result = run("search", typo, library=page_dir).ok()
        assert f"showing results for '{word}'" in result.err, (typo, result.err)
        assert ids(result.out) == ids(run("search", word, library=page_dir).ok().out)


def test_a_swap_in_a_short_word_is_one_edit_and_far_words_are_never_offered(
    page_dir: Path,
) -> None:
    # Found by a hostile pass: "mutli task" showed "must task"; "wiht" showed "witnessed".
    short = run("search", "mutli", "task", library=page_dir).ok()
    assert "showing results for 'multi task'" in short.err
    far = run("search", "wiht", library=page_dir).ok()
    assert "showing results" not in far.err and "did you mean" not in far.err


def test_only_plain_words_are_corrected(page_dir: Path) -> None:
    # A venue, a wildcard's parts and a boost were "corrected" like title words.
    venue = run("search", "--exact", "venue:neurips transfomer", library=page_dir).ok()
    assert "did you mean: venue:neurips transformer" in venue.err
    wildcard = run("search", "--exact", "tras*fer", library=page_dir).ok()
    assert "did you mean" not in wildcard.err
