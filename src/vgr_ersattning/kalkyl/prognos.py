"""Regelboken §16 – prognos för året (antagande A7).

En rads produktion för månaderna efter den sista månaden med utfall är planen för de månaderna
(§5) gånger radens takt mot planen hittills, `utfall hittills / plan hittills` (1 när planen hittills
är 0). Årets prognos per rad avrundas half up till hela enheter och värderas med §4 (`berakna_rad`):
prognosen är en produktion som alla andra, och regeln finns bara på ett ställe.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence

from vgr_ersattning.kalkyl.plan import kumulativ_andel, profil_for
from vgr_ersattning.kalkyl.tillagg import STANDARD_BASMODELL, Radresultat, berakna_rad, radens_pris
from vgr_ersattning.modell import Priser, Tillaggsregler, Volymer
from vgr_ersattning.pengar import avrunda

NOLL = Decimal(0)
ETT = Decimal(1)


@dataclass(frozen=True)
class Prognosrad:
    id: str
    namn: str
    bas: int
    tillagg: int
    utfall: int                     # produktion t.o.m. sista månaden med utfall
    plan_hittills: Decimal          # plan t.o.m. samma månad (§5)
    takt: Decimal                   # utfall / plan hittills; 1 när planen hittills är 0
    plan_resten: Decimal            # planerad produktion för resten av året
    prognos_antal: int              # årets prognos: avrunda(utfall + plan resten × takt), hela enheter
    kumulativ: tuple[Decimal, ...]  # prognosens produktion hittills per månad 1–12 (oavrundad efter m)
    resultat: Radresultat           # §4 på årets prognos
    tak_manad: Optional[int]        # månaden då prognosen når bas + tillägg, om det sker före december

    @property
    def belopp_kr(self) -> Decimal:
        return self.resultat.belopp_kr

    @property
    def utan_ersattning(self) -> int:
        """Produktion över bas + tillägg, som inte ersätts."""
        return max(self.prognos_antal - self.bas - self.tillagg, 0)

    @property
    def nar_inte_basen(self) -> bool:
        return self.tillagg > 0 and self.prognos_antal <= self.bas


@dataclass(frozen=True)
class Prognos:
    utforare: str
    till_och_med: int               # sista månaden med utfall; månaderna efter är prognos
    rader: tuple[Prognosrad, ...]
    plan_per_manad: tuple[Decimal, ...]      # planerad produktion hittills, alla rader, månad 1–12
    utfall_per_manad: tuple[Decimal, ...]    # utfall hittills, alla rader, månad 1..till_och_med
    prognos_per_manad: tuple[Decimal, ...]   # prognosens produktion hittills, alla rader, månad 1–12
    antagande: Optional[str]
    basmodell_antagande: Optional[str]

    @property
    def tillagg_kr(self) -> Decimal:
        return sum((r.belopp_kr for r in self.rader), NOLL)

    @property
    def nar_inte_basen(self) -> tuple[Prognosrad, ...]:
        return tuple(r for r in self.rader if r.nar_inte_basen)

    @property
    def nar_taket_tidigt(self) -> tuple[Prognosrad, ...]:
        return tuple(r for r in self.rader if r.tak_manad is not None)

    @property
    def utan_ersattning(self) -> tuple[Prognosrad, ...]:
        return tuple(r for r in self.rader if r.utan_ersattning > 0)

    @property
    def antaganden(self) -> tuple[str, ...]:
        return tuple(sorted({a for a in (self.antagande, self.basmodell_antagande) if a}
                            | {r.resultat.antagande for r in self.rader if r.resultat.antagande and r.resultat.ersatta}))


def takt(utfall: Decimal | int, plan: Decimal) -> Decimal:
    """Antagande A7: radens takt mot planen hittills; 1 när planen hittills är 0."""
    if plan == 0:
        return ETT
    return Decimal(utfall) / plan


def prognos_antal(utfall: int, plan_resten: Decimal, radens_takt: Decimal) -> int:
    """Antagande A7: årets prognos i hela enheter, half up."""
    return int(avrunda(utfall + plan_resten * radens_takt))


def berakna_prognos(volymer: Volymer, priser: Priser, utforare: str, produktion: Mapping[str, Sequence[int]],
                    till_och_med: int, regler: Optional[Tillaggsregler] = None,
                    antagande: Optional[str] = None) -> Prognos:
    """Regelboken §16 för varje rad: utfall t.o.m. `till_och_med`, prognos för resten av året och §4 på
    årets prognos."""
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    rader = []
    plan_m = [NOLL] * 12
    utfall_m = [NOLL] * till_och_med
    prognos_m = [NOLL] * 12
    for rid, rad in volymer.rader.items():
        pris, sokvag = radens_pris(priser, rid, rad, utforare)
        profil = profil_for(volymer, rid)
        manader = list(produktion.get(rid, [0] * 12))
        u = sum(manader[:till_och_med])
        plan_hittills = rad.uppdrag * kumulativ_andel(profil, till_och_med)
        radens_takt = takt(u, plan_hittills)
        plan_resten = rad.uppdrag * (ETT - kumulativ_andel(profil, till_och_med))
        antal = prognos_antal(u, plan_resten, radens_takt)
        # Prognosens produktion per månad: utfallet, sedan planens månader × takten; december tar
        # avrundningen, så året blir exakt `antal`.
        kumulativ = []
        for m in range(1, 13):
            if m <= till_och_med:
                kumulativ.append(Decimal(sum(manader[:m])))
            else:
                kumulativ.append(u + (rad.uppdrag * (kumulativ_andel(profil, m) - kumulativ_andel(profil, till_och_med)))
                                 * radens_takt)
        kumulativ[11] = Decimal(antal)
        arsproduktion = manader[:till_och_med] + [0] * (11 - till_och_med) + [antal - u] if till_och_med < 12 else manader
        res = berakna_rad(rid, rad, pris, sokvag, profil, arsproduktion,
                          False, 12, basmodell)
        grans = rad.bas + rad.tillagg
        tak = next((m for m in range(1, 12) if rad.tillagg > 0 and kumulativ[m - 1] >= grans), None)
        rader.append(Prognosrad(rid, rad.namn, rad.bas, rad.tillagg, u, plan_hittills, radens_takt, plan_resten, antal,
                                tuple(kumulativ), res, tak))
        for m in range(12):
            plan_m[m] += rad.uppdrag * kumulativ_andel(profil, m + 1)
            prognos_m[m] += kumulativ[m]
        for m in range(till_och_med):
            utfall_m[m] += sum(manader[:m + 1])
    return Prognos(utforare, till_och_med, tuple(rader), tuple(plan_m), tuple(utfall_m), tuple(prognos_m), antagande,
                   regler.antagande if regler else None)
