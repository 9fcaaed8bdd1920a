"""The result of the batch API: :class:`Cohort`, which holds one template per group and
makes the rows from them on demand (NumPy arrays, Arrow record batches, Parquet), for all
participants or a chunk of them, at a cost proportional to the rows made."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from typing import Any

from ..errors import ExpandOptionError, ExpandOptionTypeError
from ..model import Regimen
from . import _inputs
from ._arrow import participant_table, record_batch, visit_table, write_parquet
from ._schema import COLUMNS
from ._templates import ROW_COLUMNS, Template
from ._warnings import Flagged
from ._zones import ZoneTable, place

__all__ = ["Cohort"]


#: (column, made for Arrow) -> the template column it is made from, when not its own name.
_SOURCES = {("date", False): "offset", ("date", True): "offset32", ("time", True): "time_s"}

#: Participants whose rows are joined at a time when their groups differ in size (about
#: 190,000 rows of the benchmarks' regimen: the dates' offsets, 1.5 MB, stay in cache).
_CHUNK = 256


def _seconds(time: Any, np: Any) -> Any:
    """Wall times (timedelta64[m], NaT: none) as int32 seconds after midnight, -1: none."""
    seconds = np.where(np.isnat(time), -1, time.view("int64") * 60)
    return seconds.astype("int32")


def _take(sequence: list[Any], indices: list[int]) -> list[Any]:
    """``[sequence[i] for i in indices]`` at C speed (operator.itemgetter)."""
    if len(indices) == 1:
        return [sequence[indices[0]]]
    return list(operator.itemgetter(*indices)(sequence))


class Cohort:
    """Administrations of one regimen for many participants (one or several arms), as columns.

    Rows are ordered by participant (input order), then as ``expand`` orders
    one participant's administrations. Nothing is held per row: rows are made
    when :meth:`to_numpy`, :meth:`to_arrow`, :meth:`iter_batches` or
    :meth:`to_parquet` asks for them, at a cost proportional to the rows made.
    """

    def __init__(self, regimen: Regimen, arms: tuple[str, ...], starts: Any, group_of: Any,
                 templates: list[Template], amounts: dict[int, tuple[Any, Any]],
                 categories: dict[str, tuple[str, ...]], drug_names: tuple[str, ...],
                 zones: tuple[tuple[str, ...], Any] | None, tables: tuple[ZoneTable, ...],
                 flagged: Flagged) -> None:
        np = _inputs.numpy()
        self.regimen = regimen
        #: The arm ids, in the regimen's order: ``categories["arm"]``.
        self.arms = arms
        #: The arm, when every participant has the same one (else None).
        self.arm = arms[0] if len(arms) == 1 else None
        #: Study Day 1 per participant (``datetime64[D]``).
        self.starts = starts
        self._days = starts.view("int64")
        self._group_of = group_of
        self._templates = templates
        self._amounts = amounts  # dose key -> (per-participant size index, amounts per size)
        #: Labels of the coded columns: ``categories["drug"][code]`` is a drug id.
        self.categories = categories
        #: Drug names, in the order of ``categories["drug"]``.
        self.drug_names = drug_names
        #: The time zones given (``tz=``), and each participant's code into them, or None.
        self.zones = zones
        self._zone_tables = tables
        self._flagged = flagged
        sizes = np.array([t.size for t in templates], dtype="int64")
        self._counts = sizes[group_of] if len(templates) else np.zeros(0, dtype="int64")
        self._first_row = np.concatenate(([0], np.cumsum(self._counts))).astype("int64")
        self._by_group = {name: [t.rows[name] for t in templates] for name in ROW_COLUMNS}
        self._by_group["offset32"] = [t.rows["offset"].astype("int32") for t in templates]
        self._by_group["time_s"] = [_seconds(t.rows["time"], np) for t in templates]
        self._days32 = self._days.astype("int32")
        self._any_scaled = any(t.scaled for t in templates)
        self._stacked: dict[int, dict[str, Any]] = {}  # template size -> _stacks

    @property
    def participants(self) -> int:
        """The number of participants (the length of ``starts``)."""
        return len(self.starts)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns made by default: all of :data:`COLUMNS`, ``at`` only with ``tz=``."""
        return tuple(c for c in COLUMNS if c != "at" or self.zones is not None)

    def __len__(self) -> int:
        return int(self._first_row[-1])

    def rows_of(self, participant: int) -> slice:
        """The rows of one participant in the materialised columns."""
        first = int(self._first_row[participant])
        return slice(first, first + int(self._counts[participant]))

    def warnings_of(self, participant: int) -> tuple[str, ...]:
        """The warnings ``expand`` issues for one participant (texts, in expand's order).

        A rounding that moves a dose or a body surface area by more than 10%, an
        implausible body-mass index, a time moved out of a daylight-saving gap.
        """
        if not 0 <= participant < self.participants:
            raise IndexError(participant)
        return self._flagged.warnings.get(participant, ())

    # Choosing what to make --------------------------------------------------------------

    def _names(self, columns: Sequence[str] | None) -> list[str]:
        if columns is not None and (isinstance(columns, str | bytes | Set | Mapping)
                                    or not isinstance(columns, Iterable)):
            # One text would be read a character at a time ('d', 'a', ...); a set has no
            # order to give the columns.
            raise ExpandOptionTypeError("columns", "column names, a list or tuple: "
                                        "['participant', 'date']", columns)
        names = list(self.columns) if columns is None else list(columns)
        unknown = [c for c in names if c not in COLUMNS]
        if unknown:
            raise ExpandOptionError("columns", f"unknown column; columns: {', '.join(COLUMNS)}",
                                    unknown[0])
        return names

    def _selected(self, participants: Any) -> Any:
        np = _inputs.numpy()
        if participants is None:
            return slice(0, self.participants)
        if isinstance(participants, slice):
            start, stop, step = participants.indices(self.participants)
            if step == 1:
                return slice(start, max(start, stop))
            if step > 0:
                return np.arange(start, stop, step)
            raise ExpandOptionError("participants", "give a slice or increasing indices")
        try:
            selected = np.arange(self.participants)[participants]
        except (IndexError, TypeError, ValueError):  # out of range, not an index
            selected = None
        if selected is None or selected.ndim != 1 or (np.diff(selected) <= 0).any():
            raise ExpandOptionError("participants", "give a slice or increasing indices")
        return selected

    # Making rows --------------------------------------------------------------------------

    def _make(self, names: list[str], chosen: Any, *, arrow: bool = False,
              zoned: bool = True) -> dict[str, Any]:
        """The rows of the ``chosen`` participants (a slice or increasing indices).

        Costs O(participants chosen + rows made): nothing is computed for anyone else.
        With ``arrow``, ``date`` is int32 days since 1970 (Arrow's date32) instead
        of ``datetime64[D]``, and ``time`` int32 seconds after midnight (-1: none).
        """
        np = _inputs.numpy()
        indices = np.arange(chosen.start, chosen.stop) if isinstance(chosen, slice) else chosen
        groups = self._group_of[chosen]
        counts = self._counts[chosen]
        total = int(counts.sum())
        out: dict[str, Any] = {}
        if not total:
            for name in names:
                out[name] = np.empty(0, dtype="int32" if arrow and name == "date"
                                     else COLUMNS[name])
            return out
        single = bool(groups.min() == groups.max())
        if single:
            # One group: its rows are all the rows, participant after participant.
            tpl = self._templates[int(groups[0])]
            shape = (len(indices), tpl.size)
            for name in names:
                out[name] = self._broadcast(name, shape, indices, tpl, arrow, np)
        elif counts.min() == counts.max():
            # Several groups whose templates have as many rows (weekday patterns over
            # whole weeks): the rows are a (participants x rows) block, each participant's
            # line copied from its template's, at the cost per row of one group.
            size = int(counts[0])
            stacks = self._stacks(size, np)
            local = stacks["local"][groups]
            for name in names:
                out[name] = self._gathered(name, (len(indices), size), indices, groups,
                                           local, stacks, arrow, np)
        else:
            out.update(self._joined(names, groups.tolist(), indices, counts, total, arrow, np))
            for name in names:
                if name not in out:
                    out[name] = self._concatenated(name, indices, counts, total, np)
            out = {name: out[name] for name in names}
        if "amount" in out and self._any_scaled:
            self._scale(out["amount"], indices, groups, counts, np)
        if zoned and self.zones is not None and ("time" in out or "at" in out):
            place(self, out, indices, counts, np)
        return out

    def _broadcast(self, name: str, shape: tuple[int, int], indices: Any, tpl: Template,
                   arrow: bool, np: Any) -> Any:
        if name == "participant":
            block = np.empty(shape, dtype="int32")
            block[...] = indices[:, None]
        elif name == "arm":
            block = np.full(shape, tpl.arm, dtype="int16")
        elif name == "date":
            block = np.empty(shape, dtype="int32" if arrow else "int64")
            np.add(self._days[indices][:, None], tpl.rows["offset"][None, :], out=block,
                   casting="unsafe")
            if not arrow:
                block = block.view("datetime64[D]")
        elif name == "at":
            block = np.empty(shape, dtype="datetime64[s]")
            block[...] = np.datetime64("NaT")
        elif arrow and name == "time":
            block = np.empty(shape, dtype="int32")
            block[...] = self._by_group["time_s"][int(self._group_of[indices[0]])][None, :]
        else:
            block = np.empty(shape, dtype=COLUMNS[name])
            block[...] = tpl.rows[name][None, :]
        return block.reshape(-1)

    def _stacks(self, size: int, np: Any) -> dict[str, Any]:
        """The columns of the templates with ``size`` rows, each a (templates x rows) array,
        and ``local``: each group's line in them (-1: another size). Made once per size."""
        found = self._stacked.get(size)
        if found is None:
            members = [g for g, t in enumerate(self._templates) if t.size == size]
            local = np.full(len(self._templates), -1, dtype="int64")
            local[members] = np.arange(len(members))
            found = {name: np.stack([column[g] for g in members])
                     for name, column in self._by_group.items()}
            found["local"] = local
            found["arm"] = np.array([self._templates[g].arm for g in members], dtype="int16")
            self._stacked[size] = found
        return found

    def _gathered(self, name: str, shape: tuple[int, int], indices: Any, groups: Any,
                  local: Any, stacks: dict[str, Any], arrow: bool, np: Any) -> Any:
        """One column of participants from several templates with ``shape[1]`` rows each:
        each participant's line is its template's (``np.take`` of whole lines, no index
        per row), as :meth:`_broadcast` does for one template."""
        if name in ("participant", "at"):
            return self._broadcast(name, shape, indices, self._templates[int(groups[0])],
                                   arrow, np)
        if name == "arm":
            block = np.empty(shape, dtype="int16")
            block[...] = stacks["arm"][local][:, None]
            return block.reshape(-1)
        source = _SOURCES.get((name, arrow), name)
        lines = stacks[source]
        block = np.empty(shape, dtype=lines.dtype)
        # mode="clip": the lines are in range by construction, and "raise" would buffer.
        np.take(lines, local, axis=0, out=block, mode="clip")
        if name == "date":
            block += (self._days32 if arrow else self._days)[indices][:, None]
            if not arrow:
                block = block.view("datetime64[D]")
        return block.reshape(-1)

    def _joined(self, names: list[str], order: list[int], indices: Any, counts: Any,
                total: int, arrow: bool, np: Any) -> dict[str, Any]:
        """The template columns among ``names``, each template's rows in participant order.

        Columns of one item size are joined together, as unsigned integers of that size
        (their bytes unchanged): each template's columns are stacked into one 2-D array,
        and one ``concatenate`` along the rows places them all, so its cost per
        participant (a few hundred ns a piece) is paid once per item size (four: 8, 4,
        2 and 1 bytes), not once per column or dtype. Each column is then a contiguous
        row of the result, viewed as its dtype. The item size that holds ``date`` (its
        offsets from Day 1) is joined :data:`_CHUNK` participants at a time, and each
        participant's Day 1 added to its rows while they are in cache, in the offsets'
        own dtype (int64; int32 for Arrow): one pass over the dates, where adding
        afterwards read them back from memory with a day per row beside.
        """
        sources = {name: _SOURCES.get((name, arrow), name) for name in names
                   if name not in ("participant", "arm", "at")}
        dtypes = {name: self._by_group[source][0].dtype for name, source in sources.items()}
        families: dict[int, list[str]] = {}
        for name in sources:
            families.setdefault(dtypes[name].itemsize, []).append(name)
        out: dict[str, Any] = {}
        for size, members in families.items():
            raw = f"u{size}"
            stacks = [np.stack([self._by_group[sources[m]][g].view(raw) for m in members])
                      for g in range(len(self._templates))]
            if "date" in members:
                joined = self._dated(stacks, members.index("date"), order, indices, counts,
                                     total, arrow, np)
            else:
                joined = np.concatenate(_take(stacks, order), axis=1)
            for k, name in enumerate(members):
                out[name] = joined[k].view(dtypes[name])
        if "date" in out and not arrow:
            out["date"] = out["date"].view("datetime64[D]")
        return out

    def _dated(self, stacks: list[Any], row: int, order: list[int], indices: Any,
               counts: Any, total: int, arrow: bool, np: Any) -> Any:
        """:meth:`_joined`'s join of the item size holding the dates' offsets (line
        ``row``), with each participant's Day 1 added to them."""
        days = self._days32 if arrow else self._days  # the offsets' dtype: int32, int64
        joined = np.empty((len(stacks[0]), total), dtype=stacks[0].dtype)
        ends = np.cumsum(counts)  # the row after each chosen participant's last
        for low in range(0, len(order), _CHUNK):
            high = min(low + _CHUNK, len(order))
            first, last = int(ends[low - 1]) if low else 0, int(ends[high - 1])
            np.concatenate(_take(stacks, order[low:high]), axis=1, out=joined[:, first:last])
            dates = joined[row, first:last].view(days.dtype)
            np.add(dates, np.repeat(days[indices[low:high]], counts[low:high]), out=dates)
        return joined

    def _concatenated(self, name: str, indices: Any, counts: Any, total: int,
                      np: Any) -> Any:
        if name == "participant":
            return np.repeat(indices.astype("int32"), counts)
        if name == "arm":
            arms = np.array([t.arm for t in self._templates], dtype="int16")
            return np.repeat(arms[self._group_of[indices]], counts)
        assert name == "at", name
        return np.full(total, np.datetime64("NaT"), dtype="datetime64[s]")

    def _scale(self, amount: Any, indices: Any, groups: Any, counts: Any, np: Any) -> None:
        """Fill in per-kg and per-m2 amounts, per group of the chosen participants."""
        first = np.cumsum(counts) - counts  # each participant's first row in ``amount``
        order = np.argsort(groups, kind="stable")
        sorted_groups = groups[order]
        bounds = np.flatnonzero(np.diff(sorted_groups)) + 1
        for members in np.split(order, bounds):
            tpl = self._templates[int(groups[members[0]])]
            for key, columns in tpl.scaled:
                index, table = self._amounts[key]
                values = table[index[indices[members]]]
                rows = first[members][:, None] + columns[None, :]
                amount[rows] = values[:, None]

    # Outputs ------------------------------------------------------------------------------

    def to_numpy(self, columns: Sequence[str] | None = None, *,
                 participants: Any = None) -> dict[str, Any]:
        """The columns (:attr:`columns` by default) as NumPy arrays.

        ``participants`` (a slice, or increasing participant indices) makes only
        their rows, at a cost proportional to their rows, e.g. to process a large
        cohort in chunks; the ``participant`` column keeps the original indices.

        Raises:
            ExpandOptionError: an unknown column name (``option == "columns"``), or
                ``participants`` that are not a slice or increasing indices of
                participants (``option == "participants"``). It is also a
                ``ValueError``.
        """
        return self._make(self._names(columns), self._selected(participants))

    def to_arrow(self, columns: Sequence[str] | None = None, *, participants: Any = None) -> Any:
        """A ``pyarrow.Table`` with an explicit schema (see :func:`arrow_schema`).

        Coded columns become dictionary arrays of their labels, dates
        ``date32``, times ``time32[s]``, instants ``timestamp[s, UTC]``, and
        "none" values nulls.
        """
        pa = _inputs.pyarrow()
        names = self._names(columns)
        batch = record_batch(self, names, self._make(names, self._selected(participants),
                                                     arrow=True))
        return pa.Table.from_batches([batch])

    def iter_batches(self, rows: int = 1 << 20, columns: Sequence[str] | None = None, *,
                     participants: Any = None) -> Iterator[Any]:
        """The rows as ``pyarrow.RecordBatch``es of at most ``rows`` rows, in order.

        A batch holds whole participants, as many as fit in ``rows`` rows; a
        participant with more than ``rows`` rows alone is split over several
        batches. Each batch costs time and memory in proportion to its own rows,
        never to the cohort's: a cohort larger than memory streams in bounded
        memory. The schema is :func:`arrow_schema` of the columns.

        Raises:
            ExpandOptionError: ``rows`` is not a whole number from 1 to 2**31 - 1
                (``option == "rows"``), or as :meth:`to_numpy`.
        """
        np = _inputs.numpy()
        if not isinstance(rows, int) or isinstance(rows, bool) or not 1 <= rows < 1 << 31:
            raise ExpandOptionError("rows", "a whole number of rows from 1 to 2147483647", rows)
        names = self._names(columns)
        chosen = self._selected(participants)
        if isinstance(chosen, slice):
            return self._batches_of_range(names, chosen.start, chosen.stop, rows, np)
        return self._batches_of_indices(names, chosen, rows, np)

    def _batches_of_range(self, names: list[str], start: int, stop: int, rows: int,
                          np: Any) -> Iterator[Any]:
        first = self._first_row
        while start < stop:
            # The participants whose rows end within ``rows`` rows of this one's first row
            # (binary search: O(log n), not a scan of the cohort).
            end = int(np.searchsorted(first, first[start] + rows, side="right")) - 1
            end = min(max(end, start + 1), stop)
            data = self._make(names, slice(start, end), arrow=True)
            yield from _sliced(record_batch(self, names, data), rows)
            start = end

    def _batches_of_indices(self, names: list[str], chosen: Any, rows: int,
                            np: Any) -> Iterator[Any]:
        ends = np.cumsum(self._counts[chosen])
        start = 0
        while start < len(chosen):
            base = ends[start - 1] if start else 0
            end = int(np.searchsorted(ends, base + rows, side="right"))
            end = min(max(end, start + 1), len(chosen))
            data = self._make(names, chosen[start:end], arrow=True)
            yield from _sliced(record_batch(self, names, data), rows)
            start = end

    def to_parquet(self, path: str | Any, *, rows: int = 1 << 20,
                   columns: Sequence[str] | None = None, compression: str = "snappy") -> None:
        """Write the rows to a Parquet file, streaming: memory stays bounded by ``rows``.

        Batches of :meth:`iter_batches` (at most ``rows`` rows) are written as
        row groups, with the schema :func:`arrow_schema` (coded columns
        dictionary-encoded, integer columns delta-encoded; ``compression`` is
        any codec pyarrow offers: snappy, zstd, gzip, none), to a temporary file
        beside ``path``, which is renamed over ``path`` only once complete: a
        file already there is replaced whole or not at all, and nothing
        partial is left if writing fails or is interrupted.

        Raises:
            OSError: ``path`` is a directory or not a regular file, or cannot be
                written (``filename`` is ``path``).
            ExpandOptionError: as :meth:`iter_batches`.
        """
        write_parquet(self, path, rows=rows, columns=self._names(columns),
                      compression=compression)

    def visits(self, *, participants: Any = None) -> Any:
        """Each participant's visits as a ``pyarrow.Table``, one row per visit.

        Columns: ``participant`` (int32), ``arm`` and ``visit`` (dictionary of
        ids), ``study_day`` (int32), ``date``, ``earliest`` and ``latest`` (the
        window, inclusive; date32), ``period`` (the period the target day falls
        in; dictionary, null when none). Rows are ordered by participant, then
        as ``expand`` orders visits.
        """
        return visit_table(self, self._selected(participants))

    def participant_table(self) -> Any:
        """One row per participant, as a ``pyarrow.Table``.

        Columns: ``participant`` (int32), ``arm`` (dictionary), ``start``
        (date32), ``tz`` (dictionary, null without ``tz=``), ``rows`` (int64:
        the number of administrations), ``warnings`` (list of strings: what
        ``expand`` warns about for this participant, in its order).
        """
        return participant_table(self)


def _sliced(batch: Any, rows: int) -> Iterator[Any]:
    """``batch`` cut into slices of at most ``rows`` rows (zero-copy)."""
    if batch.num_rows <= rows:
        yield batch
        return
    for offset in range(0, batch.num_rows, rows):
        yield batch.slice(offset, rows)
