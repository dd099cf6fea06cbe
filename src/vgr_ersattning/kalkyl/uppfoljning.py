"""Regelboken §10 – uppföljning: indikatorer med målvärden, bedömda per uppföljningstillfälle.

Perioder: en månad `2026-08`, ett tertial `2026-T1`…`2026-T3` (delår augusti är `2026-T2`) och ett
år `2026` (helår, ÅR). Gränser gäller som de är skrivna: "≤ 90 %" är uppfyllt vid 90. Målvärdet är det
som gäller (§18) i periodens sista månad: ett beslut som ändrar ett målvärde från en månad ändrar
bedömningen av perioder som slutar den månaden eller senare.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence, Union

from vgr_ersattning.kalkyl.parametrar import Serie
from vgr_ersattning.kalkyl.period import AR, MANAD, TERTIAL, Period, arets_perioder, tolka_period
from vgr_ersattning.kalkyl.plan import maluppfyllelse_hittills
from vgr_ersattning.kalkyl.resultat import UTFALL
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.modell import Indikator, Volymer

Varde = Union[Decimal, str]

UPPFYLLT, EJ_UPPFYLLT, SAKNAR_UTFALL, EJ_BEDOMBART, INFORMATION = (
    "uppfyllt", "ej_uppfyllt", "saknar_utfall", "ej_bedombart", "information")
STATUSTEXT = {UPPFYLLT: "uppfyllt", EJ_UPPFYLLT: "ej uppfyllt", SAKNAR_UTFALL: "saknar utfall",
              EJ_BEDOMBART: "ej bedömbart (inget föregående värde)", INFORMATION: "information (rapporteras, bedöms inte)"}

def arets_tillfallen(ar: int) -> list[Period]:
    """Årets alla uppföljningstillfällen (månader, tertial, året) i kronologisk ordning."""
    return arets_perioder(ar, (MANAD, TERTIAL, AR))


def ar_aktuell(ind: Indikator, period: Period) -> bool:
    """Om indikatorn följs upp vid periodens tillfälle; ett månadsvis tillfälle bara de månader som
    indikatorn anger (`manader`, t.ex. september–november efter antagande A9), annars varje månad."""
    if period.tillfalle not in ind.tillfallen:
        return False
    return period.slag != MANAD or ind.manader is None or period.nummer in ind.manader


JAMFORELSE = {
    "minst": formel("regelboken §10", "uppfyllt(utfall, målvärde) = (utfall >= målvärde)", "Uppfyllt", ""),
    "hogst": formel("regelboken §10", "uppfyllt(utfall, målvärde) = (utfall <= målvärde)", "Uppfyllt", ""),
    "exakt": formel("regelboken §10", "uppfyllt(utfall, målvärde) = (utfall == målvärde)", "Uppfyllt", ""),
    "ja_nej": formel("regelboken §10", "uppfyllt(utfall, målvärde) = (utfall == målvärde)", "Uppfyllt", ""),
    "ska_oka": formel("regelboken §10", "uppfyllt(utfall, föregående) = (utfall > föregående)", "Uppfyllt", "",
                      antaganden=("A15",)),
    "ska_minska": formel("regelboken §10", "uppfyllt(utfall, föregående) = (utfall < föregående)", "Uppfyllt", "",
                         antaganden=("A15",)),
}


def _bedom(r: Rakning, ind: Indikator, utfall, foregaende, malvarde, period=None, namn=None) -> tuple[str, object]:
    """Status och (med en skrivare) noden som förklarar den."""
    if ind.typ == "information":
        return INFORMATION, None
    if r.ut(utfall) is None:
        return SAKNAR_UTFALL, None
    jamfor_med = foregaende if ind.typ in ("ska_oka", "ska_minska") else malvarde
    if r.ut(jamfor_med) is None:
        return EJ_BEDOMBART, None
    ok = r.anvand(JAMFORELSE[ind.typ], period, utfall, jamfor_med, namn=namn)
    return (UPPFYLLT if r.ut(ok) else EJ_UPPFYLLT), ok


def bedom(ind: Indikator, utfall: Optional[Varde], foregaende: Optional[Varde] = None) -> str:
    """Regelboken §10: status för ett utfall mot indikatorns målvärde (`ind.malvarde`, det som gäller)."""
    return _bedom(RAKNA, ind, utfall, foregaende, ind.malvarde)[0]


@dataclass(frozen=True)
class Bedomning:
    """En indikators bedömning vid en period. `indikator` bär målvärdet som gäller i periodens sista
    månad (§18; ett beslutat målvärde ersätter dokumentets text)."""

    id: str
    indikator: Indikator
    period: Period
    utfall: Optional[Varde]
    foregaende: Optional[Varde]
    status: str


def malvarde_i_kraft(ind: Indikator, malvarde: Optional[Serie], period: Period) -> Indikator:
    """Indikatorn med målvärdet som gäller i periodens sista månad (samma indikator utan beslut)."""
    if malvarde is None:
        return ind
    mal = malvarde.i(period.sista_manad).varde
    return ind if mal == ind.malvarde else ind.model_copy(update={"malvarde": mal, "malvarde_text": None})


def berakna_uppfoljning(indikatorer: Mapping[str, Indikator], utfall: Mapping[str, Mapping[str, Varde]],
                        period: Period, beraknade: Mapping[str, Mapping[str, Varde]] | None = None,
                        malvarden: Mapping[str, Serie] | None = None, spar: Optional[Rakning] = None,
                        ) -> list[Bedomning]:
    """Varje indikator som är aktuell vid perioden, med utfall och status.

    `utfall` är indikator-id → period (text) → värde; `beraknade` har samma form för indikatorer
    som räknas fram (måluppfyllelsen ur produktionen) och går före inskrivna värden. `malvarden` är
    målvärdena som gäller varje månad (§18); utan dem gäller indikatorernas. Med `spar` antecknas
    varje bedömning (`("indikator", id)`).
    """
    r = spar or RAKNA
    beraknade = beraknade or {}
    malvarden = malvarden or {}
    ut = []
    for iid, ind in indikatorer.items():
        if not ar_aktuell(ind, period):
            continue
        varden = beraknade.get(iid) if ind.berakning else utfall.get(iid)
        varden = varden or {}
        nu = varden.get(str(period))
        fore = varden.get(str(period.foregaende()))
        serie = malvarden.get(iid)
        ind = malvarde_i_kraft(ind, serie, period)
        status, nod = _bedom(
            r, ind, _indikatorvarde(r, ind, iid, period, nu),
            _indikatorvarde(r, ind, iid, period.foregaende(), fore),
            r.las(serie.i(period.sista_manad)) if serie is not None else ind.malvarde,
            str(period), ind.namn)
        r.spara(("indikator", iid), nod if nod is not None else r.indata(ind.namn, str(period), STATUSTEXT[status]))
        ut.append(Bedomning(iid, ind, period, nu, fore, status))
    return ut


def _indikatorvarde(r: Rakning, ind: Indikator, iid: str, period: Period, varde):
    """Ett utfall för indikatorn, med källan: utfallsfilen, eller produktionen (§5) för en beräknad; None
    när det saknas."""
    if varde is None:
        return None
    if ind.berakning:
        return r.indata("Utfall (utfall hittills / plan hittills, §5)", str(period), varde, ind.enhet or "")
    return r.indata("Utfall", str(period), varde, ind.enhet or "", UTFALL, "indikatorer", iid, str(period))


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
