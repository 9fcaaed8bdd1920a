"""Body sizes: stated distributions, truncation by rejection, sex, correlation, resampling.

Expected values are worked out from the distributions in the comments; tolerances are
4 standard errors of the statistic for the sample drawn (fixed seeds).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from regimens import ExpandOptionError

np = pytest.importorskip("numpy")

from regimens.supply import (  # noqa: E402
    BodySizes,
    EmpiricalSizes,
    Moments,
    SizeDistribution,
    draw_sizes,
    simulation_rng,
)

N = 20000
K = 4


def _normal(mean: float, sd: float, **kw: Any) -> SizeDistribution:
    return SizeDistribution("normal", Moments(mean, sd), **kw)


def _draw(spec: BodySizes | EmpiricalSizes, n: int = N, seed: int = 1) -> Any:
    return draw_sizes(spec, n, simulation_rng(seed, 0))


def test_normal_weight_and_height() -> None:
    sex, weight, height = _draw(BodySizes(weight=_normal(75, 12), height=_normal(172, 9)))
    assert (sex == "").all()  # sex not drawn
    assert abs(weight.mean() - 75) <= K * 12 / math.sqrt(N)
    assert abs(height.mean() - 172) <= K * 9 / math.sqrt(N)
    # The sample sd has standard error about sd / sqrt(2 n).
    assert abs(weight.std(ddof=1) - 12) <= K * 12 / math.sqrt(2 * N)
    assert abs(height.std(ddof=1) - 9) <= K * 9 / math.sqrt(2 * N)
    # Rounded as recorded: weight to 0.1 kg, height to 1 cm, and as floats that read back
    # as those decimals (the batch API reads a float as its shortest repr).
    assert all(len(repr(w).split(".")[1]) <= 1 for w in weight[:500].tolist())
    assert (height == np.round(height)).all()
    # Independent by default: the sample correlation has standard error about 1/sqrt(n).
    assert abs(np.corrcoef(weight, height)[0, 1]) <= K / math.sqrt(N)


def test_only_weight() -> None:
    _, weight, height = _draw(BodySizes(weight=_normal(75, 12)), n=10)
    assert not np.isnan(weight).any()
    assert np.isnan(height).all()


def test_truncation_is_by_rejection() -> None:
    # N(75, 12) truncated to 60-90 kg: symmetric, so the mean stays 75. With a = 15 / 12 =
    # 1.25, phi(1.25) = 0.182649 and Phi(1.25) = 0.894350, the variance is
    # 144 * (1 - 2 * 1.25 * 0.182649 / (2 * 0.894350 - 1)) = 144 * 0.421028 = 60.628
    # (sd 7.7864), against 144 untruncated.
    dist = _normal(75, 12, low=60, high=90)
    _, weight, _ = _draw(BodySizes(weight=dist))
    assert weight.min() >= 60
    assert weight.max() <= 90
    assert abs(weight.mean() - 75) <= K * 7.7864 / math.sqrt(N)
    assert abs(weight.std(ddof=1) - 7.7864) <= K * 7.7864 / math.sqrt(2 * N) * 1.5
    # Not clipped: the density at 60 kg is phi(1.25) / 12 / 0.788700 = 0.0193 per kg, so
    # about 0.0193 * 0.05 = 0.1% of values round to 60.0 (clipping would put 10.6% there).
    assert (weight == 60).mean() < 0.005


def test_lognormal() -> None:
    # Mean 75, sd 15: sigma^2 = ln(1 + 0.04) = 0.0392207, median exp(mu) = 75 / sqrt(1.04)
    # = 73.5436. Half the values lie below the median (binomial standard error
    # sqrt(0.25 / n)).
    _, weight, _ = _draw(BodySizes(weight=SizeDistribution("lognormal", Moments(75, 15))))
    assert abs(weight.mean() - 75) <= K * 15 / math.sqrt(N)
    assert abs(weight.std(ddof=1) - 15) <= K * 15 / math.sqrt(2 * N) * 1.5  # skewed: wider
    assert abs((weight < 73.5436).mean() - 0.5) <= K * math.sqrt(0.25 / N)
    assert weight.min() > 0


def test_by_sex() -> None:
    spec = BodySizes(
        weight=SizeDistribution("normal", female=Moments(65, 10), male=Moments(80, 12)),
        height=_normal(170, 8), female=0.4)
    sex, weight, _ = _draw(spec)
    female = sex == "female"
    assert set(sex.tolist()) == {"female", "male"}
    assert abs(female.mean() - 0.4) <= K * math.sqrt(0.4 * 0.6 / N)
    assert abs(weight[female].mean() - 65) <= K * 10 / math.sqrt(female.sum())
    assert abs(weight[~female].mean() - 80) <= K * 12 / math.sqrt((~female).sum())


def test_correlation() -> None:
    # rho = 0.6 between the normal deviates; the sample correlation has standard error
    # about (1 - rho^2) / sqrt(n) = 0.0045 (rounding height to 1 cm changes it by < 0.001).
    spec = BodySizes(weight=_normal(75, 12), height=_normal(172, 9), correlation=0.6)
    _, weight, height = _draw(spec)
    assert abs(np.corrcoef(weight, height)[0, 1] - 0.6) <= K * 0.64 / math.sqrt(N) + 0.001


def test_reproducible() -> None:
    spec = BodySizes(weight=_normal(75, 12, low=50), height=_normal(172, 9), female=0.5)
    one, two = _draw(spec, 100, 3), _draw(spec, 100, 3)
    for a, b in zip(one, two, strict=True):
        assert np.array_equal(a, b)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sizes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_empirical_resampling(tmp_path: Path) -> None:
    path = _csv(tmp_path, "weight,height,sex\n70 kg,175 cm,male\n154 lb,1.62 m,Female\n"
                          "\n55.5 kg,160 cm,female\n")
    rows = EmpiricalSizes.from_csv(path)
    assert rows.weight == (70.0, 69.85322498, 55.5)  # 154 lb = 69.85322498 kg exactly
    assert rows.height == (175.0, 162.0, 160.0)
    assert rows.sex == ("male", "female", "female")
    assert rows.source == str(path)
    assert len(rows) == 3
    sex, weight, height = _draw(rows, 6000)
    # Each row is drawn with probability 1/3 (binomial standard error sqrt(2/9 / 6000));
    # a row's weight, height and sex stay together.
    pairs = {(70.0, 175.0, "male"), (69.85322498, 162.0, "female"), (55.5, 160.0, "female")}
    assert set(zip(weight.tolist(), height.tolist(), sex.tolist(), strict=True)) == pairs
    for w in (70.0, 69.85322498, 55.5):
        assert abs((weight == w).mean() - 1 / 3) <= K * math.sqrt(2 / 9 / 6000)


def test_empirical_plain_numbers(tmp_path: Path) -> None:
    rows = EmpiricalSizes.from_csv(_csv(tmp_path, "weight_kg\n70\n80.5\n"))
    assert rows.weight == (70.0, 80.5)
    assert rows.height is None
    assert rows.sex is None
    sex, weight, height = _draw(rows, 5)
    assert (sex == "").all()
    assert np.isnan(height).all()
    assert set(weight.tolist()) <= {70, 80.5}


@pytest.mark.parametrize(("text", "where", "reason"), [
    ("", "sizes.csv:1", "the file is empty"),
    ("weight,age\n70 kg,40\n", "sizes.csv:1", "unknown column"),
    ("weight,weight_kg\n70 kg,70\n", "sizes.csv:1", "given twice"),
    ("weight\n", "sizes.csv:2", "no rows"),
    ("weight,height\n70 kg\n", "sizes.csv:2", "expected 2 cells"),
    ("weight\n70 kg\n70\n", "sizes.csv:3: weight", "write a number and one of"),
    ("weight\n700 kg\n", "sizes.csv:2: weight", "not a plausible weight"),
    ("height_cm\n1.75\n", "sizes.csv:2: height_cm", "not a plausible height"),
    ("weight,sex\n70 kg,\n", "sizes.csv:2: sex", "the cell is empty"),
    ("weight,sex\n70 kg,f\n", "sizes.csv:2: sex", "female or male"),
])
def test_bad_csv_is_refused(tmp_path: Path, text: str, where: str, reason: str) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(ExpandOptionError) as info:
        EmpiricalSizes.from_csv(path)
    assert info.value.option == f"{tmp_path / where}"
    assert reason in info.value.reason


@pytest.mark.parametrize(("make", "option", "reason"), [
    (lambda: Moments(0, 1), "mean", "greater than 0"),
    (lambda: Moments(75, -1), "sd", "greater than 0"),
    (lambda: SizeDistribution("uniform", Moments(75, 12)), "distribution",
     "normal or lognormal"),
    (lambda: SizeDistribution("normal"), "everyone", "for both female and male"),
    (lambda: SizeDistribution("normal", female=Moments(65, 10)), "male", "both female"),
    (lambda: SizeDistribution("normal", Moments(75, 12), male=Moments(80, 12)), "female",
     "not both"),
    (lambda: SizeDistribution("normal", (75, 12)), "everyone", "Moments(mean, sd)"),
    (lambda: BodySizes(weight=SizeDistribution("normal", female=Moments(65, 10),
                                               male=Moments(80, 12))), "female",
     "proportion of participants who are female"),
    (lambda: BodySizes(weight=_normal(75, 12, high=500)), "weight.high",
     "plausible weight range, 0.5-400 kg"),
    (lambda: BodySizes(height=_normal(170, 8, low=20)), "height.low",
     "plausible height range, 30-250 cm"),
    (lambda: BodySizes(weight=_normal(75, 12, low=90, high=80)), "weight.high",
     "greater than low"),
    # N(75, 12) in 80-200 kg: 1 - Phi(5/12) = 33.8% of it.
    (lambda: BodySizes(weight=_normal(75, 12, low=80)), "weight.everyone",
     "holds only 33.8% of this distribution"),
    (lambda: BodySizes(weight=_normal(75, 12), female=1.5), "female", "proportion"),
    (lambda: BodySizes(weight=_normal(75, 12), height=_normal(170, 8), correlation=1),
     "correlation", "strictly between -1 and 1"),
    (lambda: BodySizes(weight=_normal(75, 12), correlation=0.5), "correlation",
     "needs both"),
    (lambda: BodySizes(weight=_normal(75, 12), weight_decimals=4), "weight_decimals",
     "at most 3"),
    (lambda: BodySizes(weight=Moments(75, 12)), "weight", "SizeDistribution"),
    (lambda: EmpiricalSizes(), "weight", "a weight or a height column"),
    (lambda: EmpiricalSizes(weight=(70.0,), sex=()), "rows", "same number of rows"),
    (lambda: EmpiricalSizes(weight=(70.0, 0.2)), "weight[1]", "not a plausible weight"),
    (lambda: EmpiricalSizes(weight=(70.0,), sex=("F",)), "sex[0]", "female or male"),
])
def test_bad_specs_are_refused(make: Any, option: str, reason: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        make()
    assert info.value.option == option
    assert reason in info.value.reason


@pytest.mark.parametrize(("upper", "shown"), [
    # The share of the distribution in the range, as the message shows it: half up to one
    # decimal, as every figure a person reads. 0.4125 is 41.25%: 41.3% (the float 0.4125
    # is 0.41249999999999997..., which formatting as a percentage showed 41.2%).
    (0.4125, "41.3%"),
    (0.4136, "41.4%"),  # 41.36%: the same either way
    (0.4, "40.0%"),  # one decimal always written
])
def test_the_share_held_is_shown_half_up(upper: float, shown: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import regimens.supply._bodies as bodies

    # The normal's distribution function at the range's ends, (400 - 75) / 12 = 27.08 sd
    # and (80 - 75) / 12 = 0.42 sd: `upper` at the high end, 0 at the low one.
    monkeypatch.setattr(bodies, "_phi", lambda x: upper if x > 1 else 0.0)
    with pytest.raises(ExpandOptionError) as info:
        BodySizes(weight=_normal(75, 12, low=80))
    assert info.value.reason == (f"the range 80-400 kg holds only {shown} of this "
                                 "distribution; truncating it there would change it beyond "
                                 "its stated mean and sd")
