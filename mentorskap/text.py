"""Text that must stay on one line: e-mail and calendar headers, the log."""


def one_line(value: object) -> str:
    """Text for a single-line field: control characters (CR, LF, tab, …)
    become spaces and runs of white space one space, so a line break in a
    name or a place can never start a header of its own."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())


def log_safe(value: object) -> str:
    """A value as one line of the log: a line break or other control
    character in a URL or a typed address is written escaped (\\n), so
    nobody can add a line of their own to the security log, and what was
    typed can still be read."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in str(value))
