"""Regelboken §6 och §18 – anslaget, den fasta ersättningen, betalt månadsvis i hela kronor.

Årsbeloppet är ramen (tkr) gånger den fasta andelen. Januari–november betalar `round_half_up(år/12)`,
december resten, så att de tolv summerar exakt till årsbeloppet. Ändras ramen under året (§18, antagande A17) betalar
varje månad t från den första ändrade månaden till november `round_half_up((årsbeloppet som gäller i t
− betalt före t) / (13 − t))`, och december resten: de tolv summerar till den sista ramens årsbelopp.
Ett år utan beslut har samma ram alla tolv månader, och reglerna ovan är en och samma.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Serie, Varde
from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel

ARSBELOPP = formel("regelboken §6", "årsbelopp(ram, andel) = ram * 1000 * andel / 100", "Anslagets årsbelopp", "kr",
                   hittills=False)
MANADSBELOPP = formel("regelboken §6", "anslag(årsbelopp) = avrunda(årsbelopp / 12)", "Anslag", "kr", hittills=False,
                      antaganden=("A12",))
OMFORDELAT = formel("regelboken §18", "anslag(årsbelopp, betalt, månader_kvar) = avrunda((årsbelopp - betalt) / "
                    "månader_kvar)", "Anslag", "kr", hittills=False, antaganden=("A17",))
DECEMBER = formel("regelboken §6", "anslag(årsbelopp, betalt) = årsbelopp - betalt", "Anslag", "kr", hittills=False,
                  antaganden=("A12",))
BETALT = formel("regelboken §6", "betalt(*anslag) = summa(anslag)", "Anslag betalt", "kr")


class Anslagsresultat(NamedTuple):
    ram_tkr: Decimal               # ramen som gäller i december (årets ram efter besluten)
    fast_andel_procent: Decimal
    manader: tuple[Decimal, ...]   # tolv utbetalningar i kr, januari först
    till_och_med: int

    @property
    def arsbelopp_kr(self) -> Decimal:
        return BETALT.f(*self.manader)

    @property
    def utbetalt_kr(self) -> Decimal:
        return BETALT.f(*self.manader[: self.till_och_med])


def manadsbelopp(arsbelopp: Sequence, r: Rakning = RAKNA) -> tuple:
    """De tolv utbetalningarna för årsbeloppet som gäller varje månad (tolv värden, januari först):
    §6 (samma belopp varje månad) till den första månaden då årsbeloppet ändras, därefter §18; december
    tar resten."""
    varden = [r.ut(a) for a in arsbelopp]
    forsta = next((t for t in range(2, 13) if varden[t - 1] != varden[0]), 13)
    lika = r.anvand(MANADSBELOPP, _manader(1, min(forsta, 12) - 1), arsbelopp[0])
    ut: list = []
    for t in range(1, 13):
        if t == 12:
            a = r.anvand(DECEMBER, t, arsbelopp[11], r.anvand(BETALT, 11, *ut))
        elif t < forsta:
            a = lika
        else:
            a = r.anvand(OMFORDELAT, t, arsbelopp[t - 1], r.anvand(BETALT, t - 1, *ut), 13 - t)
        r.spara(("anslag", t), a)
        ut.append(a)
    return tuple(r.ut(a) for a in ut)


def _manader(fran: int, till: int) -> str:
    return MANADSNAMN[fran - 1] if fran == till else f"{MANADSNAMN[fran - 1]}–{MANADSNAMN[till - 1]}"


def berakna_anslag(ram: Serie, andel: Varde, till_och_med: int = 12,
                   spar: Optional[Rakning] = None) -> Anslagsresultat:
    """Regelboken §6 och §18: ramen som gäller varje månad (tkr) gånger den fasta andelen, i tolv
    månadsbelopp i kronor. Med `spar` antecknas varje månad (`("anslag", månad)`) och det utbetalda
    hittills (`("anslag_hittills", till_och_med)`)."""
    r = spar or RAKNA
    fast = r.las(andel)
    per_ram: dict[int, object] = {}       # årsbeloppet räknas en gång för varje ram som gäller
    arsbelopp = []
    for t in range(1, 13):
        v = ram.i(t)
        if id(v) not in per_ram:
            per_ram[id(v)] = r.anvand(ARSBELOPP, f"från {MANADSNAMN[t - 1]}", r.las(v), fast)
        arsbelopp.append(per_ram[id(v)])
    manader = manadsbelopp(arsbelopp, r)
    r.spara(("anslag_hittills", till_och_med), r.anvand(
        BETALT, till_och_med, *(r.hamta(("anslag", t), manader[t - 1]) for t in range(1, till_och_med + 1)),
        namn="Anslag utbetalt"))
    return Anslagsresultat(ram.i(12).varde, andel.varde, manader, till_och_med)
