"""Utfall i CSV: månadsproduktion med kolumnerna `utforare,rad,manad,antal`, läst strömmande.

En vanlig fil (också standard in som är en fil, `< F`) läses först av snabbvägen över distinkta rader
(`snabb`); det den inte förstår läses av hela CSV-läsaren (`CsvRader` och `tabell.las_tabell`). En
pipe läses en gång av samma snabbväg (`strom`), som lämnar över till hela läsaren mitt i strömmen.
Dialekten känns igen på innehållet (regelboken §20): komma, semikolon eller tabb, UTF-8 med eller
utan BOM eller Windows-1252.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vgr_ersattning.inlasning.csvlasare import CsvRader, csv_lasare
from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import Indatafil, oppna
from vgr_ersattning.inlasning.utfall.snabb import kan_spolas, las_csv_snabb
from vgr_ersattning.inlasning.utfall.strom import las_csv_strom
from vgr_ersattning.inlasning.utfall.tabell import las_tabell
from vgr_ersattning.modell import Uppdrag

# Ett utfallsuttag kan vara stort (en rad per prestation).
MAX_CSV_BYTE = 2 * 1024 ** 3

# Snabbvägen; False läser varje fil med hela CSV-läsaren (för jämförelser).
SNABB_CSV = True


def las_csv(sokvag: Path, uppdrag: Uppdrag, ut, framsteg: Callable[[int, int], None] | None = None,
            *, snabb: bool | None = None) -> None:
    """Läser en CSV-fil (eller `-`, standard in) med månadsproduktion strömmande in i utfallet `ut`
    (`Utfall`). `snabb=False` tvingar hela CSV-läsaren (utan snabbvägen över distinkta rader); None
    är `SNABB_CSV`."""
    kalla = oppna(sokvag)
    try:
        las_csv_kalla(kalla, kalla.strom, uppdrag, ut, framsteg, snabb)
    finally:
        kalla.strom.close()


def las_csv_kalla(kalla: Indatafil, strom, uppdrag: Uppdrag, ut,
                  framsteg: Callable[[int, int], None] | None, snabb: bool | None = None) -> None:
    """Som `las_csv`, för en redan öppnad källa och strömmen att läsa (från filens början)."""
    namn, storlek = kalla.namn, kalla.storlek
    if storlek is not None and storlek > MAX_CSV_BYTE:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är för stor ({storlek} byte, "
                                                        f"högst {MAX_CSV_BYTE} byte)")])
    rapport = (lambda n: framsteg(min(n, storlek), storlek)) if framsteg is not None and storlek else None
    if (SNABB_CSV if snabb is None else snabb) and not kan_spolas(strom):
        las_csv_strom(namn, strom, uppdrag, ut)      # en pipe: läses en gång
        return
    if (SNABB_CSV if snabb is None else snabb) and storlek is not None:
        borjan, klar = strom.tell(), True
        try:
            klar = las_csv_snabb(namn, strom, uppdrag, ut, rapport)
        finally:
            if klar and framsteg is not None and storlek:
                framsteg(storlek, storlek)
        if klar:
            return
        strom.seek(borjan)          # snabbvägen förstod inte filen: hela CSV-läsaren från början
    rader = CsvRader(namn, strom, rapport)
    try:
        las_tabell(namn, rader, lambda: csv_lasare(rader), uppdrag, ut)
    finally:
        if framsteg is not None and storlek:
            framsteg(storlek, storlek)
