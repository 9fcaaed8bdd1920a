"""Reading a CalDAV password from a file (``--password-file``), never echoing it.

Errors never quote the file's bytes or its name: given by mistake, either may be
the password itself.
"""

from __future__ import annotations

from ..errors import ExpandOptionError

__all__ = ["read_password"]

#: The longest password file read (bytes): a password is a line, never a document.
_PASSWORD_LIMIT = 4096


def read_password(path: str) -> str:
    """The password in ``path``, without one trailing line break."""
    try:
        with open(path, "rb") as handle:
            # Bounded: a device (/dev/zero) or a huge file given by mistake would
            # otherwise be read until memory runs out.
            data = handle.read(_PASSWORD_LIMIT + 1)
        if len(data) > _PASSWORD_LIMIT:
            raise ExpandOptionError("password", "the password file is longer than "
                                    f"{_PASSWORD_LIMIT:,} bytes: give a file that holds only "
                                    "the password")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Never quote the bytes: they are the password.
        raise ExpandOptionError("password", "the password file is not UTF-8 text") from None
    except OSError as exc:
        # Nor the file's name: given by mistake, the password itself may be in its place.
        raise ExpandOptionError("password", "cannot read the password file (its name is not "
                                f"shown, in case it is the password): {exc.strerror}") from None
    if text.endswith("\n"):
        text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
    return text
