"""Excel-arbetsböcker (regelboken §20): vilken rapport som helst (`rapport.modell`) som arbetsbok, som
skrivs med `--ut FIL.xlsx`.

- Ett blad per tabell som står i arbetsboken (`XLSX in visas`), med kolumnernas rubriker och enhet
  ("Belopp (kr)"); posterna (rader med rollen RAD) och sist summorna (SUMMA, i fetstil), fakta
  (etikett och värde) och noter under tabellen, och tabellens bild som ett diagram i arbetsboken.
- Sist bladet "Källor och antaganden": varje siffras källa (dokumentet och platsen i datafilen
  eller utfallsfilen) och texten till varje antagande siffrorna bygger på.
- Tal är talceller med exakt samma värde som i JSON; ett tal som en Excel-cell inte kan hålla
  exakt vägras, och då skrivs ingen arbetsbok alls (`visning.arbetsbok`).

Arbetsbokens celler och skrivning står i `visning.arbetsbok`; `forklara` skriver sitt träd själv
(`visning.xlsx_granskning`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from vgr_ersattning.rapport.byggare import KOMMANDON, bygg
from vgr_ersattning.rapport.modell import (
    ANDEL,
    AR,
    KR,
    LINJE,
    PROCENT,
    SUMMA,
    TKR,
    XLSX,
    Cell,
    Kolumn,
    Manad,
    Redovisning,
    Tabell,
)
from vgr_ersattning.visning import celler
from vgr_ersattning.visning.arbetsbok import (
    Ar,
    Arbetsbok,
    Blad,
    Diagram,
    andel,
    excelvarde,
    procent,
    skriv_arbetsbok,
    tal,
)
from vgr_ersattning.visning.xlsx_granskning import forklara

__all__ = ("excelvarde", "forklara", "skriv", "skriv_arbetsbok")

_ENHET = {KR: "kr", TKR: "tkr"}


def varde(v: Any, kolumn: Kolumn | None, slag: str | None = None) -> Any:
    """Cellens värde i arbetsboken: tal som i JSON (andelar i procentformat, år som år), text som text."""
    c = celler.som_cell(v)
    if c.visas is not None and XLSX not in c.visas:
        return None
    if c.etikett is not None:
        return c.etikett
    v = c.varde
    s = c.slag or slag or (kolumn.slag if kolumn is not None else None)
    if v is None or v == "":
        return v
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, Manad):
        return str(v)
    if isinstance(v, tuple):
        return "\n".join(map(str, v))
    if not celler.ar_tal(v, s):
        return str(v)
    if s == ANDEL:
        return andel(v)
    if s == PROCENT:
        return procent(v)
    if s == AR:
        return Ar(int(v))
    return tal(Decimal(v), _ENHET.get(s, "antal"))


def blad(t: Tabell, namn: str) -> Blad:
    kolumner = t.kolumner_i(XLSX)
    b = Blad(namn, t.titel, [k.med_enhet for _, k in kolumner], talformat_per_cell=t.talformat_per_cell)
    for r in t.rader:
        if r.i(XLSX):
            (b.summor if r.roll == SUMMA else b.rader).append(
                [varde(r.celler[i] if i < len(r.celler) else None, k) for i, k in kolumner])
    b.fakta = [(f.etikett, varde(Cell(f.varde, slag=f.slag), None)) for f in t.fakta if XLSX in f.visas]
    b.noter = [n.text for n in t.noter if XLSX in n.visas]
    if t.bild is not None and XLSX in t.bild.visas:
        plats = {k.nyckel: j for j, (_, k) in enumerate(kolumner)}
        b.diagram = Diagram(t.bild.titel, t.bild.y_axel, plats[t.bild.kategori],
                            [(n, plats[nyckel]) for n, nyckel in t.bild.serier],
                            "line" if t.bild.slag == LINJE else "bar")
    return b


def skriv(red: Redovisning, rapport=None) -> bytes:
    """Arbetsbokens byte: ett blad per tabell i arbetsboken och sist källorna och antagandena."""
    alla, namn = [], set()
    for t in red.tabeller:
        if XLSX in t.visas:
            n, i = t.namn[:31], 2
            while n in namn:
                n, i = f"{t.namn[:28]} {i}", i + 1
            namn.add(n)
            alla.append(blad(t, n))
    return skriv_arbetsbok(Arbetsbok(alla, [tuple(k) for k in red.kallor], red.antaganden, red.om_antaganden))


def __getattr__(namn: str):
    """`xlsx.<kommando>(rapport)` för varje kommando med en byggare."""
    if namn in KOMMANDON:
        return lambda rapport: skriv(bygg(namn, rapport), rapport)
    raise AttributeError(f"module {__name__!r} has no attribute {namn!r}")
