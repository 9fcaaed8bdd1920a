"""Screenshots of the participant's handout and diary for docs/handouts.md.

``python scripts/gen_handout_screens.py`` expands examples/xelox.yaml and writes
docs/handouts/*.png: the HTML handout and diary drawn by headless Chromium (Debian's
``chromium``), and a page of each PDF drawn by ``pdftoppm`` (Debian's ``poppler-utils``).
Only the documentation needs these tools; the library and its tests do not.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import regimens

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "handouts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
CONTACT = ["Oncology day unit, Hôpital Exemple: +33 1 23 45 67 89",
           "Out of hours: +33 1 98 76 54 32 (ask for the oncologist on call)"]


def main() -> int:
    chromium = shutil.which("chromium")
    pdftoppm = shutil.which("pdftoppm")
    if chromium is None or pdftoppm is None:
        print("needs chromium and pdftoppm (apt-get install chromium poppler-utils)")
        return 2
    regimen = regimens.load(ROOT / "examples" / "xelox.yaml")
    schedule = regimen.expand("xelox", date(2027, 1, 4),
                              regimens.Participant(weight="70 kg", height="175 cm",
                                                   label="P-017"))
    tablets = schedule.only(["capecitabine"])
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, text, size in (
                ("handout", schedule.to_html(contact=CONTACT), "900,2300"),
                ("diary", tablets.to_diary(contact=CONTACT), "900,2100"),
                ("handout-fr", schedule.to_html(lang="fr", contact=CONTACT), "900,2300")):
            page = work / f"{name}.html"
            page.write_text(text, encoding="utf-8")
            subprocess.run([chromium, *FLAGS, f"--user-data-dir={work / 'profile'}",
                            f"--window-size={size}", f"--screenshot={OUT / (name + '.png')}",
                            page.as_uri()], check=True, capture_output=True, timeout=120)
        for name, data, first in (("handout-pdf", schedule.to_pdf(contact=CONTACT), 2),
                                  ("diary-pdf", tablets.to_pdf(sheet="diary",
                                                               contact=CONTACT), 2)):
            pdf = work / f"{name}.pdf"
            pdf.write_bytes(data)
            subprocess.run([pdftoppm, "-png", "-r", "70", "-f", str(first), "-l", str(first),
                            "-singlefile", str(pdf), str(OUT / name)], check=True, timeout=120)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
