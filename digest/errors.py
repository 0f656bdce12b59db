"""The project's own errors; every message is one line that says what to do.

Library code raises these and never prints or exits; the CLI turns them into a
one-line message and a non-zero exit code.
"""

from __future__ import annotations


class DigestError(Exception):
    """Base of every error the tool reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, stage: str | None = None):
        self.message = message
        self.path = path
        self.stage = stage
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        stage = f"[{self.stage}] " if self.stage else ""
        return f"{stage}{where}{self.message}"


class InputError(DigestError):
    """An input file, folder, feed or URL could not be used."""

    exit_code = 2


class ConfigError(DigestError):
    """digest.toml or a command-line option is wrong."""

    exit_code = 2


class NoArticlesError(InputError):
    """Nothing usable was found in the inputs."""


class StageError(DigestError):
    """A pipeline stage failed on input it should have handled (a bug, reported as such)."""

    exit_code = 3


class OutputError(DigestError):
    """The briefing could not be written or delivered."""

    exit_code = 4


class DeliveryError(OutputError):
    """The briefing was written, but e-mailing it failed (after its retries)."""

    exit_code = 5


# Exit codes of the ``digest`` command (README and ``digest --help`` list them).
EXIT_CODES: dict[int, str] = {
    0: "success (also: nothing new to brief)",
    1: "an unexpected error (a bug: please report it)",
    2: "bad input, config or command-line option",
    3: "a pipeline stage failed on input it should handle (a bug, naming the stage)",
    4: "the briefing could not be written, or another run holds the lock",
    5: "the briefing was written but e-mailing it failed",
    130: "interrupted (Ctrl-C)",
}
