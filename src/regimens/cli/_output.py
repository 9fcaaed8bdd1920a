"""Writing outputs: ``-o FILE`` atomically, devices and pipes as a shell redirect would.

A regular file is replaced by a temporary file renamed over it, keeping its mode
and owner, and the temporary file is removed if the process is interrupted
(SIGINT, SIGTERM, SIGHUP); a device, a pipe or standard output is written into.
The regimen file being read is never a target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["Signalled", "write_output"]


#: Signals that end the process: a temporary output file is removed before it ends.
_FATAL_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                       if hasattr(signal, name))


class Signalled(BaseException):
    """A fatal signal arrived while a temporary output file existed (see :func:`main`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _removed_if_interrupted(tmp: str) -> Iterator[None]:
    """Remove ``tmp`` if the block ends by an exception or a fatal signal.

    SIGINT already raises KeyboardInterrupt; SIGTERM and SIGHUP would end the process
    without unwinding, so for the duration of the block they raise :class:`Signalled`
    instead. A signal the caller ignores (``nohup``) stays ignored.
    """
    import threading  # (only when writing a file: not on the way to standard output)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        def interrupted(signum: int, _frame: object) -> None:
            raise Signalled(signum)

        for signum in _FATAL_SIGNALS:
            if signum != signal.SIGINT and signal.getsignal(signum) is signal.SIG_DFL:
                previous[signum] = signal.signal(signum, interrupted)
    try:
        yield
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_all(fd: int, data: bytes, name: str) -> None:
    """Write every byte of ``data`` to ``fd``; an error names the file (``name``)."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        raise
    except OSError as exc:
        # A full disk (ENOSPC) or a quota says which file it could not write.
        raise OSError(exc.errno, exc.strerror, name) from None


def _stdout_fd() -> int | None:
    """The file descriptor of standard output, or None when it is closed (``>&-``)."""
    if sys.stdout is None:
        return None
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without one
        return None


def _write_stdout(data: bytes) -> None:
    if sys.stdout is None:
        # Python sets sys.stdout to None when descriptor 1 was closed at start.
        raise OSError(errno.EBADF, "closed; write to a file with -o FILE", "standard output")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        # Nothing more can reach standard output: point it at the null device so that
        # the interpreter's final flush does not fail again with a traceback.
        fd = _stdout_fd()
        if fd is not None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        if isinstance(exc, BrokenPipeError):
            raise
        raise OSError(exc.errno, exc.strerror, "standard output") from None


def _same_inode(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _same_file(st: os.stat_result, source: str) -> bool:
    """Whether ``source`` (a REGIMEN argument; ``-`` is standard input) is the file ``st``.

    Compared by device and inode, so a symbolic or hard link to the file is the file.
    """
    try:
        other = os.fstat(sys.stdin.fileno()) if source == "-" else os.stat(source)
    except (AttributeError, OSError, ValueError):
        return False  # a catalogue id, or no standard input
    return _same_inode(st, other)


def write_output(text: str | bytes, target: str, *, inputs: Sequence[str] = ()) -> None:
    """Write UTF-8 text to ``target``: ``-`` is standard output.

    A regular file is replaced atomically (a temporary file beside it, renamed over it;
    nothing partial is left, even on SIGINT, SIGTERM or SIGHUP), keeping its mode and
    owner; a symbolic link stays a link. Anything else (a device, a named pipe,
    /dev/stdout) is written into, as a shell redirect would: never replaced. Refused,
    with the file named: a directory, a write-protected file, a file that cannot keep
    its owner, and one of ``inputs`` (the regimen being read, by inode, so also through
    a link). Errors are OSError with ``filename`` set to ``target``.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target == "-":
        _write_stdout(data)
        return
    if not target.strip():
        raise OSError(errno.EINVAL, "needs a file name (or - for standard output)", "-o")
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from None
    if st is not None:
        if any(_same_file(st, source) for source in inputs):
            raise OSError(errno.EINVAL, "this is the regimen file being read; write the "
                          "output to another file", target)
        if stat.S_ISDIR(st.st_mode):
            raise OSError(errno.EISDIR, "Is a directory", target)
        out = _stdout_fd()
        if out is not None and _same_inode(st, os.fstat(out)):
            _write_stdout(data)  # -o /dev/stdout, or the file standard output goes to
            return
        if not stat.S_ISREG(st.st_mode):
            _write_into(data, target)
            return
        _check_writable(st, target)
    _replace(data, target, st)


def _write_into(data: bytes, target: str) -> None:
    """Write into an existing device or named pipe, as ``> target`` would."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from None
    try:
        _write_all(fd, data, target)
    finally:
        os.close(fd)


def _check_writable(st: os.stat_result, target: str) -> None:
    """Refuse to replace a file its permissions protect from writing.

    Renaming over a file needs only the directory's permission, so the file's own is
    checked here. Root may write any file, but a file no one may write (``chmod a-w``)
    is taken as a request to keep it, for root too.
    """
    writable = (st.st_mode & 0o222 != 0) if os.geteuid() == 0 else os.access(target, os.W_OK)
    if not writable:
        raise OSError(errno.EACCES, f"Permission denied (mode {st.st_mode & 0o7777:04o}): the "
                      "file is write-protected; make it writable or write to another file",
                      target)


def _replace(data: bytes, target: str, st: os.stat_result | None) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``."""
    # Write where a symbolic link points, so the link stays a link.
    real = os.path.realpath(target)
    import tempfile  # only when writing a file (-o): not on the way to standard output

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp",
                                   dir=os.path.dirname(real))
    except OSError as exc:
        # Name the file asked for, not the temporary one beside it.
        raise OSError(exc.errno, exc.strerror, target) from None
    with _removed_if_interrupted(tmp):
        try:
            _write_all(fd, data, target)
            os.fsync(fd)
            if st is not None:
                if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(fd, st.st_uid, st.st_gid)
                    except PermissionError:
                        raise OSError(errno.EPERM, "belongs to another user or group, which "
                                      "a new copy could not keep; write it as its owner or "
                                      "to another file", target) from None
                # Rewriting keeps the file's permissions (a private calendar stays private);
                # after fchown, which clears the set-user-id and set-group-id bits.
                mode = st.st_mode & 0o7777
            else:
                # mkstemp creates the file 0600; give it the permissions open() would.
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        try:
            os.replace(tmp, real)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, target) from None
