"""Året i utfallets månader (regelboken §24), ur början av varje utfallsfil: det år en körning
gäller när datakatalogen har flera år och `--ar` inte är givet, och ett utfall med flera år.

Bara vanliga filer läses här (standard in och en pipe går inte att läsa två gånger); utfallet läses
sedan som vanligt, helt, mot det valda årets uppdrag. Ur filens början (högst `BORJAN_BYTE`): i CSV
månadskolumnen på de hela raderna, i en arbetsbok (xlsx) månadskolumnen på de första `XLSX_RADER`
raderna, i YAML och JSON nyckeln `ar`. Det som inte går att läsa här är inget fel: läsningen av
utfallet säger det, med rad och kolumn.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from vgr_ersattning.inlasning.csvlasare import csv_avgransare
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.kallor import CSV, STDIN, XLSX, kanna_igen, oppna
from vgr_ersattning.inlasning.utfall.tabell import CSV_KOLUMNER
from vgr_ersattning.inlasning.utfall.xlsx import las_blad

BORJAN_BYTE = 1024 * 1024
XLSX_RADER = 5000
_MANAD = re.compile(r"^\s*([0-9]{4})-[0-9]{1,2}(?![0-9])")
_AR_YAML = re.compile(r"^ar:[ \t]*['\"]?([0-9]{4})['\"]?[ \t]*(?:#.*)?$", re.M)
_AR_JSON = re.compile(r'"ar"\s*:\s*"?([0-9]{4})(?![0-9])')


def utfallets_ar(filer: Iterable[Path | str], blad: str | None = None) -> dict[str, set[int]]:
    """Varje utfallsfil (som den visas i fel) → åren i dess månader, så långt början säger det."""
    ut: dict[str, set[int]] = {}
    for sokvag in filer:
        if str(sokvag) == STDIN:
            continue
        try:
            kalla = oppna(sokvag)
        except Inlasningsfel:
            continue
        try:
            if kalla.storlek is None:       # en pipe: läses bara en gång, av utfallets läsare
                continue
            ut[kalla.namn] = _ar_i(kalla, blad)
        except (Inlasningsfel, OSError, ValueError, csv.Error):
            continue
        finally:
            kalla.strom.close()
    return ut


def _ar_i(kalla, blad: str | None) -> set[int]:
    data = kalla.strom.read(BORJAN_BYTE)
    format = kanna_igen(data[:64 * 1024], kalla.namn, CSV_KOLUMNER, xlsx=True)
    if format == XLSX:
        with las_blad(kalla, data, blad) as rader:
            return _manadernas_ar(rader, XLSX_RADER)
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    if format == CSV:
        rader = text.split("\n")
        if len(data) == BORJAN_BYTE:
            rader = rader[:-1]          # den sista raden kan vara avskuren
        forsta = next((r for r in rader if r.strip()), "")
        return _manadernas_ar(csv.reader(rader, delimiter=csv_avgransare(forsta)), len(rader))
    traff = (_AR_JSON if text.lstrip().startswith(("{", "[")) else _AR_YAML).search(text)
    return {int(traff.group(1))} if traff else set()


def _manadernas_ar(rader, hogst: int) -> set[int]:
    """Åren i kolumnen `manad` (rubrikraden är den första raden som inte är tom)."""
    ar: set[int] = set()
    kolumn = None
    for i, rad in enumerate(rader):
        if i > hogst:
            break
        if kolumn is None:
            if any(f.strip() for f in rad):
                namn = [f.strip().strip('"').strip().casefold() for f in rad]
                if "manad" not in namn:
                    return ar
                kolumn = namn.index("manad")
            continue
        if len(rad) > kolumn:
            m = _MANAD.match(rad[kolumn])
            if m:
                ar.add(int(m.group(1)))
    return ar
