"""Regelboken §10 – uppföljning: indikatorer med målvärden, bedömda per uppföljningstillfälle.

Perioder: en månad `2026-08`, ett tertial `2026-T1`…`2026-T3` (delår augusti är `2026-T2`) och ett
år `2026` (helår, ÅR). Gränser gäller som de är skrivna: "≤ 90 %" är uppfyllt vid 90.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence, Union

from vgr_ersattning.kalkyl.period import AR, MANAD, TERTIAL, Period, arets_perioder, tolka_period
from vgr_ersattning.kalkyl.plan import maluppfyllelse_hittills
from vgr_ersattning.modell import Indikator, Volymer

Varde = Union[Decimal, str]

UPPFYLLT, EJ_UPPFYLLT, SAKNAR_UTFALL, EJ_BEDOMBART, INFORMATION = (
    "uppfyllt", "ej_uppfyllt", "saknar_utfall", "ej_bedombart", "information")

def arets_tillfallen(ar: int) -> list[Period]:
    """Årets alla uppföljningstillfällen (månader, tertial, året) i kronologisk ordning."""
    return arets_perioder(ar, (MANAD, TERTIAL, AR))


def ar_aktuell(ind: Indikator, period: Period) -> bool:
    """Om indikatorn följs upp vid periodens tillfälle."""
    return period.tillfalle in ind.tillfallen


def bedom(ind: Indikator, utfall: Optional[Varde], foregaende: Optional[Varde] = None) -> str:
    """Regelboken §10: status för ett utfall mot indikatorns målvärde."""
    if ind.typ == "information":
        return INFORMATION
    if utfall is None:
        return SAKNAR_UTFALL
    if ind.typ == "ja_nej":
        return UPPFYLLT if utfall == ind.malvarde else EJ_UPPFYLLT
    if ind.typ in ("ska_oka", "ska_minska"):
        if foregaende is None:
            return EJ_BEDOMBART
        battre = utfall > foregaende if ind.typ == "ska_oka" else utfall < foregaende
        return UPPFYLLT if battre else EJ_UPPFYLLT
    mal = ind.malvarde
    ok = {"minst": utfall >= mal, "hogst": utfall <= mal, "exakt": utfall == mal}[ind.typ]
    return UPPFYLLT if ok else EJ_UPPFYLLT


@dataclass(frozen=True)
class Bedomning:
    id: str
    indikator: Indikator
    period: Period
    utfall: Optional[Varde]
    foregaende: Optional[Varde]
    status: str


def berakna_uppfoljning(indikatorer: Mapping[str, Indikator], utfall: Mapping[str, Mapping[str, Varde]],
                        period: Period, beraknade: Mapping[str, Mapping[str, Varde]] | None = None) -> list[Bedomning]:
    """Varje indikator som är aktuell vid perioden, med utfall och status.

    `utfall` är indikator-id → period (text) → värde; `beraknade` har samma form för indikatorer
    som räknas fram (måluppfyllelsen ur produktionen) och går före inskrivna värden.
    """
    beraknade = beraknade or {}
    ut = []
    for iid, ind in indikatorer.items():
        if not ar_aktuell(ind, period):
            continue
        varden = beraknade.get(iid) if ind.berakning else utfall.get(iid)
        varden = varden or {}
        nu = varden.get(str(period))
        fore = varden.get(str(period.foregaende()))
        ut.append(Bedomning(iid, ind, period, nu, fore, bedom(ind, nu, fore)))
    return ut


def beraknade_varden(indikatorer: Mapping[str, Indikator], volymer: Volymer,
                     produktion: Mapping[str, Sequence[int]], ar: int, sista_manad: int) -> dict[str, dict[str, Varde]]:
    """Regelboken §5 och §10: värdena för indikatorer som räknas ur produktionen (`berakning: produktion`),
    måluppfyllelsen i procent för varje period av året som slutar senast `sista_manad`."""
    perioder = [p for p in arets_tillfallen(ar) if p.sista_manad <= sista_manad]
    ut: dict[str, dict[str, Varde]] = {}
    for iid, ind in indikatorer.items():
        if ind.berakning == "produktion":
            ut[iid] = {str(p): v for p in perioder
                       if (v := maluppfyllelse_hittills(volymer, produktion, p.sista_manad)) is not None}
    return ut


def senaste_period(*varden: Mapping[str, Mapping[str, Varde]], ar: int) -> Optional[Period]:
    """Den senaste perioden i året `ar` som har något värde (standard för `uppfoljning`)."""
    tolkade = (tolka_period(p) for v in varden for per_indikator in v.values() for p in per_indikator)
    i_aret = [p for p in tolkade if p is not None and p.ar == ar]
    return max(i_aret, key=lambda p: p.ordning) if i_aret else None


def kalender(indikatorer: Mapping[str, Indikator], ar: int) -> list[tuple[Period, list[str]]]:
    """Per tillfälle under året: id:n på de indikatorer som ska rapporteras."""
    return [(p, [iid for iid, ind in indikatorer.items() if ar_aktuell(ind, p)]) for p in arets_tillfallen(ar)]
