"""Regelboken §9 – 1177:s målrelaterade ersättning (Regionhälsan), per kvartal efter en trappa.

Andelen `p` besvarade samtal inom 8 minuter på jourtid ger utbetalningsandelen; intervallen är
halvöppna på den oavrundade andelen. Antagande A3: under 25 % ges 0 %. Antagande A4: beloppet
gäller per år och betalas per kvartal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional

from vgr_ersattning.kalkyl.resultat import UPPDRAG, UTFALL, antagandeordning
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.modell import Malrelaterad, Trappsteg
from vgr_ersattning.pengar import HUNDRA

NOLL = Decimal(0)

KVARTALSBELOPP = formel("regelboken §9", "kvartalsbelopp(belopp, kvartal) = belopp * 1000000 / kvartal",
                        "Kvartalets belopp vid 100 %", "kr", hittills=False)
BELOPP = formel("regelboken §9", "belopp(kvartalsbelopp, utbetalning) = kvartalsbelopp * utbetalning / 100",
                "Målrelaterad ersättning 1177", "kr", hittills=False)


def _steg(andel: Decimal, trappa: tuple) -> int:
    """Det högsta steg vars gräns ≤ andelen (halvöppna intervall: 74,99 % ger 95 %); trappan är (från,
    utbetalning) i fallande ordning, validerad i modellen."""
    return next((i for i, (fran, _) in enumerate(trappa) if andel >= fran), len(trappa) - 1)


def _steg_for(andel: Decimal, trappa: tuple) -> Decimal:
    return trappa[_steg(andel, trappa)][1]


def andel_procent(besvarade: int, samtal: int) -> Decimal:
    """Andelen besvarade inom 8 minuter, i procent, oavrundad."""
    if samtal <= 0:
        raise ValueError("antalet samtal måste vara större än 0")
    return Decimal(besvarade) * HUNDRA / Decimal(samtal)


UTBETALNING = formel("regelboken §9", "utbetalning(andel, trappa) = steg_för(andel, trappa)", "Utbetalningsandel",
                     "procent", hittills=False, antaganden=("A14",), funktioner={"steg_för": _steg_for})


def _trappa(trappa: list[Trappsteg]) -> tuple:
    return tuple((s.fran_procent, s.utbetalning_procent) for s in trappa)


def trappsteg(trappa: list[Trappsteg], p: Decimal) -> Trappsteg:
    """Det högsta steg vars `fran_procent` ≤ p (halvöppna intervall: 74,99 % ger 95 %)."""
    return trappa[_steg(p, _trappa(trappa))]


def _kvartalsbelopp(r: Rakning, m: Malrelaterad):
    return r.anvand(KVARTALSBELOPP, None, r.indata("Belopp", None, m.belopp_mnkr, "mnkr", UPPDRAG,
                                                   "malrelaterad_1177", "belopp_mnkr"),
                    r.indata("Kvartal per belopp", None, m.kvartal_per_belopp, "", UPPDRAG, "malrelaterad_1177",
                             "kvartal_per_belopp"), antaganden=(m.antagande,))


def kvartalsbelopp_kr(m: Malrelaterad) -> Decimal:
    """Antagande A4: ett kvartals andel av årsbeloppet, i kr (beloppet i mnkr / kvartal per belopp)."""
    return _kvartalsbelopp(RAKNA, m)


@dataclass(frozen=True)
class Kvartalsresultat:
    kvartal: int
    andel_procent: Decimal
    steg: Trappsteg
    belopp_kr: Decimal

    @property
    def utbetalning_procent(self) -> Decimal:
        return self.steg.utbetalning_procent


@dataclass(frozen=True)
class Malrelateradresultat:
    kvartalsbelopp_kr: Decimal
    kvartal: tuple[Kvartalsresultat, ...]
    antaganden: tuple[str, ...]

    @property
    def summa_kr(self) -> Decimal:
        return sum((k.belopp_kr for k in self.kvartal), NOLL)


def berakna_malrelaterad(m: Malrelaterad, andelar: Mapping[int, Decimal],
                         spar: Optional[Rakning] = None) -> Malrelateradresultat:
    """Regelboken §9 för varje kvartal med utfall (andel i procent per kvartal 1–4). Med `spar` antecknas
    varje kvartal (`("malrelaterad", kvartal)`)."""
    r = spar or RAKNA
    bas = _kvartalsbelopp(r, m)
    kv = []
    for k in sorted(andelar):
        steg = trappsteg(m.trappa, andelar[k])
        andel = r.indata("Andel besvarade inom 8 minuter", f"kvartal {k}", andelar[k], "procent", UTFALL,
                         "malrelaterad_1177", k)
        trappa = r.indata("Trappan", None, _trappa(m.trappa), "", UPPDRAG, "malrelaterad_1177", "trappa")
        utbetalning = r.anvand(UTBETALNING, f"kvartal {k}", andel, trappa, antaganden=(steg.antagande,))
        belopp = r.anvand(BELOPP, f"kvartal {k}", bas, utbetalning)
        kv.append(Kvartalsresultat(k, andelar[k], steg, r.spara(("malrelaterad", k), belopp)))
    antaganden = {m.antagande} if m.antagande else set()
    antaganden |= {s.antagande for s in m.trappa if s.antagande}
    return Malrelateradresultat(r.ut(bas), tuple(kv), tuple(sorted((a for a in antaganden if a), key=antagandeordning)))
