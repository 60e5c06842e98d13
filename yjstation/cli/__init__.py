"""The command line: a thin Typer layer over the library, and the reporters that print its results."""
