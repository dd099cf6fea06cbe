"""Regelboken §6 – anslaget, den fasta ersättningen, betalt månadsvis i hela kronor."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from vgr_ersattning.pengar import HUNDRA, avrunda, tkr_till_kr


@dataclass(frozen=True)
class Anslagsresultat:
    ram_tkr: Decimal
    fast_andel_procent: Decimal
    manader: tuple[Decimal, ...]   # tolv utbetalningar i kr, januari först
    till_och_med: int

    @property
    def arsbelopp_kr(self) -> Decimal:
        return sum(self.manader, Decimal(0))

    @property
    def utbetalt_kr(self) -> Decimal:
        return sum(self.manader[: self.till_och_med], Decimal(0))


def manadsbelopp(ar_kr: Decimal) -> tuple[Decimal, ...]:
    """Januari–november `round_half_up(ar/12)`, december resten: summan är exakt årsbeloppet."""
    manad = avrunda(ar_kr / Decimal(12))
    return (manad,) * 11 + (ar_kr - manad * 11,)


# Regelboken §6: anslaget är helt fast när uppdraget inte anger någon annan andel.
STANDARD_FAST_ANDEL_PROCENT = HUNDRA


def berakna_anslag(ram_tkr: Decimal, fast_andel_procent: Decimal | None = None,
                   till_och_med: int = 12) -> Anslagsresultat:
    """Regelboken §6: ramen (tkr) gånger den fasta andelen, i tolv månadsbelopp i kronor."""
    if fast_andel_procent is None:
        fast_andel_procent = STANDARD_FAST_ANDEL_PROCENT
    ar_kr = tkr_till_kr(ram_tkr) * fast_andel_procent / HUNDRA
    return Anslagsresultat(ram_tkr, fast_andel_procent, manadsbelopp(ar_kr), till_och_med)
