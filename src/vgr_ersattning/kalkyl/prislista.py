"""Tabellen Priser (regelboken §24): varje sjukhus pris per rad och hur långt det ligger från
det kalkylerade priset. Visas av `ersattning priser`; inget i ersättningen bygger på tabellen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from vgr_ersattning.modell import Priser

KALKYLERAT = "kalkylerat"


@dataclass(frozen=True)
class Pris:
    utforare: str
    pris_kr: Optional[Decimal]            # None: inget pris ("-" i tabellen)
    kalkylerat_kr: Optional[Decimal]

    @property
    def differens_kr(self) -> Optional[Decimal]:
        """Pris − kalkylerat pris; None när något av dem saknas."""
        if self.pris_kr is None or self.kalkylerat_kr is None:
            return None
        return self.pris_kr - self.kalkylerat_kr

    @property
    def andel(self) -> Optional[Decimal]:
        """Differensen som andel av det kalkylerade priset (0,02 = 2 % över)."""
        d = self.differens_kr
        if d is None or not self.kalkylerat_kr:
            return None
        return d / self.kalkylerat_kr


@dataclass(frozen=True)
class Prisrad:
    id: str
    grupp: str
    namn: str
    kalkylerat_kr: Optional[Decimal]
    priser: tuple[Pris, ...]


def prislista(priser: Priser) -> tuple[Prisrad, ...]:
    """Varje rad i tabellen med sjukhusens priser och avståndet till det kalkylerade priset."""
    if priser.priser is None:
        return ()
    ut = []
    for rid, r in priser.priser.rader.items():
        kalk = r.pris_kr.get(KALKYLERAT)
        ut.append(Prisrad(rid, r.grupp, r.namn, kalk, tuple(
            Pris(u, p, kalk) for u, p in r.pris_kr.items() if u != KALKYLERAT)))
    return tuple(ut)
