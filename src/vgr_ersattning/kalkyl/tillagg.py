"""REGLER §4 – tilläggsersättning: produktion över basen betalas per enhet upp till tillägget.

`ersatta(u) = min(max(u − bas, 0), tillägg)`, `belopp = ersatta × pris`; månadens utbetalning är
skillnaden mellan beloppen hittills i år till och med månaden och till och med månaden före.
Utan utfall är produktionen planen (uppdrag på varje rad): hela tillägget betalas.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence

from vgr_ersattning.kalkyl.plan import kumulativ_andel, maluppfyllelse, profil_for
from vgr_ersattning.modell import Priser, Volymer

NOLL = Decimal(0)


class SaknatPris(ValueError):
    """En rads priskategori har inget pris för utföraren."""

    def __init__(self, rad_id: str, kategori: str, utforare: str):
        super().__init__(f"{rad_id}: priskategorin {kategori!r} har inget pris för {utforare}")
        self.rad_id, self.kategori, self.utforare = rad_id, kategori, utforare


def pris_for(priser: Priser, kategori: str, utforare: str) -> Optional[Decimal]:
    """Priset i kronor för en priskategori hos en utförare, eller None om det saknas."""
    k = priser.tillagg.get(kategori)
    if k is None:
        return None
    if k.pris_kr is not None:
        return k.pris_kr
    return (k.per_utforare or {}).get(utforare)


def ersatta(utfall: Decimal | int, bas: Decimal | int, tillagg: int) -> Decimal | int:
    """REGLER §4: antal ersatta enheter, `min(max(u − bas, 0), tillägg)`."""
    over = utfall - bas
    if over <= 0:
        return 0
    return over if over < tillagg else tillagg


@dataclass(frozen=True)
class Radresultat:
    id: str
    namn: str
    uppdrag: int
    bas: int
    tillagg: int
    priskategori: str
    pris_kr: Decimal
    utfall: Decimal | int          # produktion hittills i år (planens är oavrundad)
    plan: Decimal                  # plan hittills i år (REGLER §5)
    ersatta: Decimal | int
    belopp_kr: Decimal
    antagande: Optional[str]

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        return maluppfyllelse(self.utfall, self.plan)


@dataclass(frozen=True)
class Tillaggsresultat:
    utforare: str
    till_och_med: int
    ar_plan: bool                  # True när ingen utfallsdata gavs: produktion = plan
    rader: tuple[Radresultat, ...]
    manader: tuple[Decimal, ...]   # utbetalning per månad 1..till_och_med, kr

    @property
    def summa_kr(self) -> Decimal:
        return sum((r.belopp_kr for r in self.rader), NOLL)

    @property
    def utfall(self) -> Decimal:
        return sum((Decimal(r.utfall) for r in self.rader), NOLL)

    @property
    def plan(self) -> Decimal:
        return sum((r.plan for r in self.rader), NOLL)

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        """REGLER §5: utfall hittills / plan hittills över alla rader med plan."""
        return maluppfyllelse(self.utfall, self.plan)

    @property
    def antaganden(self) -> tuple[str, ...]:
        return tuple(sorted({r.antagande for r in self.rader if r.antagande and r.ersatta}))


def _bas_hittills(bas: int, profil, manad: int, periodiserad: bool) -> Decimal | int:
    """Antagande A2: årsbasen fylls först; `periodiserad` fyller basen efter planprofilen."""
    return bas * kumulativ_andel(profil, manad) if periodiserad else bas


def berakna_tillagg(
    volymer: Volymer,
    priser: Priser,
    utforare: str,
    produktion: Optional[Mapping[str, Sequence[int]]] = None,
    till_och_med: int = 12,
    basmodell: str = "arsbas",
) -> Tillaggsresultat:
    """REGLER §4 och §5 för en utförare.

    `produktion` är månadsantal per rad-id (tolv tal, januari först); rader som saknas har
    produktionen 0. Utan `produktion` räknas planen: produktion hittills = uppdrag × kumulativ andel.
    """
    periodiserad = basmodell == "periodiserad"
    rader = []
    per_manad = [NOLL] * (till_och_med + 1)      # belopp hittills t.o.m. månad m, index 0 = 0
    for rid, rad in volymer.rader.items():
        pris = pris_for(priser, rad.priskategori, utforare)
        if pris is None:
            raise SaknatPris(rid, rad.priskategori, utforare)
        profil = profil_for(volymer, rid)
        manader = None if produktion is None else produktion.get(rid)
        hittills: Decimal | int = 0
        e: Decimal | int = 0           # ersatta hittills; efter loopen värdet t.o.m. `till_och_med`
        for m in range(1, till_och_med + 1):
            if produktion is None:
                hittills = rad.uppdrag * kumulativ_andel(profil, m)
            elif manader is not None:
                hittills += manader[m - 1]
            e = ersatta(hittills, _bas_hittills(rad.bas, profil, m, periodiserad), rad.tillagg)
            per_manad[m] += e * pris
        rader.append(Radresultat(
            id=rid, namn=rad.namn, uppdrag=rad.uppdrag, bas=rad.bas, tillagg=rad.tillagg,
            priskategori=rad.priskategori, pris_kr=pris, utfall=hittills,
            plan=rad.uppdrag * kumulativ_andel(profil, till_och_med),
            ersatta=e, belopp_kr=e * pris, antagande=rad.antagande,
        ))
    betalningar = tuple(per_manad[m] - per_manad[m - 1] for m in range(1, till_och_med + 1))
    return Tillaggsresultat(utforare, till_och_med, produktion is None, tuple(rader), betalningar)
