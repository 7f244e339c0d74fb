"""Unit tests for config.py: defaults, every key, strict errors that name file, line and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shelf import config
from shelf.config import Settings, load_settings, parse_settings
from shelf.domain import ConfigError, ShelfError
from support.paths import SAMPLE_CONFIG

SOURCE = "/somewhere/config.toml"


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, SOURCE)
    return caught.value


def _assert_names(error: ConfigError, line: int, key: str) -> None:
    """The error carries and prints the file, the line and the key."""
    assert error.path == SOURCE
    assert error.line == line
    assert error.key == key
    message = str(error)
    assert message.startswith(f"{SOURCE}:{line}: "), message
    assert key in message


# -- defaults and every key --------------------------------------------------------------


def test_defaults() -> None:
    settings = Settings()
    assert settings.library_path is None
    assert settings.search_limit == 200
    assert settings.theme == "textual-dark"
    assert settings.export_directory is None
    assert settings.arxiv_api_url == "https://export.arxiv.org/api/query"
    assert settings.arxiv_timeout == 20.0
    assert dict(settings.keymap) == {}


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope" / "config.toml") == Settings()


def test_missing_file_when_required_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        load_settings(path, required=True)
    assert str(path) in str(caught.value)
    assert "no such config file" in str(caught.value)


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# nothing set\n", encoding="utf-8")
    assert load_settings(path) == Settings()


def test_every_key_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "\n".join(
            [
                "[library]",
                'path = "~/papers/library"',
                "[search]",
                "limit = 50",
                "[ui]",
                'theme = "nord"',
                "[export]",
                "directory = '/tmp/exports'",
                "[keymap]",
                'set_read = "D"',
                'cursor_down = "j,down"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    settings = load_settings(path, required=True)
    assert settings.library_path == Path("~/papers/library").expanduser()
    assert settings.library_path.is_absolute()
    assert settings.search_limit == 50
    assert settings.theme == "nord"
    assert settings.export_directory == Path("/tmp/exports")
    assert dict(settings.keymap) == {"set_read": "D", "cursor_down": "j,down"}


def test_settings_are_immutable() -> None:
    settings = parse_settings('[keymap]\nset_read = "D"\n')
    with pytest.raises(AttributeError):
        settings.search_limit = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.keymap["set_read"] = "X"  # type: ignore[index]


def test_empty_paths_mean_the_default() -> None:
    settings = parse_settings('[library]\npath = ""\n[export]\ndirectory = ""\n')
    assert settings.library_path is None
    assert settings.export_directory is None


def test_dotted_and_inline_spellings_are_read() -> None:
    assert parse_settings("search.limit = 7\n").search_limit == 7
    assert parse_settings('ui = { theme = "nord" }\n').theme == "nord"


def test_settings_remember_where_each_key_was_set() -> None:
    settings = parse_settings('# x\n[search]\nlimit = 9\n[keymap]\nset_read = "D"\n', SOURCE)
    assert settings.source == SOURCE
    assert dict(settings.lines) == {"search.limit": 3, "keymap.set_read": 5}
    error = settings.error("search.limit", "too many for this terminal")
    _assert_names(error, 3, "search.limit")
    assert settings == parse_settings("[search]\nlimit = 9\n[keymap]\nset_read = 'D'\n")


def test_known_keys() -> None:
    assert config.known_keys() == [
        "library.path",
        "search.limit",
        "ui.theme",
        "ui.screenshot_dir",
        "export.directory",
        "arxiv.api_url",
        "arxiv.timeout",
        "crossref.api_url",
        "crossref.mailto",
        "crossref.timeout",
        "arxiv.pause",
        "huggingface.api_url",
        "huggingface.timeout",
        "feeds.max_per_fetch",
        "feeds.timeout",
    ]


def test_crossref_keys_are_read_and_default_to_the_public_api() -> None:
    assert Settings().crossref_api_url == "https://api.crossref.org/works/"
    assert (Settings().crossref_mailto, Settings().crossref_timeout) == ("", 20.0)
    settings = parse_settings(
        '[crossref]\napi_url = "http://127.0.0.1:8080/works/"\n'
        'mailto = "me+shelf@uni.example.org"\ntimeout = 3\n'
    )
    assert settings.crossref_api_url == "http://127.0.0.1:8080/works/"
    assert settings.crossref_mailto == "me+shelf@uni.example.org"
    assert settings.crossref_timeout == 3.0


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('mailto = "me at example dot org"', "crossref.mailto", "expected an e-mail address"),
        ('mailto = "me@example.org\\r\\nX-Evil: 1"', "crossref.mailto", "expected an e-mail"),
        ('mailto = "me@example.org (Me)"', "crossref.mailto", "expected an e-mail address"),
        ('api_url = "ftp://api.crossref.org/works/"', "crossref.api_url", "expected an http(s)"),
        ("timeout = 0", "crossref.timeout", "must be more than 0"),
    ],
)
def test_bad_crossref_values_are_refused(text: str, key: str, message: str) -> None:
    error = _error(f"[crossref]\n{text}\n")
    _assert_names(error, 2, key)
    assert message in str(error)


def test_arxiv_keys_are_read() -> None:
    settings = parse_settings('[arxiv]\napi_url = "http://127.0.0.1:8080/api/query"\ntimeout = 2\n')
    assert settings.arxiv_api_url == "http://127.0.0.1:8080/api/query"
    assert settings.arxiv_timeout == 2.0
    assert parse_settings("[arxiv]\ntimeout = 0.25\n").arxiv_timeout == 0.25


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"file:///etc/passwd"', "expected an http(s) URL"),
        ('"export.arxiv.org/api/query"', "expected an http(s) URL"),
        ('"http://"', "expected an http(s) URL"),
        ("5", "expected a string"),
    ],
)
def test_arxiv_api_url_must_be_a_web_url(value: str, message: str) -> None:
    error = _error(f"[ui]\ntheme = 'nord'\n[arxiv]\napi_url = {value}\n")
    _assert_names(error, 4, "arxiv.api_url")
    assert message in str(error)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "more than 0"),
        ("-1.5", "more than 0"),
        ("601", "at most 600"),
        ("nan", "more than 0"),
        ('"20"', "expected a number"),
        ("true", "expected a number"),
    ],
)
def test_arxiv_timeout_must_be_a_sensible_number(value: str, message: str) -> None:
    error = _error(f"[arxiv]\n\ntimeout = {value}\n")
    _assert_names(error, 3, "arxiv.timeout")
    assert message in str(error)


# -- errors: file, line and key ------------------------------------------------------------


def test_config_error_is_a_shelf_error_with_exit_status_2() -> None:
    error = _error("[nope]\n")
    assert isinstance(error, ShelfError)
    assert error.exit_code == 2


def test_unknown_section() -> None:
    error = _error('[ui]\ntheme = "nord"\n\n[colours]\nbackground = "red"\n')
    _assert_names(error, 4, "[colours]")
    assert "unknown section" in str(error)


def test_unknown_key() -> None:
    error = _error('# settings\n[ui]\ntheme = "nord"\nthem = "typo"\n')
    _assert_names(error, 4, "ui.them")
    assert "unknown key" in str(error)


def test_unknown_key_is_found_in_its_own_section() -> None:
    """``limit`` is a known key of [search]; under [ui] it is unknown, at the [ui] line."""
    error = _error("[search]\nlimit = 5\n[ui]\nlimit = 5\n")
    _assert_names(error, 4, "ui.limit")


def test_string_where_an_integer_belongs() -> None:
    error = _error('[ui]\ntheme = "nord"\n\n[search]\nlimit = "10"\n')
    _assert_names(error, 5, "search.limit")
    assert "expected an integer" in str(error)
    assert "'10'" in str(error)


def test_bool_where_an_integer_belongs() -> None:
    error = _error("[search]\n# a comment\nlimit = true\n")
    _assert_names(error, 3, "search.limit")
    assert "expected an integer" in str(error)


def test_float_where_an_integer_belongs() -> None:
    _assert_names(_error("[search]\nlimit = 10.5\n"), 2, "search.limit")


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("[library]\npath = 5\n", 2, "library.path"),
        ("[ui]\ntheme = true\n", 2, "ui.theme"),
        ("\n[export]\ndirectory = ['a']\n", 3, "export.directory"),
    ],
)
def test_wrong_type_for_strings(text: str, line: int, key: str) -> None:
    error = _error(text)
    _assert_names(error, line, key)
    assert "expected a string" in str(error)


@pytest.mark.parametrize("value", ["0", "-5"])
def test_search_limit_below_one(value: str) -> None:
    error = _error(f'[ui]\ntheme = "nord"\n[search]\nlimit = {value}\n')
    _assert_names(error, 4, "search.limit")
    assert "at least 1" in str(error)


def test_errors_in_dotted_keys_name_their_line() -> None:
    _assert_names(_error("# top\nsearch.limit = 0\n"), 2, "search.limit")
    _assert_names(_error('\nsearch . "limt" = 3\n'), 2, "search.limt")


def test_errors_in_inline_tables_name_their_line() -> None:
    _assert_names(_error("\n\nsearch = { limit = 0 }\n"), 3, "search.limit")


def test_a_value_where_a_section_belongs() -> None:
    error = _error('\ntheme = "nord"\n')
    _assert_names(error, 2, "theme")
    assert "[table]" in str(error)


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('[ui]\n\ntheme = "nord\n', 3, "ui.theme"),
        ("[search]\nlimit = \n", 2, "search.limit"),
        ("[search]\nlimit = 5\nlimit = 6\n", 3, "search.limit"),
        ('[ui]\ntheme = "a" "b"\n', 2, "ui.theme"),
    ],
)
def test_invalid_toml(text: str, line: int, key: str) -> None:
    error = _error(text)
    _assert_names(error, line, key)
    assert "invalid TOML" in str(error)
    assert "column" not in str(error), "the position is given once, as file:line"


def test_invalid_toml_outside_any_key_still_names_file_and_line() -> None:
    error = _error('[ui]\ntheme = "nord"\n[search\n')
    assert error.line == 3
    assert str(error).startswith(f"{SOURCE}:3: invalid TOML")


@pytest.mark.parametrize("value", ['""', '"   "', "5", "true", '["a"]'])
def test_keymap_entries_must_be_non_empty_strings(value: str) -> None:
    error = _error(f'[keymap]\nset_read = "D"\nset_skipped = {value}\n')
    _assert_names(error, 3, "keymap.set_skipped")


def test_load_settings_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[search]\nlimit = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}:2: search.limit: ")


def test_load_settings_refuses_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "\xff\xfe"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)


def test_load_settings_on_a_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(tmp_path)


# -- sample_config.toml parity --------------------------------------------------------------


def _uncommented_keys(text: str) -> set[str]:
    """``section.key`` for every live (not commented out) assignment in ``text``."""
    found: set[str] = set()
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip()
            continue
        assignment = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
        if assignment:
            found.add(f"{section}.{assignment.group(1)}")
    return found


def test_sample_config_is_what_the_declarations_say() -> None:
    # Each setting is declared once, on its field; the sample is made from that.
    # To update the file, run in the project root:
    #   python -c "from shelf import config; print(config.sample_config(), end='')" \
    #     > sample_config.toml
    assert SAMPLE_CONFIG.read_text(encoding="utf-8") == config.sample_config()


def test_sample_config_holds_exactly_the_defaults() -> None:
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    assert parse_settings(text, str(SAMPLE_CONFIG)) == Settings()


def test_sample_config_documents_every_key_uncommented() -> None:
    live = _uncommented_keys(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    missing = [key for key in config.known_keys() if key not in live]
    assert missing == []
    assert live == set(config.known_keys()), "the sample sets a key the code does not know"


def test_sample_config_mentions_the_keymap_table() -> None:
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    assert re.search(r"^\[keymap\]$", text, re.MULTILINE)
    assert re.search(r"^#\s*set_read\s*=", text, re.MULTILINE), "an example binding, commented"
