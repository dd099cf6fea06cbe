"""Regelboken §7 och §18 – avräkning av poster med avräkning vid april, augusti och december.

Vid avräkningsmånad m: `betalt = Σ_{t ≤ m} L_t / 12` (nivån som gäller varje månad; utan beslut
`L × m/12`), `berättigat = min(utfall hittills, tak)`, `reglerat hittills = berättigat − betalt`;
postningen vid m är skillnaden mot föregående avräkningsmånad. Antagande A5: taket är pro rata (det
betalda) före december och, med samma nivå hela året, L i december; med regeln `helt` är taket
nivån i månaden.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Serie
from vgr_ersattning.kalkyl.resultat import UTFALL
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.modell import Avrakning

NOLL = Decimal(0)

BETALT = formel("regelboken §7, §18", "betalt(*nivå) = summa(nivå) / 12", "Utbetalt hittills", "tkr",
                antaganden=("A13",))
TAK_PRO_RATA = formel("regelboken §7", "tak(betalt) = betalt", "Tak (pro rata)", "tkr")
TAK_HELT = formel("regelboken §7", "tak(nivå) = nivå", "Tak", "tkr")
REGLERAT = formel("regelboken §7", "reglerat(utfall, tak, betalt) = min(utfall, tak) - betalt", "Reglerat hittills",
                  "tkr")
POSTNING = formel("regelboken §7", "avräkning(reglerat, reglerat_före) = reglerat - reglerat_före", "Avräkning", "tkr",
                  hittills=False)


class Tillfalle(NamedTuple):
    manad: int
    utfall_tkr: Decimal        # utfall hittills i år
    tak_tkr: Decimal
    utbetalt_tkr: Decimal      # betalt hittills, Σ nivå / 12
    reglerat_hittills_tkr: Decimal
    reglering_tkr: Decimal     # postningen vid tillfället


class Postresultat(NamedTuple):
    id: str
    namn: str
    niva_tkr: Decimal          # nivån som gäller i den sista månaden som räknas
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


def _tak(r: Rakning, nivaer: Sequence, betalt, manad: int, regel: str, antaganden: tuple = ()):
    """Antagande A5: pro rata (det betalda) eller, med regeln `helt`, nivån i månaden."""
    if regel == "helt":
        return r.anvand(TAK_HELT, manad, nivaer[manad - 1])
    return r.anvand(TAK_PRO_RATA, manad, betalt, antaganden=antaganden)


def tak(nivaer: Sequence[Decimal], manad: int, regel: str) -> Decimal:
    """Taket vid månaden för nivåerna som gäller varje månad (tolv tal)."""
    return _tak(RAKNA, nivaer, BETALT.f(*nivaer[:manad]), manad, regel)


def avrakna_post(niva: Serie, utfall_per_manad: Mapping[int, Decimal], manader: list[int], regel: str,
                 till_och_med: int, post: str = "", antagande: Optional[str] = None,
                 spar: Optional[Rakning] = None, postnamn: str = "") -> tuple[Tillfalle, ...]:
    """Regelboken §7 för en post: ett tillfälle per avräkningsmånad till och med `till_och_med`, med nivån
    som gäller varje månad (`niva`). Med `spar` antecknas varje postning (`("avrakning", post, månad)`)."""
    r = spar or RAKNA
    rubrik = f"Avräkning {postnamn or post}," if spar is not None and (postnamn or post) else None
    nivaer = [r.las(v) for v in niva.varden]
    ut = []
    foregaende = NOLL
    for m in sorted(manader):
        if m > till_och_med:
            break
        hittills = r.indata("Utfall hittills", m, sum((v for k, v in utfall_per_manad.items() if k <= m), NOLL), "tkr",
                            UTFALL, "avrakning", post)
        betalt = r.anvand(BETALT, m, *nivaer[:m])
        grans = _tak(r, nivaer, betalt, m, regel, (antagande,))
        reglerat = r.anvand(REGLERAT, m, hittills, grans, betalt)
        postning = r.anvand(POSTNING, m, reglerat, foregaende, namn=rubrik)
        r.spara(("avrakning", post, m), postning)
        ut.append(Tillfalle(m, *(r.ut(x) for x in (hittills, grans, betalt, reglerat, postning))))
        foregaende = reglerat
    return tuple(ut)


def berakna_avrakning(avr: Avrakning, utfall: Mapping[str, Mapping[int, Decimal]], till_och_med: int,
                      niva: Mapping[str, Serie], spar: Optional[Rakning] = None) -> Avrakningsresultat:
    """Regelboken §7 för alla poster med avräkning, med nivåerna som gäller varje månad. En post utan något
    utfall avräknas inte (den är inte rapporterad än, vilket är något annat än utfallet 0) och markeras
    `saknar_utfall`."""
    m = max(till_och_med, 1)
    poster = tuple(
        Postresultat(pid, p.namn, niva[pid].i(m).varde,
                     avrakna_post(niva[pid], utfall[pid], avr.manader, avr.tak_fore_december, till_och_med, pid,
                                  avr.antagande, spar, p.namn))
        if pid in utfall else Postresultat(pid, p.namn, niva[pid].i(m).varde, (), saknar_utfall=True)
        for pid, p in avr.poster.items()
    )
    return Avrakningsresultat(poster, avr.antagande)
