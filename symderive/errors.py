"""One exception root for everything symderive reports to a user.

Every error carries the place it is about (file, line, column) so the CLI can
print a one-line ``file:line:column: message`` and exit with ``exit_code``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a piece of text came from: file name and 1-based line and column."""

    file: str = "<string>"
    line: int = 1
    column: int = 1

    def shifted(self, text: str, offset: int) -> "Origin":
        """The origin of character ``offset`` of ``text``, which starts at self."""
        before = text[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return Origin(self.file, self.line, self.column + offset)
        return Origin(self.file, self.line + newlines, offset - before.rfind("\n"))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class SymderiveError(Exception):
    """Root of all errors symderive reports; bad input or usage exits with 2."""

    exit_code = 2

    def __init__(self, message: str, origin: Origin | None = None):
        super().__init__(message)
        self.message = message
        self.origin = origin

    def __str__(self) -> str:
        if self.origin is None:
            return self.message
        return f"{self.origin}: {self.message}"


class LatexSyntaxError(SymderiveError):
    """LaTeX text that the front end cannot read."""


class DerivationFileError(SymderiveError):
    """A derivation file that is not valid TOML or breaks the schema."""


class UnknownRuleError(SymderiveError):
    """A step names a rule that is not in the registry."""


class CyclicDefinitionError(DerivationFileError):
    """Definitions that refer to each other in a cycle (a = b + 1, b = a x)."""
