"""Bad arguments to the public functions raise a RegimenError with its fields, never a
plain ValueError, TypeError, KeyError or AttributeError from deep inside."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import regimens
from regimens import ExpandOptionError, Participant, QuantityError, RegimenError
from support import EXAMPLES

REGIMEN = regimens.load(EXAMPLES / "imodals.yaml")
ARM = REGIMEN.arms[0].id
# Typed Any: the calls below break the signatures on purpose.
api: Any = regimens
R: Any = REGIMEN

# (call, error class, option or quantity, value held): the value is the value itself.
CASES: list[tuple[str, Callable[[], object], type[RegimenError], str, object]] = [
    ("read_record kind", lambda: api.read_record("", kind="xml"), ExpandOptionError,
     "kind", "xml"),
    ("read_record text", lambda: api.read_record(123), ExpandOptionError, "text", "int"),
    ("load_record path", lambda: api.load_record(123), ExpandOptionError, "path", "int"),
    ("load source", lambda: api.load(None), ExpandOptionError, "source", "NoneType"),
    ("loads text", lambda: api.loads(123), ExpandOptionError, "text", "int"),
    ("dumps fmt", lambda: api.dumps(R, "xml"), ExpandOptionError, "fmt", "xml"),
    ("dumps regimen", lambda: api.dumps("x"), ExpandOptionError, "regimen", "str"),
    ("bsa formula", lambda: api.bsa(Decimal(170), Decimal(70), "nope"), QuantityError,
     "bsa", "nope"),
    ("bsa height text", lambda: api.bsa("tall", Decimal(70), "mosteller"), QuantityError,
     "bsa", "tall"),
    ("bsa height type", lambda: api.bsa(None, Decimal(70), "mosteller"), QuantityError,
     "bsa", None),
    ("bsa NaN", lambda: api.bsa(Decimal("NaN"), Decimal(70), "mosteller"),
     QuantityError, "bsa", Decimal("NaN")),
    ("expand participant", lambda: R.expand(ARM, "2027-01-04", "70 kg"),
     ExpandOptionError, "participant", "str"),
    ("expand lengths", lambda: R.expand(ARM, "2027-01-04", lengths=["x"]),
     ExpandOptionError, "lengths", "list"),
    ("expand levels", lambda: R.expand(ARM, "2027-01-04", levels="x"),
     ExpandOptionError, "levels", "str"),
    ("check participant", lambda: R.check(5), ExpandOptionError, "participant", "int"),
    ("check levels", lambda: R.check(levels=[1]), ExpandOptionError, "levels", "list"),
    ("expand bsa_formula", lambda: R.expand(ARM, "2027-01-04", bsa_formula="x"),
     ExpandOptionError, "bsa_formula", "x"),
    ("expand record path", lambda: R.expand(ARM, "2027-01-04", record="/no/R.csv"),
     ExpandOptionError, "record", "/no/R.csv"),
]


@pytest.mark.parametrize(("call", "error", "name", "value"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_argument_raises_a_regimen_error_holding_the_value(
        call: Callable[[], object], error: type[RegimenError], name: str,
        value: object) -> None:
    with pytest.raises(error) as exc:
        call()
    assert isinstance(exc.value, ValueError)  # as every error of the project about a value
    got: Any = exc.value
    assert (getattr(got, "option", None) or getattr(got, "quantity", None)) == name
    if isinstance(value, Decimal) and value.is_nan():
        assert got.value.is_nan()
    else:
        assert got.value == value
    assert str(got)
    assert "Traceback" not in str(got)


def test_a_participant_is_still_accepted() -> None:
    schedule = REGIMEN.expand(ARM, "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                              lengths={}, levels={})
    assert schedule.administrations
