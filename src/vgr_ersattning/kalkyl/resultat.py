"""Resultatobjekt som delas av kärnans moduler."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

# Vad en kontroll rör: en beräkning bygger inte på data som fallerar en kontroll av det den använder.
AR = "ar"                  # år och giltighet: allt
VOLYMER = "volymer"        # volymtabellen (§3): tillägg, plan, scenarier
PRISER = "priser"          # priser för radernas kategorier (§4)
RAM = "ram"                # ersättningsramen (§6)
AVRAKNING = "avrakning"    # poster med avräkning (§7)
BRYGGA = "brygga"          # budgetbryggan (§8)
AT = "at"                  # AT-fördelningen (ingen beräkning bygger på den)


def antagandeordning(a: str) -> tuple:
    """Antaganden i nummerordning, A3 före A14: numret som tal."""
    return (int(a[1:]), a) if a[1:].isdigit() else (10 ** 9, a)


# Varifrån ett indata kommer (regelboken §15): vilket dokument och nyckelvägen i det.
UPPDRAG, PRISER, UTFALL, BESLUT = "uppdrag", "priser", "utfall", "beslut"


class Kalla(NamedTuple):
    """Var ett indata står: `dokument` är uppdrag, priser, utfall eller beslut; `sokvag` nyckelvägen i det."""

    dokument: str
    sokvag: tuple


class Kontroll(NamedTuple):
    """Utfallet av en kontroll. `id` säger vilken kontroll det är (stabil ascii, t.ex.
    `brygga.sista_rad`; samma för godkänd och underkänd), `namn` är texten som visas. `sokvag` pekar
    ut värdet i datafilen `fil` (för fil:rad:kolumn); `omraden` är det kontrollen rör och `utforare`
    vems data (None: gemensamt)."""

    id: str
    namn: str
    ok: bool
    meddelande: str
    sokvag: tuple[Any, ...] = ()
    varde: Decimal | None = None
    differens: Decimal | None = None
    enhet: str = ""
    fil: str = "uppdrag"  # vilken datafil sökvägen avser: "uppdrag" eller "priser"
    omraden: tuple[str, ...] = ()
    utforare: str | None = None
    plats: str = ""        # fil:rad:kolumn, satt av inläsningen (kärnan känner inga filer)
