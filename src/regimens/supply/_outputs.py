"""The forecast's tables as text (a table for people, CSV) or Parquet, and the plot.

Long form, no total rows: every row is one drug (or the site's visits, ``drug``
empty), site, period and statistic. Amounts are exact decimals (CSV and the table
write their digits; Parquet keeps ``decimal128``); dates are ISO dates; an empty
cell is a value that does not apply (no vials for a drug without vial sizes).

How percentiles are taken is stated in every output that has them: the table's last
line, the Parquet file's metadata, and, in CSV (where a comment line would break
readers), a trailing constant column ``quantile_method`` (``inverted_cdf``) after the
issue's columns, in the tables with a ``statistic`` column (demand, shipments).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..export import grid
from ..quantities import plain
from ._deps import numpy, pyarrow, pyplot
from ._reduce import QUANTILE_METHOD_NAME

__all__ = ["plot", "render"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _note(forecast: Any) -> str:
    return (f"Percentiles over {forecast.simulations:,} simulation"
            f"{'s' if forecast.simulations != 1 else ''} (seed {forecast.seed}), "
            f"cell by cell: {forecast.quantile_method}.")


def _blinding(forecast: Any) -> list[str]:
    """The table's line on what blinding leaves out, if any drug is blinded."""
    blinded = getattr(forecast, "blinded", ())
    if not blinded:
        return []
    return [f"Blinded: {', '.join(blinded)} counted with matching placebo, with no amount "
            "or unit (the active amount would unblind); --unblinded (unblinded=True) keeps "
            "them apart, with amounts."]


def _empty(table: Any, forecast: Any) -> str:
    """What an empty table says: shipments are empty with demand when no drug is packed
    (no vial sizes, no kit), which is not the same as no demand."""
    summary = forecast.summary
    if table is not forecast.shipments or summary.num_rows == 0:
        return "(no demand)"
    packed = any(summary.column(name).null_count < summary.num_rows
                 for name in ("vials", "kits"))
    if not packed:
        return ("(nothing to ship: there is demand, but no drug has vial sizes or a kit; "
                "give them in the plan, drugs.ID.vials or drugs.ID.kit)")
    return "(nothing to ship: the service level's quantile of every pack is 0)"


def render(table: Any, fmt: str, forecast: Any) -> str | bytes:
    """``table`` (one of the forecast's) as ``fmt``: ``"table"``, ``"csv"`` or ``"parquet"``."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pa = pyarrow()
        sink = io.BytesIO()
        metadata = dict(table.schema.metadata or {})
        metadata[b"regimens.quantile_method"] = forecast.quantile_method.encode()
        pq.write_table(table.replace_schema_metadata(metadata), sink)
        del pa
        return sink.getvalue()
    names = table.column_names
    rows = [[_cell(v) for v in row.values()] for row in table.to_pylist()]
    if fmt == "csv":
        if "statistic" in names:
            # The method as a constant last column: a CSV has no metadata, and a comment
            # line would break its readers; the columns before it are unchanged.
            names = [*names, "quantile_method"]
            rows = [[*row, QUANTILE_METHOD_NAME] for row in rows]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return out.getvalue()
    numeric = {"administrations", "amount", "vials", "kits", "visits", "quantity",
               "simulation"}
    right = {i for i, name in enumerate(names) if name in numeric}
    lines = grid(names, rows, right) if rows else [_empty(table, forecast)]
    return "\n".join([*lines, "", _note(forecast), *_blinding(forecast)]) + "\n"


def _periods(first: date, last: date, period: str) -> list[date]:
    """Every period from ``first`` to ``last`` (Mondays 7 days apart, or firsts of
    months), both included: a period with no demand is still a period, of 0."""
    out: list[date] = []
    when = first
    while when <= last:
        out.append(when)
        if period == "month":
            when = date(when.year + when.month // 12, when.month % 12 + 1, 1)
        else:
            when += timedelta(days=7)
    return out


def _plot_series(forecast: Any) -> tuple[list[date], list[tuple[str, str, Any]]]:
    """What :func:`plot` draws: every period from the first with demand to the last
    (shared by all panels), and per panel ``(name, measure, values)``, ``values`` an
    int64 array of periods x simulations, all sites together, 0 in a period (or a
    simulation) without demand. Drugs come first, sorted by id, then ``visits``."""
    np = numpy()
    period = forecast.period
    sims = forecast.simulations
    totals: dict[str, dict[date, Any]] = {}
    measure: dict[str, str] = {}
    for row in forecast.demand.to_pylist():
        name = row["drug"] or "visits"
        column = "visits" if row["drug"] is None else (
            "vials" if row["vials"] is not None else
            "kits" if row["kits"] is not None else "administrations")
        measure.setdefault(name, column)
        cell = totals.setdefault(name, {}).setdefault(row[period], np.zeros(sims, "int64"))
        cell[row["simulation"]] += row[column] or 0
    seen = [when for series in totals.values() for when in series]
    periods = _periods(min(seen), max(seen), period) if seen else []
    zero = np.zeros(sims, "int64")
    panels = [(name, measure[name],
               np.array([series.get(when, zero) for when in periods], dtype="int64")
               .reshape(len(periods), sims))
              for name, series in sorted(totals.items(), key=lambda kv: (kv[0] == "visits",
                                                                         kv[0]))]
    return periods, panels


def plot(forecast: Any, fmt: str) -> bytes:
    """Demand over time, one panel per drug (vials when it has vial sizes, else kits or
    administrations) and one of visits, all sites together: the median and the band
    between the lowest and highest statistics, over simulations, in every period from
    the first with demand to the last (a period without demand at 0; the panels share
    their time axis). PNG or SVG bytes, the same for the same forecast (no date or
    hash salt in the file)."""
    plt = pyplot()
    figure = _figure(forecast)
    sink = io.BytesIO()
    if fmt == "svg":
        plt.rcParams["svg.hashsalt"] = "regimens"
        figure.savefig(sink, format="svg", metadata={"Date": None})
    else:
        figure.savefig(sink, format="png", metadata={"Software": None})
    plt.close(figure)
    return sink.getvalue()


def _figure(forecast: Any) -> Any:
    """The matplotlib figure :func:`plot` saves (see :func:`_plot_series`)."""
    np = numpy()
    plt = pyplot()
    period = forecast.period
    sims = forecast.simulations
    when, panels = _plot_series(forecast)
    stats = sorted(float(s[1:]) for s in forecast.statistics)
    low, high = stats[0], stats[-1]
    figure, axes = plt.subplots(len(panels) or 1, 1, figsize=(8, 2.6 * max(len(panels), 1)),
                                squeeze=False, sharex=True)
    # A period's demand is drawn from its first day to the next period's (steps "post"),
    # so the last period needs the day that closes it, drawn at its own value.
    edges = [*when, _periods(when[-1], when[-1] + timedelta(days=31), period)[1]] if when else []
    for axis, (name, measure, values) in zip(axes[:, 0], panels, strict=False):
        q = {p: np.quantile(values, p / 100, axis=1, method="inverted_cdf")
             for p in {low, high, 50.0}}
        q = {p: np.append(v, v[-1:]) for p, v in q.items()}
        axis.fill_between(edges, q[low], q[high], step="post", alpha=0.3,
                          label=f"p{low:g}-p{high:g}")
        axis.step(edges, q[50.0], where="post", label="p50")
        axis.set_title(f"{name}: {measure} per {period}, all sites")
        axis.legend(loc="upper right")
    figure.suptitle(f"{sims:,} simulation{'s' if sims != 1 else ''}, seed {forecast.seed}")
    figure.tight_layout()
    return figure
