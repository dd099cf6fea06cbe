"""Skrivarna: en modul per format. Varje kommando bygger sin rapport en gång ur sitt resultat
(`rapport.byggare`), och terminalen (`tabell`), `csvformat`, `xlsx` och `html` skriver vilken rapport
som helst (`rapport.modell`); `jsonformat` har sina egna, dokumenterade nycklar per kommando. I varje
modul är `<kommando>(rapport)` texten – eller, för `xlsx`, arbetsbokens byte. Ett nytt format är en
ny modul i `FORMAT`, ett nytt kommando en ny byggare.

Skrivarna formaterar bara: varje siffra är räknad i kärnan.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional, Union

FORMAT = {"tabell": "vgr_ersattning.visning.tabell", "json": "vgr_ersattning.visning.jsonformat",
          "csv": "vgr_ersattning.visning.csvformat", "xlsx": "vgr_ersattning.visning.xlsx",
          "html": "vgr_ersattning.visning.html"}

# Format vars utdata är byte, inte text: de skrivs bara till en fil (--ut), aldrig till skärmen.
BINARA = {"xlsx": ".xlsx"}

# Format som kan skriva en rapport medan den räknas (en scenariobatch): `visning.strom`.
STROMMANDE = ("json", "csv")


class Visningsfel(Exception):
    """Resultatet kan inte visas i det valda formatet (t.ex. ett tal som Excel inte kan hålla
    exakt, eller en arbetsbok utan --ut). En svensk rad; CLI:t avslutar med slutkod 2."""


@dataclass(frozen=True)
class Rapport:
    """Ett resultat att visa. `kalla` översätter kärnans källor till (fil:rad:kolumn, dokument);
    `bredd` och `farg` gäller tabeller i en terminal; `csv_dialekt` gäller CSV (`maskin` eller
    `excel`); `arsplan` är planens tilläggsersättning per månad för året, räknad av kommandot (för
    arbetsbokens diagram plan mot utfall), eller None."""

    resultat: Any
    kalla: Callable[[Any], tuple[str, str]] = lambda k: ("", "")
    bredd: Optional[int] = None
    farg: bool = False
    csv_dialekt: str = "maskin"
    arsplan: Optional[tuple] = None


class Text(NamedTuple):
    """Färdig text (init, schema, en uppgraderad journal): skrivs som den är, i alla format."""

    text: str


def kontrollera_val(format: str, ut: Optional[str], csv_dialekt: str = "maskin") -> None:
    """Vägrar kombinationer av val som inte går ihop, innan något räknas: en arbetsbok utan
    `--ut FIL.xlsx`, en .xlsx-fil med ett textformat, och `--csv-dialekt excel` utan CSV.
    Kastar `Visningsfel`."""
    if format in BINARA:
        andelse = BINARA[format]
        if ut is None:
            raise Visningsfel(f"--format {format} skriver en arbetsbok och behöver --ut FIL{andelse} "
                              "(en arbetsbok skrivs aldrig till skärmen)")
        if not str(ut).lower().endswith(andelse):
            raise Visningsfel(f"--format {format}: filnamnet {ut} slutar inte på {andelse}; ange --ut FIL{andelse}")
    elif ut is not None:
        for f, andelse in BINARA.items():
            if str(ut).lower().endswith(andelse):
                raise Visningsfel(f"--ut {ut}: en {andelse}-fil skrivs med --format {f} (nu --format {format})")
    if csv_dialekt != "maskin" and format != "csv":
        raise Visningsfel(f"--csv-dialekt {csv_dialekt} gäller bara --format csv (nu --format {format})")


def renderare(format: str):
    """Formatets modul (tabell skriver med visning/terminal.py, utan rich; xlsx importerar xlsxwriter först
    när en arbetsbok skrivs)."""
    return importlib.import_module(FORMAT[format])


def rendera(format: str, kommando: str, rapport: Rapport) -> Union[str, bytes]:
    """Texten (eller arbetsbokens byte för xlsx). Kastar `Visningsfel`, också när formatet saknar
    kommandot (ett nytt kommando som ännu inte har alla format), aldrig ett AttributeError."""
    funktion = getattr(renderare(format), kommando, None)
    if funktion is None:
        raise Visningsfel(f"{kommando} kan inte visas som {format} ännu; välj ett annat --format")
    return funktion(rapport)


def rendera_till(format: str, kommando: str, rapport: Rapport, fil) -> None:
    """Skriver rapporten till `fil` (en `utskrift.Utdata`): färdig text som den är, en rapport med en
    ström (`resultat.strom`) strömmad i JSON och CSV (`visning.strom`), allt annat renderat helt."""
    r = rapport.resultat
    if isinstance(r, Text):
        fil.write(r.text.encode("utf-8"))
        return
    if getattr(r, "strom", None) is not None and format in STROMMANDE:
        from vgr_ersattning.visning.strom import skriv_strom

        skriv_strom(r, format, rapport.csv_dialekt, fil)
        return
    data = rendera(format, kommando, rapport)
    fil.write(data.encode("utf-8") if isinstance(data, str) else data)
