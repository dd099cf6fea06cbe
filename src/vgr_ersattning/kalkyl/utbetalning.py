"""Utbetalningen per månad: anslaget (REGLER §6), tillägget (§4) och avräkningens postningar (§7).

Summan här är `berakna`:s `summa_kr`; tabell och JSON läser den härifrån i stället för att räkna
var för sig.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from vgr_ersattning.pengar import tkr_till_kr

if TYPE_CHECKING:   # bara för typerna: planen (utan avräkning) ska inte behöva importera avrakning.py
    from vgr_ersattning.kalkyl.anslag import Anslagsresultat
    from vgr_ersattning.kalkyl.avrakning import Avrakningsresultat
    from vgr_ersattning.kalkyl.tillagg import Tillaggsresultat

NOLL = Decimal(0)


@dataclass(frozen=True)
class Manadsutbetalning:
    manad: int
    anslag_kr: Decimal
    tillagg_kr: Decimal
    avrakning_kr: Optional[Decimal]    # None när ingen avräkning postas den månaden

    @property
    def summa_kr(self) -> Decimal:
        return self.anslag_kr + self.tillagg_kr + (self.avrakning_kr or NOLL)


@dataclass(frozen=True)
class Utbetalning:
    manader: tuple[Manadsutbetalning, ...]
    med_avrakning: bool

    @property
    def anslag_kr(self) -> Decimal:
        return sum((m.anslag_kr for m in self.manader), NOLL)

    @property
    def tillagg_kr(self) -> Decimal:
        return sum((m.tillagg_kr for m in self.manader), NOLL)

    @property
    def avrakning_kr(self) -> Decimal:
        return sum((m.avrakning_kr or NOLL for m in self.manader), NOLL)

    @property
    def summa_kr(self) -> Decimal:
        return self.anslag_kr + self.tillagg_kr + self.avrakning_kr


def berakna_utbetalning(tillagg: Tillaggsresultat, anslag: Anslagsresultat,
                        avrakning: Optional[Avrakningsresultat]) -> Utbetalning:
    """Månad för månad t.o.m. tilläggets sista månad: anslag + tillägg + avräkningens postningar (kr)."""
    avr: dict[int, Decimal] = {}
    if avrakning is not None:
        for p in avrakning.poster:
            for tf in p.tillfallen:
                avr[tf.manad] = avr.get(tf.manad, NOLL) + tkr_till_kr(tf.reglering_tkr)
    manader = tuple(
        Manadsutbetalning(m, anslag.manader[m - 1], tillagg.manader[m - 1], avr.get(m))
        for m in range(1, tillagg.till_och_med + 1)
    )
    return Utbetalning(manader, avrakning is not None)
