"""The plot's data: every period of the range, 0 where there is no demand (hand-counted)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

from regimens.supply import loads_plan, simulate  # noqa: E402
from regimens.supply._outputs import _plot_series  # noqa: E402

# One participant of the il2 arm, Study Day 1 on Monday 2027-01-04, the run-in at its
# shortest (12 weeks: Days -84 to -1, from Monday 2026-10-12). Aldesleukin 2 MIU on days
# 1-5 of 28-day cycles, in 1 MIU vials: 10 vials in the weeks of Days 1, 29, 57..., none
# in the three weeks between. Visits: lp1 on Day -84 (week of 2026-10-12), lp2 on Day -1
# (Sunday 2027-01-03, week of 2026-12-28), randomisation on Day 1 (week of 2027-01-04).
PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P-001, site: paris, arm: il2, start: 2027-01-04}
drugs:
  il2: {vials: [1 MIU]}
"""


def _forecast(simulations: int = 1) -> Any:
    return simulate("mirocals", loads_plan(PLAN, "plan.yaml"), simulations=simulations,
                    seed=7)


def test_every_week_of_the_range_is_plotted_at_its_count() -> None:
    periods, panels = _plot_series(_forecast())
    assert periods[0] == date(2026, 10, 12)  # lp1 and the first riluzole: Day -84
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(periods))
    series = {name: (measure, values[:, 0].tolist()) for name, measure, values in panels}
    assert [name for name, _m, _v in panels] == ["il2", "riluzole", "visits"]
    at = periods.index(date(2027, 1, 4))
    measure, il2 = series["il2"]
    assert measure == "vials"
    assert il2[at:at + 9] == [10, 0, 0, 0, 10, 0, 0, 0, 10]
    assert il2[:at] == [0] * at  # nothing before Day 1
    assert sum(il2) == 19 * 10  # 19 cycles of 5 x 2 MIU in 1 MIU vials
    _m, visits = series["visits"]
    assert visits[:3] == [1, 0, 0]
    assert visits[periods.index(date(2026, 12, 28))] == 1  # lp2, Day -1
    assert visits[at] == 1  # randomisation
    assert sum(visits) == 5  # lp1, lp2, randomisation, treatment end, Day 640
    _m, riluzole = series["riluzole"]
    assert riluzole[0] == 7  # daily, whole weeks
    assert riluzole[at] == 7


def test_the_figure_draws_the_zero_weeks_on_one_time_axis() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.dates as mdates

    from regimens.supply._outputs import _figure

    figure = _figure(_forecast(simulations=3))
    try:
        axes = figure.axes
        assert len(axes) == 3
        assert all(axis.get_shared_x_axes().joined(axes[0], axis) for axis in axes)
        line = axes[0].get_lines()[0]  # the il2 median
        x = [mdates.num2date(v).date() if not isinstance(v, date) else v
             for v in line.get_xdata()]
        at = x.index(date(2027, 1, 4))
        assert list(line.get_ydata()[at:at + 5]) == [10, 0, 0, 0, 10]
        assert x[0] == date(2026, 10, 12)
        # The band (p50-p95) has a vertex per week as well: 0 between the cycles.
        band = axes[0].collections[0]
        ys = band.get_paths()[0].vertices[:, 1]
        assert 0 in ys
        assert 10 in ys
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


def test_each_week_is_drawn_from_its_monday_to_the_next() -> None:
    # Steps "post": a week's demand spans [its Monday, the next Monday), and the last week
    # is closed by the Monday after it at its own value (steps "mid" drew every week half
    # a week early and the last one as a sliver).
    pytest.importorskip("matplotlib")
    import matplotlib.dates as mdates

    from regimens.supply._outputs import _figure

    periods, _panels = _plot_series(_forecast())
    figure = _figure(_forecast())
    try:
        line = figure.axes[0].get_lines()[0]
        assert line.get_drawstyle() == "steps-post"
        x = [mdates.num2date(v).date() if not isinstance(v, date) else v
             for v in line.get_xdata()]
        assert x == [*periods, periods[-1] + timedelta(days=7)]
        y = list(line.get_ydata())
        assert y[-1] == y[-2]
        at = x.index(date(2027, 1, 4))
        assert y[at] == 10  # cycle 1's week
        assert y[at + 1] == 0  # and the next
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)
