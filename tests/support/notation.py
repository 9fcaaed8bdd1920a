"""The safe-notation scanner (ISMP list of error-prone abbreviations, Joint Commission).

``violations(text)`` lists every forbidden notation in a text meant for people.
"""

from __future__ import annotations

import re

#: (name, pattern): what may never appear in a text for people.
FORBIDDEN = [
    ("IU", r"\bIU\b"),
    ("MIU", r"\bMIU\b"),
    ("mIU or kIU", r"\b[mk]IU\b"),
    ("U as a word", r"\b[Uu]\b"),
    ("QD", r"\b[Qq]\.?[Dd]\b"),
    ("QOD", r"\b[Qq]\.?[Oo]\.?[Dd]\b"),
    ("TIW", r"\b[Tt][Ii][Ww]\b"),
    ("SC or SQ", r"\bS[CQ]\b"),
    ("cc", r"\bcc\b"),
    ("µg", r"[µμ]g"),
    ("trailing zero", r"(?<![\d.])\d+\.\d*0(?![\d.])"),
    ("naked decimal", r"(?<![\w.])\.\d"),
    ("number run into a unit",
     r"\d(?:mg|mcg|ng|g|mL|L|kg|cm|mm|m²|m2|units?|cells?|million|thousandths?)\b"),
    ("scientific notation", r"\d[eE][-+]?\d|\d\s*[x×*]\s*10\^"),
    ("negative zero", r"(?<![\d\w])-0(?![\d.])"),
    ("ungrouped number of 4+ digits", r"(?<![\w,.])\d{4,}(?![\d,])"),
]
#: Dates, years, times, registry numbers and hashes are not doses: removed before scanning.
NOT_DOSES = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{8}(?:T\d{6}Z?)?|\b(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December) \d{4}\b|\b\d{2}:\d{2}\b|NCT\d+|"
    r"[0-9a-f]{16,}")


def violations(text: str) -> list[str]:
    text = NOT_DOSES.sub("", text)
    return [f"{name}: {m.group(0)!r} in {text[max(0, m.start() - 30):m.end() + 30]!r}"
            for name, pattern in FORBIDDEN for m in re.finditer(pattern, text)]
