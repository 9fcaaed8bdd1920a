"""Arrow and Parquet output of a cohort: record batches, the visit and participant tables.

Columns are handed to Arrow as typed buffers (dates as ``date32`` days,
times as ``time32[s]``, instants as ``timestamp[s, UTC]``, coded columns as
dictionary arrays of their labels), never as Python objects.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from typing import TYPE_CHECKING, Any

from . import _inputs
from ._schema import CODED, arrow_schema

if TYPE_CHECKING:
    from ._cohort import Cohort

__all__ = ["parquet_options", "participant_table", "record_batch", "visit_table",
           "write_parquet"]

#: Integer columns that change little from row to row: delta-encoded in Parquet (smaller
#: and faster to write than dictionaries of their many values).
_DELTA = ("participant", "study_day", "date", "time", "course", "cycle", "cycle_day",
          "step")


def parquet_options(columns: list[str], compression: str) -> dict[str, Any]:
    """The ``pyarrow.parquet`` writer options of :meth:`Cohort.to_parquet`.

    Dictionary encoding for the coded columns (arm, period, drug, unit: a few labels),
    DELTA_BINARY_PACKED for the integer columns, plain for the rest; ``compression``
    as given. Measured on the MIROCALS arm: about 0.4 bytes per row with snappy.
    """
    return {
        "compression": compression,
        "use_dictionary": [c for c in columns if c in CODED],
        "column_encoding": {c: "DELTA_BINARY_PACKED" for c in columns if c in _DELTA},
    }

def _masked(pa: Any, values: Any, arrow_type: Any, mask: Any) -> Any:
    """An Arrow array over ``values``' own buffer, null where ``mask`` (no copy of values)."""
    np = _inputs.numpy()
    nulls = int(np.count_nonzero(mask))
    validity = None
    if nulls:
        validity = pa.py_buffer(np.packbits(~mask, bitorder="little"))
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(arrow_type, len(values), [validity, pa.py_buffer(values)],
                                 null_count=nulls)


def _dictionary(pa: Any, codes: Any, labels: tuple[str, ...]) -> Any:
    indices = _masked(pa, codes, pa.int16(), codes < 0)
    # The codes index ``labels`` by construction: Arrow's bounds check is skipped.
    return pa.DictionaryArray.from_arrays(indices, pa.array(labels, type=pa.string()),
                                          safe=False)


def _date32(pa: Any, days: Any) -> Any:
    days = days.astype("int32", copy=False)
    return pa.Array.from_buffers(pa.date32(), len(days), [None, pa.py_buffer(days)])


def record_batch(cohort: Cohort, names: list[str], data: dict[str, Any]) -> Any:
    """One ``pyarrow.RecordBatch`` from columns made with ``arrow=True``.

    With ``arrow=True`` the date is int32 days and the time int32 seconds (-1: none).
    """
    pa = _inputs.pyarrow()
    np = _inputs.numpy()
    schema = arrow_schema(names)
    arrays = []
    for name in names:
        values = data.pop(name)
        field = schema.field(name)
        if name == "date":
            array = _date32(pa, values)
        elif name == "time":
            array = _masked(pa, values, pa.time32("s"), values < 0)
        elif name == "at":
            array = _masked(pa, values.view("int64"), field.type, np.isnat(values))
        elif name in CODED:
            array = _dictionary(pa, values, cohort.categories[name])
        elif name in ("cycle", "cycle_day", "step"):
            array = _masked(pa, values, field.type, values < 0)
        elif name == "amount":
            array = _masked(pa, values, pa.float64(), np.isnan(values))
        else:
            array = pa.array(values, type=field.type)
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def visit_table(cohort: Cohort, chosen: Any) -> Any:
    """The visits of the chosen participants (a slice or increasing indices)."""
    pa = _inputs.pyarrow()
    np = _inputs.numpy()
    indices = np.arange(chosen.start, chosen.stop) if isinstance(chosen, slice) else chosen
    templates = cohort._templates
    groups = cohort._group_of[indices].tolist()
    sizes = np.array([len(t.visits["visit"]) for t in templates] or [0], dtype="int64")
    counts = sizes[cohort._group_of[indices]] if templates else np.zeros(0, dtype="int64")

    def joined(column: str, dtype: str) -> Any:
        parts = [templates[g].visits[column] for g in groups]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    arms = np.array([t.arm for t in templates] or [0], dtype="int16")
    day = joined("offset", "int64") + np.repeat(cohort._days[indices], counts)
    columns = {
        "participant": pa.array(np.repeat(indices.astype("int32"), counts), type=pa.int32()),
        "arm": _dictionary(pa, np.repeat(arms[cohort._group_of[indices]], counts)
                           if len(indices) else np.zeros(0, dtype="int16"),
                           cohort.categories["arm"]),
        "visit": _dictionary(pa, joined("visit", "int16"), cohort.categories["visit"]),
        "study_day": pa.array(joined("study_day", "int32"), type=pa.int32()),
        "date": _date32(pa, day),
        "earliest": _date32(pa, day - joined("before", "int64")),
        "latest": _date32(pa, day + joined("after", "int64")),
        "period": _dictionary(pa, joined("period", "int16"), cohort.categories["period"]),
    }
    return pa.table(columns)


