"""Rapportmodellens celler i varje format (regelboken §1, §13): ett värde och dess slag
(`rapport.modell`) blir text för människor (terminalen och HTML, svenskt talformat: `1 234 567`,
`2,2 %`, `augusti 2026`) eller maskinformat (CSV, JSON:s form, HTML:s `data-varde`: `1234567`,
`0.022`, `2026-08`). Alla skrivare läser cellerna härifrån, så ett värde visas lika överallt.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from vgr_ersattning.pengar import HUNDRA, maskin, svensk, svensk_procent
from vgr_ersattning.rapport.modell import (
    ANDEL,
    ANTAL,
    AR,
    KR,
    PROCENT,
    TAL,
    TALSLAG,
    TKR,
    Cell,
    Kolumn,
    Manad,
)

# Maskinformatets enhet per slag (hur många decimaler `pengar.maskin` behåller).
_MASKINENHET = {KR: "kr", TKR: "tkr", ANTAL: "antal", ANDEL: "procent", PROCENT: "procent", TAL: "procent"}


def tkr_text(v: Decimal) -> str:
    """tkr med de decimaler värdet har, högst tre (ett utfall kan ha decimaler, en nivå sällan)."""
    for d in (0, 1, 2):
        if v == round(v, d):
            return svensk(v, d)
    return svensk(v, 3)


def tal_text(v) -> str:
    """Ett antal eller belopp: heltal som heltal, bråk (planens tolftedelar) med två decimaler."""
    if v is None:
        return "–"
    d = Decimal(v)
    return svensk(d, 0 if d == d.to_integral_value() else 2)


def procent_text(andel: Decimal | None, decimaler: int = 1) -> str:
    """En andel (1 = 100 %) i procent: `85,0 %`."""
    return svensk_procent(andel * HUNDRA, decimaler) if andel is not None else "–"


def som_cell(v: Any) -> Cell:
    return v if isinstance(v, Cell) else Cell(v)


def slag(kolumn: Kolumn, c: Cell) -> str:
    return c.slag or kolumn.slag


def ar_tal(v: Any, s: str) -> bool:
    return s in TALSLAG and isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def for_manniskor(v: Any, s: str, decimaler: Optional[int] = None) -> str:
    """Värdet i svenskt format; tomt för None."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, Manad):
        return v.lang
    if isinstance(v, tuple):
        return "\n".join(map(str, v))
    if not ar_tal(v, s):
        return str(v)
    if s == TKR:
        return tkr_text(Decimal(v))
    if s == ANDEL:
        return procent_text(Decimal(v), 1 if decimaler is None else decimaler)
    if s == PROCENT:
        d = Decimal(v)
        return svensk_procent(d, decimaler if decimaler is not None else (0 if d == d.to_integral_value() else 2))
    if s == AR:
        return str(int(v))
    return tal_text(v)


def text(kolumn: Kolumn, c: Cell) -> str:
    """Cellen för människor: dess egen text, annars värdet i kolumnens (eller cellens) slag."""
    if c.text is not None:
        return c.text
    if c.etikett is not None:
        return c.etikett
    if c.varde is None:
        return kolumn.tom
    return for_manniskor(c.varde, slag(kolumn, c), kolumn.decimaler)


def maskinvarde(v: Any, s: str) -> Optional[str]:
    """Värdet i maskinformat som i JSON (`pengar.maskin`), eller None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, Manad):
        return str(v)
    if isinstance(v, tuple):
        return ";".join(map(str, v))
    if not ar_tal(v, s):
        return str(v)
    if s == AR:
        return str(int(v))
    return maskin(v, _MASKINENHET[s])


_ATTONDELAR = " ▏▎▍▌▋▊▉█"


def stapel(andel: Decimal | None, bredd: int = 10, skala: Decimal = Decimal("1.25"), tecken: str = "█") -> str:
    """En stapel av text: `bredd` tecken motsvarar `skala` (125 %); │ markerar 100 %. Läsbar utan färg."""
    if andel is None:
        return "–".ljust(bredd)
    attondelar = int(min(max(andel, Decimal(0)), skala) / skala * bredd * 8)
    hela, rest = divmod(attondelar, 8)
    text = tecken * hela + (_ATTONDELAR[rest] if rest and tecken == "█" else ("▒" if rest else ""))
    text = text.ljust(bredd)
    hundra = int(bredd / skala)
    if hundra < bredd and text[hundra] == " ":
        text = text[:hundra] + "│" + text[hundra + 1:]
    return text
