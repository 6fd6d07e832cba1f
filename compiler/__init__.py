"""rightguide: compile a human rights impact assessment guide into field forms, workbooks and
printable forms, and score what comes back."""

__version__ = "0.1.0"
