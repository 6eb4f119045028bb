"""Entry point of the ``threadline`` command: one clear line and exit code 2 for user errors."""

from __future__ import annotations

import sys

import typer

# Typer vendors its own copy of Click; its exceptions live there (version pinned).
from typer._click import exceptions as cli_exc

from threadline.exc import ThreadlineError


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exits with the process exit code."""
    from threadline.cli.app import app

    try:
        result = app(args=argv, standalone_mode=False, prog_name="threadline")
    except cli_exc.NoArgsIsHelpError as exc:
        exc.show()
        raise SystemExit(2) from None
    except cli_exc.UsageError as exc:
        hint = f" (try '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        _fail(f"{exc.format_message()}{hint}")
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("threadline: interrupted\n")
        raise SystemExit(130) from None
    except cli_exc.ClickException as exc:
        _fail(exc.format_message())
    except ThreadlineError as exc:
        _fail(str(exc))
    raise SystemExit(result if isinstance(result, int) else 0)


def _fail(message: str) -> None:
    sys.stderr.write(f"threadline: error: {message}\n")
    raise SystemExit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
