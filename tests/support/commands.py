"""Running the installed ``shelf`` command as a user does: a real process, a real library.

``run`` starts the console script pip installed next to this Python (never an
in-process runner), with the test's isolated home (the environment the autouse
fixture set up) and returns what it printed. Every run is checked for the one
promise that holds everywhere: no traceback, ever. ``in_terminal`` runs it on a
pseudo-terminal, for the app, and types keys into it.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


def shelf_path() -> str:
    """The installed ``shelf`` console script."""
    found = shutil.which("shelf", path=str(BIN))
    if found is None:
        raise AssertionError("the shelf command is not installed: pip install -e '.[test]'")
    return found


@dataclass(frozen=True)
class Ran:
    """What one ``shelf`` process did."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def ok(self) -> Ran:
        """Assert the command succeeded; returns itself."""
        assert self.code == 0, f"shelf {' '.join(self.args)} exited {self.code}:\n{self.err}"
        return self

    def error(self, code: int | None = None) -> str:
        """Assert the command failed as a user error: one ``shelf:`` line, nothing on stdout."""
        assert self.code != 0, f"shelf {' '.join(self.args)} succeeded:\n{self.out}"
        if code is not None:
            assert self.code == code, (self.code, self.err)
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("shelf: "), self.err
        assert self.out == "", self.out
        return lines[0]

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run(
    *args: str,
    library: Path | None = None,
    config: Path | None = None,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300,
) -> Ran:
    """``shelf [--library L] [--config C] ARGS`` as a process; checks for tracebacks."""
    command = [shelf_path()]
    if library is not None:
        command += ["--library", str(library)]
    if config is not None:
        command += ["--config", str(config)]
    command += list(args)
    environment = {**os.environ, **(env or {})}
    raw = subprocess.run(
        command,
        input=input.encode("utf-8") if isinstance(input, str) else input,
        capture_output=True,
        env=environment,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    out = raw.stdout.decode("utf-8", errors="replace")
    err = raw.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in out + err, err
    return Ran(tuple(args), raw.returncode, out, err)


@dataclass
class Terminal:
    """A ``shelf`` process on a pseudo-terminal: keys go in, the screen's bytes come out."""

    pid: int
    fd: int
    seen: bytearray

    def read(self, timeout: float = 0.2) -> bytes:
        """What the app drew since the last read (waiting up to ``timeout`` for some)."""
        got = bytearray()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(0.0, left))
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        self.seen += got
        return bytes(got)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read until ``text`` has been drawn (as plain text, spaces allowed to be moves)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the app drew:\n{_plain(self.seen)}")
            self.read()

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode("utf-8"))

    def wait(self, timeout: float = 30) -> int:
        """The exit status, once the app has ended (draining what it drew meanwhile)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            self.read(0.05)
        self.kill()
        raise AssertionError(f"the app did not exit; it drew:\n{_plain(self.seen)}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def in_terminal(
    args: Sequence[str], columns: int = 120, rows: int = 40, env: dict[str, str] | None = None
) -> Terminal:
    """Start ``shelf ARGS`` on a new pseudo-terminal of the given size."""
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns),
                   "LINES": str(rows), **(env or {})}  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:  # the child: become shelf
        try:
            import fcntl
            import struct
            import termios

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(shelf_path(), [shelf_path(), *args], environment)
        finally:
            os._exit(127)
    return Terminal(pid, fd, bytearray())


def _plain(screen: bytes) -> str:
    import re

    text = screen.decode("utf-8", errors="replace")
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]P^_].*?(\x07|\x1b\\)|\x1b.", "", text)[-3000:]