def participant_table(cohort: Cohort) -> Any:
    """One row per participant: arm, start, zone, number of rows, expand's warnings."""
    pa = _inputs.pyarrow()
    np = _inputs.numpy()
    n = cohort.participants
    arms = np.array([t.arm for t in cohort._templates] or [0], dtype="int16")
    warned = cohort._flagged.warnings
    lengths = np.zeros(n + 1, dtype="int32")
    texts: list[str] = []
    for row in sorted(warned):
        lengths[row + 1] = len(warned[row])
        texts.extend(warned[row])
    offsets = np.cumsum(lengths, dtype="int32")
    warnings = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()),
                                        pa.array(texts, type=pa.string()))
    if cohort.zones is not None:
        zone = _dictionary(pa, cohort.zones[1].astype("int16"), cohort.zones[0])
    else:
        zone = pa.nulls(n, type=pa.dictionary(pa.int16(), pa.string()))
    return pa.table({
        "participant": pa.array(np.arange(n, dtype="int32"), type=pa.int32()),
        "arm": _dictionary(pa, arms[cohort._group_of] if n else np.zeros(0, dtype="int16"),
                           cohort.categories["arm"]),
        "start": _date32(pa, cohort._days),
        "tz": zone,
        "rows": pa.array(cohort._counts.astype("int64"), type=pa.int64()),
        "warnings": warnings,
    })


def _temporary(directory: str, base: str) -> tuple[int, str]:
    """A new file beside the target, created with the mode a new file gets (umask)."""
    while True:
        name = os.path.join(directory, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue


def write_parquet(cohort: Cohort, path: Any, *, rows: int, columns: list[str],
                  compression: str) -> None:
    """Stream the rows into a temporary Parquet file beside ``path``, then rename it."""
    import pyarrow.parquet as pq

    shown = os.fspath(path)
    if isinstance(shown, bytes):
        shown = os.fsdecode(shown)
    if not shown.strip():
        raise OSError(errno.EINVAL, "needs a file name", shown)
    target = os.path.realpath(shown)  # a symbolic link stays a link: its file is replaced
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OSError(errno.EISDIR, "is a directory; give a file name", shown)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file; to_parquet writes a file and "
                      "renames it into place", shown)
    batches = cohort.iter_batches(rows, columns)  # checks rows before any file is made
    directory, base = os.path.split(target)
    fd, tmp = _temporary(directory, base)
    try:
        with os.fdopen(fd, "wb") as handle:
            with pq.ParquetWriter(handle, arrow_schema(columns),
                                  **parquet_options(columns, compression)) as writer:
                for batch in batches:
                    writer.write_batch(batch)
            handle.flush()
            os.fsync(handle.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:
            raise OSError(exc.errno, exc.strerror, shown) from None
        raise
