"""Regelboken §17 – jämförelse av två uttag av utfallet för samma år.

Förändringen i tilläggsersättning hittills delas per rad i (a) revisionen av de månader båda uttagen
täcker och (b) de månader bara det senare täcker:

    revision     = §4(senare uttaget t.o.m. a) − §4(tidigare uttaget t.o.m. a)
    nya månader  = §4(senare uttaget t.o.m. b) − §4(senare uttaget t.o.m. a)

där a och b är de sista månaderna som uttagen täcker, och båda uttagen värderas med samma värden per
månad (§18: samma beslut). Delarna summerar exakt till förändringen
§4(senare, b) − §4(tidigare, a). En rad vars revision korsar basen eller taket (bas + tillägg) märks:
där flyttar en liten revision ett stort belopp.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Parametrar
from vgr_ersattning.kalkyl.plan import profil_for
from vgr_ersattning.kalkyl.tillagg import STANDARD_BASMODELL, berakna_rad
from vgr_ersattning.modell import Tillaggsregler

NOLL = Decimal(0)


@dataclass(frozen=True)
class Jamforrad:
    id: str
    namn: str
    bas: int                         # bas och tillägg som gäller i månad b
    tillagg: int
    utfall_fore: Decimal | int       # tidigare uttaget t.o.m. a
    utfall_efter_a: Decimal | int    # senare uttaget t.o.m. a
    utfall_efter: Decimal | int      # senare uttaget t.o.m. b
    belopp_fore_kr: Decimal
    belopp_efter_a_kr: Decimal
    belopp_efter_kr: Decimal
    korsar: tuple[str, ...]          # "basen" och/eller "taket" när revisionen korsar dem

    @property
    def revision_kr(self) -> Decimal:
        return self.belopp_efter_a_kr - self.belopp_fore_kr

    @property
    def nya_manader_kr(self) -> Decimal:
        return self.belopp_efter_kr - self.belopp_efter_a_kr

    @property
    def forandring_kr(self) -> Decimal:
        return self.belopp_efter_kr - self.belopp_fore_kr


@dataclass(frozen=True)
class Jamforelse:
    utforare: str
    fore_till_och_med: int           # a
    efter_till_och_med: int          # b
    rader: tuple[Jamforrad, ...]     # störst effekt först

    @property
    def revision_kr(self) -> Decimal:
        return sum((r.revision_kr for r in self.rader), NOLL)

    @property
    def nya_manader_kr(self) -> Decimal:
        return sum((r.nya_manader_kr for r in self.rader), NOLL)

    @property
    def forandring_kr(self) -> Decimal:
        return sum((r.forandring_kr for r in self.rader), NOLL)


def korsningar(fore: Decimal | int, efter: Decimal | int, bas: Decimal | int, tak: Decimal | int) -> tuple[str, ...]:
    """Gränserna (basen, taket = bas + tillägg) som ligger mellan två produktioner hittills."""
    lag, hog = min(fore, efter), max(fore, efter)
    ut = []
    if lag <= bas < hog:
        ut.append("basen")
    if lag < tak <= hog:
        ut.append("taket")
    return tuple(ut)


def jamfor(p: Parametrar, fore: Mapping[str, Sequence[int]], a: int, efter: Mapping[str, Sequence[int]], b: int,
           regler: Optional[Tillaggsregler] = None) -> Jamforelse:
    """Regelboken §17 för varje rad, med §4 (`berakna_rad`) och värdena som gäller varje månad (`p`) för
    varje belopp. Om revisionen korsar basen eller taket avgörs med basen och tillägget i månad a."""
    if b < a:
        raise ValueError(f"det senare uttaget täcker t.o.m. månad {b}, det tidigare t.o.m. {a}")
    p.kraver_priser()
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    rader = []
    for rid, v in p.rader.items():
        profil = profil_for(p.volymer, rid)
        f, ea, e = (berakna_rad(v, profil, prod.get(rid), False, manad, basmodell, manadsvis=False)
                    for prod, manad in ((fore, a), (efter, a), (efter, b)))
        bas_a = f.bas_hittills
        rader.append(Jamforrad(rid, v.namn, e.bas, e.tillagg, f.utfall, ea.utfall, e.utfall, f.belopp_kr,
                               ea.belopp_kr, e.belopp_kr,
                               korsningar(f.utfall, ea.utfall, bas_a, bas_a + f.tillagg)))
    rader.sort(key=lambda r: (-abs(r.forandring_kr), -abs(r.revision_kr), r.id))
    return Jamforelse(p.utforare, a, b, tuple(rader))
