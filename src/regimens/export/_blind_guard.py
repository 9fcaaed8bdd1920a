"""The guard of every blinded output: the same on every arm behind the blind, or refused.

A blinded output (a participant's calendar, month calendar, handout, diary, or the events
published) must not tell the arm. Each output blinds what it shows, and the regimen's checks
refuse the designs that blinding cannot hide; but an output is computed from the
participant's own arm only, so whatever a rule misses (a dose level, an amount recorded, a
policy or a drug of one arm) would reach the participant unseen. The guard computes the
same output for every arm the participant could be on (:func:`blinded_arms`) and compares:
equal, the output is the asked arm's; not equal, :class:`BlindedOutputError` on every arm
alike, its text chosen without looking at which arm was asked (the arms in the regimen's
order). When every arm fails, the first arm's error (in the regimen's order) is raised, the
same whichever arm was asked.

Cost: one expansion and one rendering per arm behind the blind (two or three in a trial),
and one comparison of the bytes: for MIROCALS (two years of daily doses), about 3 ms of CPU
per arm for the month calendar, 15 ms for the handout, 30 ms for the iCalendar file, 1 s
for a PDF (docs/cli.md, "The blind guard").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..errors import BlindedOutputError, ExpandOptionTypeError, RegimenError

if TYPE_CHECKING:
    from ..model import Regimen

__all__ = ["Outcome", "blind_guard", "blinded_arms", "check_alike"]

_T = TypeVar("_T", str, bytes)

#: One arm's outcome: its named parts (the output, standard error), or the error it raised.
Outcome = Sequence[tuple[str, str | bytes]] | BaseException

#: The longest line quoted in a difference (longer ones end in "...").
_QUOTED = 160


def blinded_arms(regimen: Regimen, arm: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The arms a participant on ``arm`` could be on behind the blind, and the blinded
    periods that hide them (ids, each in the regimen's order).

    The arms whose paths go through a blinded period of ``arm``'s path, and so on through
    theirs (two arms that share one blinded period with a third are compared too, so that
    the three refuse or agree together). ``((arm,), ())`` when ``arm``'s path goes through
    no blinded period, or ``arm`` is not an arm of the regimen (left to ``expand`` to
    refuse).
    """
    blinded = {a.id: {p.id for p in regimen.path(a.id) if p.blinded} for a in regimen.arms}
    if not blinded.get(arm):
        return (arm,), ()
    arms, periods = {arm}, set(blinded[arm])
    grown = True
    while grown:
        grown = False
        for other, through in blinded.items():
            if other not in arms and through & periods:
                arms.add(other)
                periods |= through
                grown = True
    return (tuple(a.id for a in regimen.arms if a.id in arms),
            tuple(p.id for p in regimen.periods if p.id in periods))


def _quoted(line: str | None) -> str:
    if line is None:
        return "no such line"
    return f"'{line if len(line) <= _QUOTED else line[:_QUOTED] + '...'}'"


def _text(content: str | bytes) -> str | None:
    """``content`` as text when it is text (a PDF is not)."""
    if isinstance(content, str):
        return content
    if b"\0" in content:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _part_difference(name: str, one: str | bytes, other: str | bytes) -> str:
    a, b = _text(one), _text(other)
    if a is None or b is None:
        x = one.encode("utf-8") if isinstance(one, str) else one
        y = other.encode("utf-8") if isinstance(other, str) else other
        offset = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
                      min(len(x), len(y)))
        return (f"{name} differs from byte {offset} on ({len(x):,} bytes on one arm, "
                f"{len(y):,} on another)")
    la, lb = a.splitlines(), b.splitlines()
    for number in range(1, max(len(la), len(lb)) + 1):
        x_line = la[number - 1] if number <= len(la) else None
        y_line = lb[number - 1] if number <= len(lb) else None
        if x_line != y_line:
            return (f"line {number} of {name} reads {_quoted(x_line)} on one arm, "
                    f"{_quoted(y_line)} on another")
    return f"{name} differs in its line ends"  # the same lines, other line ends


