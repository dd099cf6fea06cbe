"""Regelboken §16 – prognos för året (antagande A7), med värdena som gäller varje månad (§18).

En rads produktion för månaderna efter den sista månaden med utfall är planen för de månaderna (§5:
planen hittills i månad t är uppdraget som gäller i t × kumulativ andel) gånger radens takt mot planen
hittills, `utfall hittills / plan hittills` (1 när planen hittills är 0). Årets prognos per rad avrundas
half up till hela enheter och värderas med §4 (`berakna_rad`) månad för månad: en enhet som prognosen
lägger i en månad betalas med den månadens värden. Prognosen är en produktion som alla andra, och
regeln finns bara på ett ställe. Årets bas och tillägg (listorna) är decembers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Parametrar
from vgr_ersattning.kalkyl.plan import kumulativ_andel, profil_for
from vgr_ersattning.kalkyl.resultat import UTFALL, antagandeordning
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.kalkyl.tillagg import PLAN, STANDARD_BASMODELL, Radresultat, berakna_rad
from vgr_ersattning.modell import Tillaggsregler

NOLL = Decimal(0)
ETT = Decimal(1)

TAKT = formel("regelboken §16", "takt(utfall, plan) = utfall / plan", "Takt mot planen", "")
TAKT_UTAN_PLAN = formel("regelboken §16", "takt() = 1", "Takt mot planen (planen hittills är 0)", "")
# Planen för månaderna efter utfallet, plan(t) − plan(m) = uppdrag_t × andel_t − uppdrag_m × andel_m, i
# den form som är exakt när uppdraget är detsamma (utan beslut: uppdrag × (andel_t − andel_m)).
PLAN_EFTER = formel("regelboken §5", "plan(uppdrag, andel, uppdrag_hittills, andel_hittills) = uppdrag * (andel - "
                    "andel_hittills) + (uppdrag - uppdrag_hittills) * andel_hittills", "Plan efter utfallet", "antal")
PROGNOS_MANAD = formel("regelboken §16", "prognos(utfall, plan, takt) = utfall + plan * takt", "Prognos", "antal")
PROGNOS_AR = formel("regelboken §16", "prognos(utfall, plan_resten, takt) = avrunda(utfall + plan_resten * takt)",
                    "Prognos för året", "antal", hittills=False)


@dataclass(frozen=True)
class Prognosrad:
    id: str
    namn: str
    bas: int                        # decembers bas och tillägg (årets)
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
                            | {r.resultat.antagande for r in self.rader if r.resultat.antagande and r.resultat.ersatta},
                            key=antagandeordning))


def _takt(r: Rakning, m: int, utfall, plan, antaganden: tuple = ()):
    """Antagande A7: radens takt mot planen hittills; 1 när planen hittills är 0."""
    if r.ut(plan) == 0:
        return r.anvand(TAKT_UTAN_PLAN, m, antaganden=antaganden)
    return r.anvand(TAKT, m, utfall, plan, antaganden=antaganden)


def takt(utfall: Decimal | int, plan: Decimal) -> Decimal:
    """Antagande A7: radens takt mot planen hittills; 1 när planen hittills är 0."""
    return Decimal(_takt(RAKNA, 0, utfall, plan))


def prognos_antal(utfall: int, plan_resten: Decimal, radens_takt: Decimal) -> int:
    """Antagande A7: årets prognos i hela enheter, half up."""
    return int(PROGNOS_AR.f(utfall, plan_resten, radens_takt))


def berakna_prognos(p: Parametrar, produktion: Mapping[str, Sequence[int]], till_och_med: int,
                    regler: Optional[Tillaggsregler] = None, antagande: Optional[str] = None,
                    spar: Optional[Rakning] = None) -> Prognos:
    """Regelboken §16 för varje rad: utfall t.o.m. `till_och_med`, prognos för resten av året och §4 på
    årets prognos, med värdena som gäller varje månad. Med `spar` antecknas varje rads belopp för året
    (`("prognos", rad)`)."""
    p.kraver_priser()
    r = spar or RAKNA
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    bas_antagande = regler.antagande if regler else None
    ant = (antagande,) if antagande else ()
    tom = till_och_med
    rader = []
    plan_m = [NOLL] * 12
    utfall_m = [NOLL] * tom
    prognos_m = [NOLL] * 12
    for rid, v in p.rader.items():
        profil = profil_for(p.volymer, rid)
        manader = list(produktion.get(rid, [0] * 12))

        # Uppdraget som gäller och den kumulativa profilandelen, per månad (0 … 12).
        uppdrag = [r.las(v.uppdrag.i(max(m, 1))) for m in range(13)]
        andel = [r.indata("Kumulativ profilandel", m, kumulativ_andel(profil, m), "andel") for m in range(13)]
        u = r.indata("Utfall", tom, sum(manader[:tom]), "antal", UTFALL, "produktion", rid)
        plan_hittills = r.anvand(PLAN, tom, uppdrag[tom], andel[tom])
        radens_takt = _takt(r, tom, u, plan_hittills, ant)
        plan_resten = r.anvand(PLAN_EFTER, None, uppdrag[12], andel[12], uppdrag[tom], andel[tom],
                               namn="Plan för resten av året")
        antal = r.anvand(PROGNOS_AR, None, u, plan_resten, radens_takt, antaganden=ant,
                         namn=f"Prognos för året {v.namn} ({rid})" if spar is not None else None)
        # Prognosens produktion hittills per månad: utfallet, sedan planen × takten; december är årets
        # prognos i hela enheter.
        kumulativ = [r.indata("Utfall", m, sum(manader[:m]), "antal", UTFALL, "produktion", rid)
                     for m in range(1, min(tom, 12) + 1)]
        kumulativ += [r.anvand(PROGNOS_MANAD, m, u, r.anvand(PLAN_EFTER, m, uppdrag[m], andel[m], uppdrag[tom],
                                                             andel[tom]), radens_takt)
                      for m in range(tom + 1, 12)]
        if tom < 12:
            kumulativ.append(antal)
        res = berakna_rad(v, profil, None, False, 12, basmodell, True, bas_antagande, spar, kumulativ)
        r.spara(("prognos", rid), r.hamta(("tillagg", rid, 12), res.belopp_kr))
        kumulativ = [Decimal(r.ut(k)) for k in kumulativ]
        tak = next((m for m in range(1, 12) if v.tillagg.i(m).varde > 0
                    and kumulativ[m - 1] >= v.bas.i(m).varde + v.tillagg.i(m).varde), None)
        u_tal = r.ut(u)
        rader.append(Prognosrad(rid, v.namn, v.bas.i(12).varde, v.tillagg.i(12).varde, u_tal, r.ut(plan_hittills),
                                Decimal(r.ut(radens_takt)), r.ut(plan_resten), int(r.ut(antal)), tuple(kumulativ), res,
                                tak))
        for m in range(12):
            plan_m[m] += PLAN.f(v.uppdrag.i(m + 1).varde, kumulativ_andel(profil, m + 1))
            prognos_m[m] += kumulativ[m]
        for m in range(tom):
            utfall_m[m] += sum(manader[:m + 1])
    return Prognos(p.utforare, tom, tuple(rader), tuple(plan_m), tuple(utfall_m), tuple(prognos_m), antagande,
                   bas_antagande)
