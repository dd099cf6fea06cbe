"""Regelboken §7 – avräkning av poster med avräkning vid april, augusti och december.

Vid avräkningsmånad m: `betalt = L × m/12`, `berättigat = min(utfall hittills, tak)`,
`reglerat hittills = berättigat − betalt`; postningen vid m är skillnaden mot föregående
avräkningsmånad. Antagande A5: taket är pro rata (`L × m/12`) före december, i december L.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.modell import Avrakning

NOLL = Decimal(0)
TOLV = Decimal(12)


class Tillfalle(NamedTuple):
    manad: int
    utfall_tkr: Decimal        # utfall hittills i år
    tak_tkr: Decimal
    utbetalt_tkr: Decimal      # betalt hittills, L × m/12
    reglerat_hittills_tkr: Decimal
    reglering_tkr: Decimal     # postningen vid tillfället


class Postresultat(NamedTuple):
    id: str
    namn: str
    niva_tkr: Decimal
    tillfallen: tuple[Tillfalle, ...]
    saknar_utfall: bool = False

    @property
    def reglering_tkr(self) -> Decimal:
        return sum((t.reglering_tkr for t in self.tillfallen), NOLL)


class Avrakningsresultat(NamedTuple):
    poster: tuple[Postresultat, ...]
    antagande: str | None

    @property
    def summa_reglering_tkr(self) -> Decimal:
        return sum((p.reglering_tkr for p in self.poster), NOLL)


def tak(niva_tkr: Decimal, manad: int, regel: str) -> Decimal:
    """Antagande A5: pro rata före december (eller hela nivån med regeln `helt`), i december L."""
    if manad == 12 or regel == "helt":
        return niva_tkr
    return niva_tkr * manad / TOLV


def avrakna_post(niva_tkr: Decimal, utfall_per_manad: Mapping[int, Decimal], manader: list[int],
                 regel: str, till_och_med: int, niva_per_manad: Optional[Sequence[Decimal]] = None
                 ) -> tuple[Tillfalle, ...]:
    """Regelboken §7 för en post: ett tillfälle per avräkningsmånad till och med `till_och_med`.

    Med `niva_per_manad` (en nivå ändrad genom beslut, §18) är det betalda och pro rata-taket vid m
    `Σ_{t ≤ m} L_t / 12` (antagande A5 med daterade nivåer); med regeln `helt` är taket nivån i månad m."""
    ut = []
    foregaende = NOLL
    for m in sorted(manader):
        if m > till_och_med:
            break
        hittills = sum((v for k, v in utfall_per_manad.items() if k <= m), NOLL)
        if niva_per_manad is not None and len(set(niva_per_manad)) > 1:
            betalt = sum(niva_per_manad[:m], NOLL) / TOLV
            grans = niva_per_manad[m - 1] if regel == "helt" else betalt
        elif niva_per_manad is not None:    # en nivå beslutad från januari gäller hela året
            betalt = niva_per_manad[0] * m / TOLV
            grans = tak(niva_per_manad[0], m, regel)
        else:
            betalt = niva_tkr * m / TOLV
            grans = tak(niva_tkr, m, regel)
        reglerat = min(hittills, grans) - betalt
        ut.append(Tillfalle(m, hittills, grans, betalt, reglerat, reglerat - foregaende))
        foregaende = reglerat
    return tuple(ut)


def berakna_avrakning(avr: Avrakning, utfall: Mapping[str, Mapping[int, Decimal]],
                      till_och_med: int, niva_per_manad: Optional[Mapping[str, Sequence[Decimal]]] = None
                      ) -> Avrakningsresultat:
    """Regelboken §7 för alla poster med avräkning. En post utan något utfall avräknas inte (den är inte
    rapporterad än, vilket är något annat än utfallet 0) och markeras `saknar_utfall`."""
    poster = tuple(
        Postresultat(pid, p.namn, p.niva_tkr,
                     avrakna_post(p.niva_tkr, utfall[pid], avr.manader, avr.tak_fore_december, till_och_med,
                                  (niva_per_manad or {}).get(pid)))
        if pid in utfall else Postresultat(pid, p.namn, p.niva_tkr, (), saknar_utfall=True)
        for pid, p in avr.poster.items()
    )
    return Avrakningsresultat(poster, avr.antagande)
