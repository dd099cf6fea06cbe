"""Perioder: en typ och en tolkare för månader, kvartal, tertial och år.

`2026-08` är en månad, `2026-Q2` ett kvartal, `2026-T2` ett tertial (delår augusti) och `2026` ett
år. Allt som läser en period (utfallsfiler, kommandoraden, uppföljningen, 1177-kvartalen) går
genom `tolka`, så en period skrivs och tolkas på ett enda sätt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MANAD, KVARTAL, TERTIAL, AR = "manad", "kvartal", "tertial", "ar"

# Månadernas namn (index 0 = januari), skrivna en gång för kärnan och renderarna.
MANADSNAMN = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december")
ANTAL_MANADER = len(MANADSNAMN)

# Månader i ett kvartal och ett tertial; antal delperioder per år.
_LANGD = {MANAD: 1, KVARTAL: 3, TERTIAL: 4, AR: ANTAL_MANADER}
_ANTAL = {MANAD: ANTAL_MANADER, KVARTAL: 4, TERTIAL: 3, AR: 1}
_SLAGORD = {MANAD: "månad", KVARTAL: "kvartal", TERTIAL: "tertial", AR: "år"}
_BESTAMD = {MANAD: "månaden", KVARTAL: "kvartalet", TERTIAL: "tertialet", AR: "året"}
_FORMER = {MANAD: "ÅÅÅÅ-MM", KVARTAL: "ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4", TERTIAL: "ÅÅÅÅ-T1 … ÅÅÅÅ-T3", AR: "ÅÅÅÅ"}

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|([QqTt])(\d)))?$")


class Periodfel(ValueError):
    """En text som inte är en period av det slag som väntas. Meddelandet är en svensk rad."""


@dataclass(frozen=True, order=True)
class Period:
    """En period: `slag` är manad, kvartal, tertial eller ar; `nummer` är månaden, kvartalet eller
    tertialet (0 för ett år)."""

    ar: int
    slag: str
    nummer: int = 0

    def __str__(self) -> str:
        if self.slag == MANAD:
            return f"{self.ar}-{self.nummer:02d}"
        if self.slag == KVARTAL:
            return f"{self.ar}-Q{self.nummer}"
        if self.slag == TERTIAL:
            return f"{self.ar}-T{self.nummer}"
        return str(self.ar)

    @property
    def tillfalle(self) -> str:
        """Uppföljningstillfället som perioden motsvarar: `manad`, `Q1`–`Q4`, `T1`–`T3` eller `ar`."""
        if self.slag == KVARTAL:
            return f"Q{self.nummer}"
        if self.slag == TERTIAL:
            return f"T{self.nummer}"
        return self.slag

    @property
    def sista_manad(self) -> int:
        """Den sista månaden (1–12) som perioden omfattar."""
        return _LANGD[self.slag] * (self.nummer or 1)

    @property
    def forsta_manad(self) -> int:
        """Den första månaden (1–12) som perioden omfattar."""
        return self.sista_manad - _LANGD[self.slag] + 1

    @property
    def ordning(self) -> tuple[int, int, int]:
        """Kronologisk ordning: en period efter sin sista månad, längre perioder efter kortare."""
        return (self.ar, self.sista_manad, _LANGD[self.slag])

    def foregaende(self) -> Period:
        """Föregående period av samma slag (månaden före, tertialet före, året före)."""
        if self.slag == AR:
            return Period(self.ar - 1, AR)
        if self.nummer == 1:
            return Period(self.ar - 1, self.slag, _ANTAL[self.slag])
        return Period(self.ar, self.slag, self.nummer - 1)


def manad(ar: int, nummer: int) -> Period:
    return Period(ar, MANAD, nummer)


def tolka_period(text: object) -> Period | None:
    """`2026-08`, `2026-Q2`, `2026-T2` eller `2026` → Period; None om texten inte är en period."""
    m = _PERIOD.match(str(text).strip())
    if not m:
        return None
    ar = int(m.group(1))
    if m.group(2) is not None:
        if len(m.group(2)) != 2:
            return None
        nummer = int(m.group(2))
        return Period(ar, MANAD, nummer) if 1 <= nummer <= ANTAL_MANADER else None
    if m.group(3) is not None:
        slag = KVARTAL if m.group(3) in "Qq" else TERTIAL
        nummer = int(m.group(4))
        return Period(ar, slag, nummer) if 1 <= nummer <= _ANTAL[slag] else None
    return Period(ar, AR)


def tolka(text: object, *, slag: tuple[str, ...] = (MANAD, KVARTAL, TERTIAL, AR),
          ar: int | None = None) -> Period:
    """Som `tolka_period`, men en text som inte är en period av något av `slag`, eller som ligger
    utanför året `ar`, är `Periodfel` med en svensk förklaring."""
    p = tolka_period(text)
    former = " eller ".join(_FORMER[s] for s in slag)
    if p is None:
        m = _PERIOD.match(str(text).strip())
        if m and (m.group(2) is not None and len(m.group(2)) == 2 or m.group(3) is not None):
            raise Periodfel(f"{str(text).strip()} finns inte (ange {former})")
        raise Periodfel(f"{str(text)!r} är ingen period av formen {former}"
                        if len(slag) > 1 else f"{str(text)!r} är inte {'en' if slag[0] == MANAD else 'ett'} {_SLAGORD[slag[0]]} på formen {former}")
    if p.slag not in slag:
        raise Periodfel(f"{text} är {'en' if p.slag == MANAD else 'ett'} {_SLAGORD[p.slag]}; här väntas {former}")
    if ar is not None and p.ar != ar:
        raise Periodfel(f"{_BESTAMD[p.slag]} {p} ligger utanför uppdragsåret {ar}")
    return p


def tolka_manad(text: object, ar: int) -> int:
    """En månad `ÅÅÅÅ-MM` i året `ar` → månadens nummer 1–12, annars `Periodfel`."""
    return tolka(text, slag=(MANAD,), ar=ar).nummer


def arets_perioder(ar: int, slag: tuple[str, ...] = (MANAD, TERTIAL, AR)) -> list[Period]:
    """Årets alla perioder av de givna slagen, i kronologisk ordning."""
    ut = [Period(ar, s, n) for s in slag for n in (range(1, _ANTAL[s] + 1) if s != AR else (0,))]
    return sorted(ut, key=lambda p: p.ordning)
