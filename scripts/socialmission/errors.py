"""Errors that end the CLI cleanly: a message and an exit code, never a traceback."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command cannot run as asked (bad arguments, a missing registry file)."""

    exit_code = EXIT_USAGE
