"""The command line: a thin Typer layer over the library, and the reporters that print its results.

Each command module parses its options, calls one library function and hands the result to a reporter;
no repository parsing or business logic lives here. The only layer that imports Typer and Rich, and the
only one that asks the clock ("today" is passed down as `as_of`).

May import: everything in yjstation.
"""
