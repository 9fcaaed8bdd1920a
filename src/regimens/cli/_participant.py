"""The participant options shared by ``expand``, ``publish`` and ``check``.

One set of flags, read into one :class:`~regimens.Participant` and one map of dose
levels, so the three commands take the same inputs with the same messages. The library is
imported only when a command runs (the CLI's lazy imports).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Participant

__all__ = ["FLAGS", "levels_from", "participant_arguments", "participant_from"]

#: Participant and level fields -> the flag that gives them (for error messages).
FLAGS = {"weight": "--weight", "height": "--height", "bsa": "--bsa", "age": "--age",
         "birth_date": "--birth-date", "sex": "--sex", "gfr": "--gfr",
         "creatinine": "--creatinine", "levels": "--level"}


def participant_arguments(command: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add the participant's measurements and the dose levels to ``command``."""
    command.add_argument("--weight", help="body weight with its unit: 70kg, 154lb")
    command.add_argument("--height", help="height with its unit: 175cm, 1.75m, 69in")
    command.add_argument("--bsa", help="body surface area in m2 (instead of height and weight)")
    command.add_argument("--age", help="age in years (64) or months (18months); for AUC "
                         "dosing and bands by age")
    command.add_argument("--birth-date", metavar="YYYY-MM-DD",
                         help="birth date (instead of --age): the age on each "
                         "administration's date")
    command.add_argument("--sex", help="female or male: for Cockcroft-Gault and ideal body "
                         "weight")
    command.add_argument("--gfr", help="measured GFR, absolute: 95mL/min (AUC dosing)")
    command.add_argument("--creatinine",
                         help="serum creatinine: 1.1mg/dL or 97umol/L (Cockcroft-Gault)")
    command.add_argument("--level", action="append", default=[], metavar="DRUG=LEVEL",
                         help="dose level of a drug, e.g. carbo=-1 (repeatable; 0 is the "
                         "written dose)")


def participant_from(args: argparse.Namespace, label: str = "") -> Participant:
    """The :class:`Participant` the options describe."""
    from ..model import Participant

    bsa = args.bsa
    if bsa is not None and bsa.strip().replace(".", "", 1).isdigit():
        bsa = f"{bsa.strip()} m2"  # m² is the only unit of body surface area
    return Participant(weight=args.weight, height=args.height, bsa=bsa, label=label,
                       age=args.age, birth_date=args.birth_date, sex=args.sex, gfr=args.gfr,
                       creatinine=args.creatinine)


def levels_from(items: list[str]) -> dict[str, int]:
    """``["carbo=-1"]`` -> ``{"carbo": -1}``.

    Raises:
        ExpandOptionError: not DRUG=LEVEL with a whole number, or a drug given twice.
    """
    from ..errors import ExpandOptionError

    out: dict[str, int] = {}
    for item in items:
        drug, sep, level = item.partition("=")
        drug, level = drug.strip(), level.strip()
        digits = level[1:] if level[:1] in "+-" else level
        if not sep or not drug or not digits.isascii() or not digits.isdigit() or len(
                digits) > 3:
            raise ExpandOptionError("levels", "write DRUG=LEVEL with a whole number, e.g. "
                                    "carbo=-1", item)
        if drug in out:
            raise ExpandOptionError("levels", "this drug is given twice", drug)
        out[drug] = int(level)
    return out
