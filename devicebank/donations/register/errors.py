"""The one error the register reader raises: the whole file cannot be used."""

from __future__ import annotations

from devicebank.core.errors import DomainError


class RegisterFileError(DomainError):
    """The file as a whole cannot be imported (wrong type, empty, too big, unreadable, unusable headers).

    The message is written for the person who uploaded the file: it says what is wrong and what to do.
    Problems with single rows never raise; they become row errors (see `parse_rows`).
    """

    code = "register_file"
