"""Produktionen ur en tabell med rubrikraden `utforare,rad,manad,antal`: en CSV-fil eller ett blad i
en arbetsbok, med samma regler för kolumner, rad-id, månader och antal och samma fel.

Rader med samma nyckel adderas, så ett uttag med en rad per utförd prestation fungerar oförändrat:
bara summan per (utförare, rad, månad) hålls i minnet. I en semikolonfil (svenska Excel) får ett
antal skrivas `1 234` eller `12,00` (ett heltal med decimalkomma), men `12,5` är inget antal
(regelboken §20).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from typing import Any

from vgr_ersattning.inlasning.csvlasare import csv_fel, csv_rubrik, tom_csv_rad
from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Inlasningsfel, Plats
from vgr_ersattning.inlasning.tal import (
    MAX_ANTAL,
    MAX_TALTEXT,
    heltal_ur_text,
    svenskt_tal,
)
from vgr_ersattning.inlasning.utfall.csvdelar import CSV_KOLUMNER
from vgr_ersattning.inlasning.utfall.kontroll import PRODUKTION, kontrollera_rad
from vgr_ersattning.modell import Uppdrag

# Svenska Excel skriver ett tal som det visas: med decimalkomma (`12,00` med talformatet Tal) och
# mellanslag (eller hårt mellanslag) mellan tusentalen (`1 234`).
_SVENSKT_HELTAL = re.compile("([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,0+)?")
_TUSENTAL = re.compile("[ \u00a0\u202f]")


def svenskt_antal(text: str) -> tuple[int | None, str]:
    """Ett antal som svenska Excel sparar det i en semikolonfil: `1 234` och `12,00` är heltal
    (decimalkomma med bara nollor); `12,5` är inte ett heltal. Annars som `heltal_ur_text`."""
    s = text.strip()
    if len(s) <= MAX_TALTEXT:
        m = _SVENSKT_HELTAL.fullmatch(s)
        if m is not None:
            return heltal_ur_text(_TUSENTAL.sub("", m.group(1)))
    return heltal_ur_text(text)


def las_tabell(namn: str, rader, lasarfabrik: Callable[[], Any], uppdrag: Uppdrag, ut) -> None:
    """Produktionen ur en tabell med rubrikraden `utforare,rad,manad,antal`: en CSV-fil (`rader` är
    en `CsvRader`, läsaren `csv.reader`) eller ett blad i en arbetsbok (`xlsx.Bladrader` är båda),
    in i utfallet `ut` (`Utfall`). `rader.plats(slutrad, falt, i)` ger platsen för ett fält i felen."""
    fel = Felsamlare()
    summor: dict[tuple[str, str, int], int] = {}
    forsta_plats: dict[tuple[str, str, int], Plats] = {}
    lasare = None
    fyll = getattr(rader, "fyll", False)     # en arbetsbok utelämnar tomma celler sist på raden
    try:
        lasare = lasarfabrik()
        (iu, ir, im, ia), ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
        tolka_antal = svenskt_antal if getattr(rader, "avgransare", ",") == ";" else heltal_ur_text
        summera_rader(lasare, rader, (iu, ir, im, ia), ncol, tolka_antal, uppdrag, ut.ar, fel, summor,
                      forsta_plats, fyll=fyll)
    except Inlasningsfel as e:          # rubrikraden, eller en byte som inte går att avkoda
        for f in e.visade:
            fel.lagg_till(f)
    except csv.Error as e:
        fel(Plats(namn, rader.trasig_posts_forsta_rad(lasare.line_num if lasare is not None else 1), 1), "",
            csv_fel(e))
    lagg_in_summor(ut, summor, forsta_plats, fel, getattr(rader, "kodningsfel", lambda: None)())


def summera_rader(lasare, rader, index: tuple[int, int, int, int], ncol: int, tolka_antal, uppdrag: Uppdrag,
                  ar: int, fel: Felsamlare, summor: dict[tuple[str, str, int], int],
                  forsta_plats: dict[tuple[str, str, int], Plats], nr: int = 0, fyll: bool = False) -> None:
    """Raderna efter rubriken som `lasare` ger, granskade och summerade per (utförare, rad-id, månad) i
    `summor` (och varje nyckels första plats), felen i `fel`: hela läsarens regler, för `las_tabell`
    från filens början och för `strom`, som tar vid mitt i en ström (`nr` rader före läsarens
    första). `fyll`: en rad med för få celler fylls ut (en arbetsbok utelämnar tomma celler sist)."""
    iu, ir, im, ia = index
    # Giltiga nycklar (utförare, rad, månad som de står) → (utförare, rad-id, månad 1–12): varje
    # distinkt nyckel kontrolleras en gång. Ogiltiga sparas inte; de kontrolleras på varje rad,
    # så varje rad får sitt fel, och ett uttag med miljontals felaktiga nycklar växer inte här.
    giltiga: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    # Antal som text → heltal, för de vanligaste (ett radnivåuttag har nästan bara "1"): ett
    # uppslag per rad i stället för att tolka texten.
    tal: dict[str, int] = {}
    for rad in lasare:
        slutrad = nr + lasare.line_num
        if len(rad) != ncol:
            if tom_csv_rad(rad):
                continue
            if fyll and len(rad) < ncol:
                rad = rad + [""] * (ncol - len(rad))
            else:
                fel(rader.plats(slutrad, rad), "",
                    f"raden har {len(rad)} kolumner, rubriken {ncol} (en kolumn saknas eller är för mycket)")
                continue
        antal = tal.get(rad[ia])
        if antal is None:
            antal_text = rad[ia]
            # Högst sju siffror är alltid ett giltigt antal (< MAX_ANTAL); annat tolkas och
            # kontrolleras (längden före int()) av tolka_antal.
            if antal_text.isdigit() and antal_text.isascii() and len(antal_text) < 8:
                antal = int(antal_text)
                if len(tal) < 10_000:
                    tal[antal_text] = antal
            else:
                antal, _ = tolka_antal(antal_text)
        giltig = giltiga.get((rad[iu], rad[ir], rad[im]))
        if giltig is None or antal is None:
            giltig = kontrollera_rad(rad, index, antal is None, slutrad, rader, uppdrag, ar, fel, tolka_antal)
            if giltig is None or antal is None:
                continue
            giltiga[(rad[iu], rad[ir], rad[im])] = giltig
        if giltig in summor:
            summor[giltig] += antal
        else:
            summor[giltig] = antal
            forsta_plats[giltig] = rader.plats(slutrad, rad)


def lagg_in_summor(ut, summor: dict[tuple[str, str, int], int],
                   forsta_plats: dict[tuple[str, str, int], Plats], fel: Felsamlare, kodning: Fel | None) -> None:
    """Summorna per (utförare, rad-id, månad) in i `ut` när tabellen är utan fel: summan högst
    MAX_ANTAL, och `kodning` (filen lästes som cp1252) med bland felen. Gemensamt för CSV-läsaren,
    snabbvägen och xlsx; `summor` i ordningen för varje nyckels första rad."""
    for (utf, rid, manad), antal in summor.items():
        if antal > MAX_ANTAL:
            fel(forsta_plats[(utf, rid, manad)], f"{utf}.{rid}.{ut.ar}-{manad:02d}",
                f"summan av raderna är {svenskt_tal(antal)}, mer än {svenskt_tal(MAX_ANTAL)} per rad och månad")
    if fel and kodning is not None:     # felen kan bero på kodningen: säg att filen lästes som cp1252
        fel.lagg_till(kodning)
    fel.kasta_om_fel(sortera=True)
    for (utf, rid, manad), antal in summor.items():
        plats = forsta_plats[(utf, rid, manad)]
        if ut.registrera((PRODUKTION, utf, rid, manad), plats, fel, f"{utf}.{rid}.{ut.ar}-{manad:02d}"):
            ut.lagg_till_produktion(utf, rid, manad, antal)
    fel.kasta_om_fel()