def _key(outcome: Outcome, describe: Callable[[BaseException], str]) -> object:
    if isinstance(outcome, BaseException):
        return ("error", type(outcome), describe(outcome))
    return ("output", tuple(outcome))


def difference(outcomes: Sequence[Outcome],
               describe: Callable[[BaseException], str] = str) -> str | None:
    """What differs first between ``outcomes`` (one per arm, in the regimen's order), in
    words that name no arm; None when they are all alike. ``describe`` is the text of an
    error as it is shown (the command line's ``regimens: ...`` lines)."""
    first = outcomes[0]
    key = _key(first, describe)
    other = next((o for o in outcomes[1:] if _key(o, describe) != key), None)
    if other is None:
        return None
    if isinstance(first, BaseException) and isinstance(other, BaseException):
        return (f"it fails on every arm, with {_quoted(describe(first))} on one and "
                f"{_quoted(describe(other))} on another")
    if isinstance(first, BaseException) or isinstance(other, BaseException):
        failed = first if isinstance(first, BaseException) else other
        assert isinstance(failed, BaseException)
        return f"it fails on one arm and not on another, with {_quoted(describe(failed))}"
    assert not isinstance(other, BaseException)
    for (name, one), (_, two) in zip(first, other, strict=True):
        if one != two:
            return _part_difference(name, one, two)
    return None  # pragma: no cover - the keys differ, so some part does


def check_alike(periods: tuple[str, ...], arms: tuple[str, ...],
                outcomes: Sequence[Outcome],
                describe: Callable[[BaseException], str] = str) -> None:
    """Return when every outcome (one per arm of ``arms``, in that order) is the same
    output; raise the first arm's error when every arm fails; otherwise raise
    :class:`BlindedOutputError` (its text the same whichever arm was asked)."""
    if all(isinstance(o, BaseException) for o in outcomes):
        first = outcomes[0]
        assert isinstance(first, BaseException)
        raise first
    found = difference(outcomes, describe)
    if found is not None:
        raise BlindedOutputError(periods, arms, found)


def blind_guard(regimen: Regimen, arm: str, render: Callable[[str], _T]) -> _T:
    """``render(arm)``, a blinded output of a participant on ``arm``, once it is known to
    be the same on every arm the participant could be on behind the blind.

    ``render(a)`` makes the output for arm ``a`` with everything else the same (the same
    start, participant, record, options): ``lambda a: regimen.expand(a, start,
    participant, record=record).to_ics(stamp=stamp)``. It is called for every arm of
    :func:`blinded_arms` (in the regimen's order; once, for ``arm`` alone, when its path
    goes through no blinded period). A :class:`~regimens.RegimenError` it raises counts as
    that arm's outcome.

    Raises:
        BlindedOutputError: the outputs differ, or some arms fail and others do not (the
            same error, with the same text, whichever arm was asked).
        RegimenError: every arm fails: the first arm's error, in the regimen's order.
        ExpandOptionTypeError: ``render`` is not callable, or returns neither text nor
            bytes.
    """
    if not callable(render):
        raise ExpandOptionTypeError("render", "a function of an arm id that returns the "
                                    "output (text or bytes)", render)
    arms, periods = blinded_arms(regimen, arm)
    if len(arms) < 2:
        return render(arm)
    outcomes: list[Outcome] = []
    mine: _T | None = None
    for each in arms:
        try:
            output = render(each)
        except RegimenError as exc:
            outcomes.append(exc)
            continue
        if not isinstance(output, str | bytes):
            raise ExpandOptionTypeError("render", "a function of an arm id that returns "
                                        "the output (text or bytes)", output)
        outcomes.append((("the output", output),))
        if each == arm:
            mine = output
    check_alike(periods, arms, outcomes)
    assert mine is not None
    return mine
