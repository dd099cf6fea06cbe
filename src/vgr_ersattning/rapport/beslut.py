"""Besluten under året som gäller i en beräkning (regelboken §18): vad varje beslut ändrade, från
vilken månad, värdet före och efter, och var beslutet står. Under `berakna`, `utbetala` och
månadens rapport."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

from vgr_ersattning.kalkyl.resultat import BESLUT, Kalla
from vgr_ersattning.rapport.modell import (
    ANTAL,
    HTML,
    ID,
    KR,
    MANAD,
    MASKIN,
    SKARM,
    TAL,
    TEXT,
    TKR,
    XLSX,
    Cell,
    Kallor,
    Kolumn,
    Manad,
    Not,
    Tabell,
    rad,
)

_BESLUT = (
    Kolumn("beslut", "Beslut", TEXT), Kolumn("fran", "Gäller från", MANAD), Kolumn("andring", "Ändring", TEXT),
    Kolumn("nyckel", "Nyckel", ID, visas=MASKIN), Kolumn("fore", "Före", TAL, enhet=""),
    Kolumn("efter", "Efter", TAL, enhet=""), Kolumn("enhet", "Enhet", TEXT),
    Kolumn("plats", "Plats", TEXT, visas=MASKIN | {HTML}),
)


class Beslutat(NamedTuple):
    """Ett värde som ett beslut satte: nyckeln (`tillagg.RAD`, `pris.PRISKATEGORI`, `ram`, ...), den
    första månaden, beslutets index, värdet före och efter, dess slag och enhet och vad som ändrades."""

    nyckel: str
    manad: int
    index: int
    fore: Any
    efter: Any
    slag: str
    enhet: str
    andring: str


def beslutat(b) -> list[Beslutat]:
    """Värdena som besluten under året satte i beräkningen `b`, i månadsordning; ett pris en gång per
    priskategori (beslutet ändrar varje rad i kategorin)."""
    rader = {r.id: r for r in b.tillagg.rader} if b.tillagg is not None else {}
    poster = {p.id: p.namn for p in b.avrakning.poster} if b.avrakning is not None else {}
    ut, sedda = [], set()
    for nyckel, m, index, fore, efter in sorted(beslutade(b.ikraft), key=lambda x: (x[1], x[2])):
        if nyckel[0] == "pris":
            r = rader.get(nyckel[1])
            nyckel = ("pris", r.priskategori if r else nyckel[1])
        slag, enhet, andring = _andring(nyckel, rader, poster)
        if andring is None or (nyckel, m, index) in sedda:
            continue
        sedda.add((nyckel, m, index))
        ut.append(Beslutat(".".join(nyckel), m, index, fore, efter, slag, enhet, andring))
    return ut


def beslutstabell(b, upplosare, kallor: Kallor, namn: str = "Beslut") -> Optional[Tabell]:
    """Besluten under året som gäller i beräkningen `b` (regelboken §18): vad varje beslut ändrade,
    från vilken månad, värdet före och efter, och var beslutet står. None utan beslut."""
    rader = []
    for x in beslutat(b):
        plats, dokument = upplosare(Kalla(BESLUT, (b.utforare, x.index)))
        kallor.plats(namn, x.nyckel, "beslutet", plats, dokument)
        rader.append(rad(_BESLUT, {
            "beslut": dokument or f"beslut {x.index + 1}", "fran": Manad(b.ar, x.manad), "andring": x.andring,
            "nyckel": x.nyckel, "fore": Cell(None, text="–") if x.fore is None else Cell(x.fore, slag=x.slag),
            "efter": Cell(x.efter, slag=x.slag), "enhet": x.enhet, "plats": plats}))
    if not rader:
        return None
    return Tabell(namn, f"Beslut i kraft under {b.ar} (regelboken §18): {b.namn} ({b.utforare})", _BESLUT,
                  tuple(rader), talformat_per_cell=True, visas=SKARM | {XLSX},
                  noter=(Not("Före: värdet som gällde månaden innan beslutet; efter: värdet från beslutets första "
                             "månad. Varje månad räknas med värdena som gäller då."),))


def beslutade(ik) -> list[tuple[tuple, int, int, Any, Any]]:
    """(nyckel, första månad, beslutets index, värdet före, värdet efter) för varje värde ett beslut
    satte. Nycklarna: `("bas"|"tillagg"|"pris", rad)`, `("ram",)`, `("avrakning", post)`,
    `("delegation",)`, `("malvarde", indikator)`."""
    if ik is None:
        return []
    if hasattr(ik, "serier"):           # värdena per månad med sina källor
        return [(nyckel, v.fran, v.kalla.sokvag[1], v.fore.varde if v.fore is not None else None, v.varde)
                for nyckel, s in ik.serier() if nyckel[0] != "uppdrag" for v in s.beslutade]
    ut = []
    for nyckel, andringar in ik.andrat_av.items():          # värdena per månad utan källor
        serie, nyckel = _serie(ik, nyckel)
        ut += [(nyckel, m, index, serie[m - 2] if m > 1 else None, serie[m - 1]) for m, index in andringar]
    return ut


def _serie(ik, nyckel: tuple) -> tuple[list, tuple]:
    if nyckel[0] == "volym":
        return (ik.bas if nyckel[2] == "bas" else ik.tillagg)[nyckel[1]], (nyckel[2], nyckel[1])
    if nyckel[0] == "pris":
        return ik.pris[nyckel[1]], nyckel
    if nyckel[0] == "ram":
        return ik.ram_tkr, nyckel
    if nyckel[0] == "avrakning":
        return ik.niva_tkr[nyckel[1]], nyckel
    return ik.delegation_kr, nyckel


def _andring(nyckel: tuple, rader: dict, poster: dict) -> tuple[str, str, Optional[str]]:
    """(slag, enhet, vad som ändrades) för ett beslutat värde."""
    if nyckel[0] in ("bas", "tillagg"):
        r = rader.get(nyckel[1])
        return ANTAL, "antal", f"{'Bas' if nyckel[0] == 'bas' else 'Tillägg'}: {r.namn if r else nyckel[1]} ({nyckel[1]})"
    if nyckel[0] == "pris":
        return KR, "kr", f"Pris: priskategorin {nyckel[1]}"
    if nyckel[0] == "ram":
        return TKR, "tkr", "Ersättningsram"
    if nyckel[0] == "avrakning":
        return TKR, "tkr", f"Avräkningsnivå: {poster.get(nyckel[1], nyckel[1])}"
    if nyckel[0] == "malvarde":
        return TAL, "", f"Målvärde: {nyckel[1]}"
    if nyckel[0] == "delegation":
        return KR, "kr", "Delegationsgräns"
    return TAL, "", None
