"""Regelboken §6 – anslaget, den fasta ersättningen, betalt månadsvis i hela kronor."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from vgr_ersattning.pengar import HUNDRA, avrunda, tkr_till_kr


class Anslagsresultat(NamedTuple):
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


def manadsbelopp_daterade(ar_kr_per_manad: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    """Regelboken §18: årets ram ändrad under året. Till den första ändrade månaden som §6; från den
    månaden t betalar varje månad till november `round_half_up((R_t − betalt före t) / (13 − t))` med
    ramen R_t som gäller då, och december resten: de tolv månaderna summerar exakt till den sista ramen."""
    forsta = next((t for t in range(1, 12) if ar_kr_per_manad[t] != ar_kr_per_manad[0]), None)
    if forsta is None:
        return manadsbelopp(ar_kr_per_manad[0])
    ut = list(manadsbelopp(ar_kr_per_manad[0])[:forsta])
    for t in range(forsta + 1, 12):
        ut.append(avrunda((ar_kr_per_manad[t - 1] - sum(ut, Decimal(0))) / Decimal(13 - t)))
    ut.append(ar_kr_per_manad[11] - sum(ut, Decimal(0)))
    return tuple(ut)


# Regelboken §6: anslaget är helt fast när uppdraget inte anger någon annan andel.
STANDARD_FAST_ANDEL_PROCENT = HUNDRA


def berakna_anslag(ram_tkr: Decimal, fast_andel_procent: Decimal | None = None,
                   till_och_med: int = 12, ram_per_manad: tuple[Decimal, ...] | None = None) -> Anslagsresultat:
    """Regelboken §6: ramen (tkr) gånger den fasta andelen, i tolv månadsbelopp i kronor. Med
    `ram_per_manad` (beslut under året, §18) fördelas den ändrade ramen över resten av året."""
    if fast_andel_procent is None:
        fast_andel_procent = STANDARD_FAST_ANDEL_PROCENT
    if ram_per_manad is not None and len(set(ram_per_manad)) > 1:
        ar_kr = tuple(tkr_till_kr(r) * fast_andel_procent / HUNDRA for r in ram_per_manad)
        return Anslagsresultat(ram_per_manad[11], fast_andel_procent, manadsbelopp_daterade(ar_kr), till_och_med)
    if ram_per_manad is not None:
        ram_tkr = ram_per_manad[0]      # ett beslut från januari: ramen som gäller hela året
    ar_kr = tkr_till_kr(ram_tkr) * fast_andel_procent / HUNDRA
    return Anslagsresultat(ram_tkr, fast_andel_procent, manadsbelopp(ar_kr), till_och_med)
