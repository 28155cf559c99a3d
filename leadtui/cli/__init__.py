"""Command line: opens the TUI, runs admin commands, and turns every user error into one line.

Exit codes: 0 success, 1 the app failed (or `db check` found problems), 2 bad input or a
start-up problem (unknown user, unusable database), 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from leadtui.cli import (
    german,
    importing,  # noqa: F401 - registers import
    ingest,  # noqa: F401 - registers ingest
    partner_numbers,  # noqa: F401 - registers partner stats
    team,  # noqa: F401 - registers serve, login, logout, colleague invite
    transfer,  # noqa: F401 - registers export
)
from leadtui.cli.commands import cli
from leadtui.cli.database import UserError, say
from leadtui.domain import LeadtuiError

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    german.install()
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="leadtui", standalone_mode=False)
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
    except click.UsageError as error:
        hint = f"{error.ctx.command_path} --help" if error.ctx else "leadtui --help"
        say(f"{error.format_message()} (Hilfe: {hint})")
        return EXIT_USAGE
    except (click.Abort, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    except (UserError, LeadtuiError) as error:
        say(str(error))
        return EXIT_USAGE
    return result if isinstance(result, int) else 0


__all__ = ["main"]


if __name__ == "__main__":
    sys.exit(main())
