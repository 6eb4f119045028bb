"""Command-line interface (Typer + Rich). Thin: parse, call one service function, render."""
