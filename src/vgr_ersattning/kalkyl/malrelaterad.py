"""Regelboken §9 – 1177:s målrelaterade ersättning (Regionhälsan), per kvartal efter en trappa.

Andelen `p` besvarade samtal inom 8 minuter på jourtid ger utbetalningsandelen; intervallen är
halvöppna på den oavrundade andelen. Antagande A3: under 25 % ges 0 %. Antagande A4: beloppet
gäller per år och betalas per kvartal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from vgr_ersattning.modell import Malrelaterad, Trappsteg
from vgr_ersattning.pengar import HUNDRA, mnkr_till_kr

NOLL = Decimal(0)


def andel_procent(besvarade: int, samtal: int) -> Decimal:
    """Andelen besvarade inom 8 minuter, i procent, oavrundad."""
    if samtal <= 0:
        raise ValueError("antalet samtal måste vara större än 0")
    return Decimal(besvarade) * HUNDRA / Decimal(samtal)


def trappsteg(trappa: list[Trappsteg], p: Decimal) -> Trappsteg:
    """Det högsta steg vars `fran_procent` ≤ p (halvöppna intervall: 74,99 % ger 95 %)."""
    for steg in trappa:  # fallande ordning, validerad i modellen
        if p >= steg.fran_procent:
            return steg
    return trappa[-1]


def kvartalsbelopp_kr(m: Malrelaterad) -> Decimal:
    """Antagande A4: ett kvartals andel av årsbeloppet, i kr (beloppet i mnkr / kvartal per belopp)."""
    return mnkr_till_kr(m.belopp_mnkr) / m.kvartal_per_belopp


@dataclass(frozen=True)
class Kvartalsresultat:
    kvartal: int
    andel_procent: Decimal
    steg: Trappsteg
    belopp_kr: Decimal

    @property
    def utbetalning_procent(self) -> Decimal:
        return self.steg.utbetalning_procent


@dataclass(frozen=True)
class Malrelateradresultat:
    kvartalsbelopp_kr: Decimal
    kvartal: tuple[Kvartalsresultat, ...]
    antaganden: tuple[str, ...]

    @property
    def summa_kr(self) -> Decimal:
        return sum((k.belopp_kr for k in self.kvartal), NOLL)


def berakna_malrelaterad(m: Malrelaterad, andelar: Mapping[int, Decimal]) -> Malrelateradresultat:
    """Regelboken §9 för varje kvartal med utfall (andel i procent per kvartal 1–4)."""
    bas = kvartalsbelopp_kr(m)
    kv = []
    for k in sorted(andelar):
        steg = trappsteg(m.trappa, andelar[k])
        kv.append(Kvartalsresultat(k, andelar[k], steg, bas * steg.utbetalning_procent / HUNDRA))
    antaganden = {m.antagande} if m.antagande else set()
    antaganden |= {s.antagande for s in m.trappa if s.antagande}
    return Malrelateradresultat(bas, tuple(kv), tuple(sorted(a for a in antaganden if a)))
