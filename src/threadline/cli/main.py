"""Entry point of the ``threadline`` command: one clear line and exit code 2 for user errors."""

from __future__ import annotations

import functools
import sys
import typing
from collections.abc import Iterator

import typer

# Typer vendors its own copy of Click; its exceptions live there (version pinned).
from typer._click import exceptions as cli_exc
from typer._click.core import Command

from threadline.exc import ThreadlineError

# What the store keeps as an integer (SQLite and PostgreSQL BIGINT): every integer option
# is refused beyond it, at the command line, not deep inside a query or a serialiser.
INT_RANGE = (-(2**63), 2**63 - 1)


@functools.cache
def command() -> Command:
    """The Click command tree of the ``threadline`` app, built once per process (Typer
    would build it again on every call), with every integer option bounded to what the
    store keeps."""
    from threadline.cli.app import app

    root = typer.main.get_command(app)
    for node in _walk(root):
        for param in node.params:
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or int not in _types(descriptor.annotation):
                continue
            # Typer checks the range its parameter info holds (help shows only the
            # command's own bounds, which the parameter keeps)
            info = descriptor.parameter_info
            if info.min is None:
                info.min = INT_RANGE[0]
            if info.max is None:
                info.max = INT_RANGE[1]
    return root


def _types(annotation: object) -> tuple[object, ...]:
    """``int`` for ``int``, and the members of ``int | None``."""
    return typing.get_args(annotation) or (annotation,)


def _walk(node: Command) -> Iterator[Command]:
    yield node
    for child in getattr(node, "commands", {}).values():
        yield from _walk(child)


def hoisted(argv: list[str]) -> list[str]:
    """``argv`` with the global options (``--db``, ``--user``, and ``--purpose`` and
    ``--reference`` where the command has none of its own) moved before the command, so
    ``threadline collections list --db x.db`` works as ``threadline --db x.db collections
    list`` does."""
    root = command()
    globals_ = {opt for param in root.params for opt in getattr(param, "opts", ())}
    globals_ -= {"--version", "--help"}
    node, position = root, 0
    while position < len(argv):  # the global options already in front, then the command path
        token = argv[position]
        children = getattr(node, "commands", None)
        if token.split("=", 1)[0] in globals_ and node is root:
            position += 1 if "=" in token else 2
        elif children and token in children:
            node, position = children[token], position + 1
        else:
            break
    own = {opt for param in node.params for opt in getattr(param, "opts", ())}
    moved: list[str] = []
    rest: list[str] = []
    tail = argv[position:]
    index = 0
    while index < len(tail):
        word = tail[index]
        if word == "--":
            rest.extend(tail[index:])
            break
        name = word.split("=", 1)[0]
        if name in globals_ and name not in own:
            width = 1 if "=" in word else 2
            moved.extend(tail[index : index + width])
            index += width
            continue
        rest.append(word)
        index += 1
    return moved + argv[:position] + rest


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exits with the process exit code."""
    args = hoisted(sys.argv[1:] if argv is None else list(argv))
    try:
        result = command().main(args=args, standalone_mode=False, prog_name="threadline")
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
    except OSError as exc:
        if exc.filename is None:
            raise
        # a path the user named that cannot be read or written: one line, never a traceback
        _fail(f"{exc.filename}: {exc.strerror or exc}")
    raise SystemExit(result if isinstance(result, int) else 0)


# Control characters a user typed (a newline inside a file name) are shown escaped, so the
# reason stays one line whatever it quotes.
_ESCAPES = {code: repr(chr(code))[1:-1] for code in [*range(0x20), 0x7F]}


def _fail(message: str) -> None:
    sys.stderr.write(f"threadline: error: {message.translate(_ESCAPES)}\n")
    raise SystemExit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
