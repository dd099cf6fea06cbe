"""Regelboken §5 – planen per månad och måluppfyllelse.

Månadsplanen är `uppdrag × kumulativ profilandel`. Standardprofilen är 1/12 i månaden; datan kan
ge en profil per rad eller per grupp (tolv andelar som summerar till exakt 1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Optional, Sequence

from vgr_ersattning.modell import Volymer

_STANDARD = tuple(Decimal(m) / Decimal(12) for m in range(13))


def profil_for(volymer: Volymer, rad_id: str) -> Optional[Sequence[Decimal]]:
    """Radens profil: radens egen, annars den närmaste gruppens, annars ingen (1/12 i månaden)."""
    rad = volymer.rader[rad_id]
    if rad.profil is not None:
        return rad.profil
    delar = rad_id.split(".")
    for n in (2, 1):
        grupp = ".".join(delar[:n])
        if grupp in volymer.profiler:
            return volymer.profiler[grupp]
    return None


def kumulativ_andel(profil: Optional[Sequence[Decimal]], manad: int) -> Decimal:
    """Andelen av året som är planerad till och med `manad` (0–12)."""
    if profil is None:
        return _STANDARD[manad]
    return sum(profil[:manad], Decimal(0))


def plan_hittills(volymer: Volymer, rad_id: str, manad: int) -> Decimal:
    """Planerad produktion hittills i år på raden: uppdrag × kumulativ andel (oavrundad)."""
    return volymer.rader[rad_id].uppdrag * kumulativ_andel(profil_for(volymer, rad_id), manad)


def maluppfyllelse(utfall: Decimal | int, plan: Decimal | int) -> Optional[Decimal]:
    """Utfall hittills / plan hittills som andel (1 = 100 %); None när planen är 0."""
    if plan == 0:
        return None
    return Decimal(utfall) / Decimal(plan)


def maluppfyllelse_hittills(volymer: Volymer, produktion: Mapping[str, Sequence[int]], manad: int) -> Optional[Decimal]:
    """Regelboken §5 över alla rader: Σ utfall hittills / Σ plan hittills t.o.m. `manad`, i procent."""
    utfall = sum(sum(v[:manad]) for rid, v in produktion.items() if rid in volymer.rader)
    plan = sum((plan_hittills(volymer, rid, manad) for rid in volymer.rader), Decimal(0))
    andel = maluppfyllelse(utfall, plan)
    return None if andel is None else andel * 100
