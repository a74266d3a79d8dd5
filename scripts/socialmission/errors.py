"""Errors that end the CLI cleanly: a message and an exit code, never a traceback."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


class UsageError(Exception):
    """The command cannot run as asked (bad arguments, a missing registry file)."""

    exit_code = EXIT_USAGE


class Refused(UsageError):
    """The command ran as asked, but the pledge as it stands refuses it (one that is not
    withdrawn signed again, say): the message says why and what to run instead, and
    nothing was written."""

    exit_code = EXIT_PROBLEMS


class BuildError(UsageError):
    """The site was not built from these inputs (pledges with problems, a failed engine,
    a page it did not write): the previous output stays."""

    exit_code = EXIT_PROBLEMS


class Interrupted(KeyboardInterrupt):
    """A Ctrl-C during a build; its message says what the output holds."""
