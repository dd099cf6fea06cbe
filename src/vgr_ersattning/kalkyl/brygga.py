"""Regelboken §8 – budgetbryggan (uppdraget, avsnittet Förändringar jämfört med föregående uppdrag).

`föregående ram + föregående ram × index + Σ justeringar = ny ram`. Dokumentets tal är avrundade
till hela tkr var för sig, så en tryckt summa godtas när den skiljer sig från summan av de tryckta
termerna med högst 0,5 tkr per avrundad term.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Optional

from vgr_ersattning.kalkyl.resultat import UPPDRAG, Kontroll
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.modell import Brygga
from vgr_ersattning.pengar import HUNDRA, svensk

HALV_TKR = Decimal("0.5")

UPPRAKNING = formel("regelboken §8", "uppräkning(ram, index) = ram * index / 100", "Uppräkning (föregående ram × "
                    "index)", "tkr", hittills=False)
TRYCKT = formel("regelboken §8", "tryckt(tryckt, beräknad) = tryckt", "Uppräkning (tryckt)", "tkr", hittills=False)
SUMMA = formel("regelboken §8", "summa(*termer) = summa(termer)", "Summa av de tryckta termerna", "tkr", hittills=False)
TOLERANS = formel("regelboken §8", "tolerans(termer, halv) = termer * halv", "Tolerans", "tkr", hittills=False)
DIFFERENS = formel("regelboken §8", "differens(tryckt, summa, tolerans) = tryckt - summa", "Differens", "tkr",
                   hittills=False)


class Steg(NamedTuple):
    """Ett avstämningssteg: angiven summa mot summan av dess tryckta termer."""

    namn: str
    angiven_tkr: Decimal
    summa_tkr: Decimal
    antal_termer: int

    @property
    def differens_tkr(self) -> Decimal:
        return DIFFERENS.f(self.angiven_tkr, self.summa_tkr, None)

    @property
    def tolerans_tkr(self) -> Decimal:
        return TOLERANS.f(self.antal_termer, HALV_TKR)

    @property
    def stammer(self) -> bool:
        return abs(self.differens_tkr) <= self.tolerans_tkr


@dataclass(frozen=True)
class Bryggresultat:
    fran_tkr: Decimal
    index_procent: Decimal
    upprakning_tkr: Decimal          # föregående ram × index, oavrundad
    upprakning_tryckt_tkr: Decimal
    delsumma: Steg
    total: Steg
    justeringar: tuple[tuple[str, Decimal], ...]
    ledtradar: tuple[str, ...]

    @property
    def index(self) -> Decimal:
        return self.index_procent / HUNDRA

    @property
    def upprakning_stammer(self) -> bool:
        return abs(self.upprakning_tryckt_tkr - self.upprakning_tkr) <= HALV_TKR

    @property
    def stammer(self) -> bool:
        return self.delsumma.stammer and self.total.stammer and self.upprakning_stammer


def _byten_av_siffror(belopp: Decimal) -> set[Decimal]:
    """Alla tal som fås genom att byta plats på två intilliggande siffror i beloppet."""
    tecken = -1 if belopp < 0 else 1
    siffror = list(str(abs(int(belopp))))
    ut = set()
    for i in range(len(siffror) - 1):
        if siffror[i] != siffror[i + 1]:
            s = siffror.copy()
            s[i], s[i + 1] = s[i + 1], s[i]
            ut.add(Decimal(tecken * int("".join(s))))
    return ut


def ledtradar(steg: Steg, termer: list[tuple[str, Decimal]], angiven_namn: str) -> list[str]:
    """Regelboken §8: rader vars teckenbyte eller två omkastade siffror förklarar differensen."""
    if steg.stammer:
        return []
    d, tol = steg.differens_tkr, steg.tolerans_tkr
    ut = []
    for namn, t in termer:
        if t != 0 and abs(d + 2 * t) <= tol:
            ut.append(f"raden \"{namn}\" ({svensk(t)} tkr) med omvänt tecken ({svensk(-t)}) får bryggan att stämma")
    for namn, t in termer:
        for c in sorted(_byten_av_siffror(t)):
            if abs(d - (c - t)) <= tol:
                ut.append(f"raden \"{namn}\": {svensk(t)} med två siffror omkastade ({svensk(c)}) får bryggan att stämma")
    for c in sorted(_byten_av_siffror(steg.angiven_tkr)):
        if abs(c - steg.summa_tkr) <= tol:
            ut.append(f"\"{angiven_namn}\": {svensk(steg.angiven_tkr)} med två siffror omkastade ({svensk(c)}) stämmer")
    if not ut and d % 9 == 0:
        ut.append(f"differensen {svensk(d)} tkr är delbar med 9: leta efter två omkastade siffror")
    return ut


def berakna_brygga(b: Brygga, spar: Optional[Rakning] = None) -> Bryggresultat:
    """Regelboken §8: bryggan i två steg, Delsumma 1 och totalen, var för sig mot sina tryckta termer. Med
    `spar` antecknas totalens differens (`("brygga",)`) med Delsumma 1:s under sig."""
    r = spar or RAKNA

    def tryckt(namn: str, varde: Decimal, *vag) -> object:
        return r.indata(namn, None, varde, "tkr", UPPDRAG, "brygga", *vag, "belopp_tkr")

    fran = tryckt(b.fran.namn, b.fran.belopp_tkr, "fran")
    index = r.indata(b.index.namn, None, b.index.procent, "procent", UPPDRAG, "brygga", "index", "procent")
    upprakning = r.anvand(UPPRAKNING, None, fran, index)
    index_tryckt = r.anvand(TRYCKT, None, tryckt(b.index.namn, b.index.belopp_tkr, "index"), upprakning)
    delsumma_tryckt = tryckt(b.delsumma.namn, b.delsumma.belopp_tkr, "delsumma")
    ds = r.anvand(DIFFERENS, None, delsumma_tryckt, r.anvand(SUMMA, None, fran, index_tryckt),
                  r.anvand(TOLERANS, None, 2, HALV_TKR), namn=f"Differens {b.delsumma.namn}")
    just = [(j.namn, j.belopp_tkr) for j in b.justeringar]
    termer = [r.anvand(TRYCKT, None, delsumma_tryckt, ds, namn=f"{b.delsumma.namn} (tryckt)")]
    termer += [tryckt(j.namn, j.belopp_tkr, "justeringar", i) for i, j in enumerate(b.justeringar)]
    tot = r.anvand(DIFFERENS, None, tryckt(b.till.namn, b.till.belopp_tkr, "till"), r.anvand(SUMMA, None, *termer),
                   r.anvand(TOLERANS, None, len(termer), HALV_TKR), namn=f"Budgetbryggan: differens {b.till.namn}")
    r.spara(("brygga",), tot)
    delsumma = Steg(b.delsumma.namn, b.delsumma.belopp_tkr, SUMMA.f(b.fran.belopp_tkr, b.index.belopp_tkr), 2)
    total = Steg(b.till.namn, b.till.belopp_tkr, SUMMA.f(b.delsumma.belopp_tkr, *(t for _, t in just)), 1 + len(just))
    tips = ledtradar(delsumma, [(b.fran.namn, b.fran.belopp_tkr), (b.index.namn, b.index.belopp_tkr)],
                     b.delsumma.namn)
    tips += ledtradar(total, just, b.till.namn)
    return Bryggresultat(
        fran_tkr=b.fran.belopp_tkr,
        index_procent=b.index.procent,
        upprakning_tkr=r.ut(upprakning),
        upprakning_tryckt_tkr=b.index.belopp_tkr,
        delsumma=delsumma,
        total=total,
        justeringar=tuple(just),
        ledtradar=tuple(tips),
    )


def _stegkontroll(id: str, steg: Steg, sokvag: tuple, tips: tuple[str, ...]) -> Kontroll:
    d, tol = steg.differens_tkr, steg.tolerans_tkr
    if steg.stammer:
        medd = (f"{steg.namn}: {svensk(steg.angiven_tkr)} tkr stämmer inom avrundning: "
                f"differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr")
    else:
        medd = (f"{steg.namn}: {svensk(steg.angiven_tkr)} tkr stämmer inte: summan av de tryckta termerna är "
                f"{svensk(steg.summa_tkr)} tkr, differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr")
        if tips:
            medd += ". Ledtråd: " + "; ".join(tips)
    return Kontroll(id=id, namn=f"Bryggan: {steg.namn}", ok=steg.stammer, meddelande=medd, sokvag=sokvag,
                    varde=steg.angiven_tkr, differens=d, enhet="tkr")


def kontrollera_brygga(b: Brygga, ram_tkr: Decimal | None, sokvag: tuple) -> list[Kontroll]:
    """Regelboken §8 och §14: uppräkningen, Delsumma 1, totalen och att sista raden är ersättningsramen."""
    r = berakna_brygga(b)
    upp = Kontroll(
        id="brygga.upprakning",
        namn="Bryggan: uppräkning",
        ok=r.upprakning_stammer,
        meddelande=(f"{svensk(r.index_procent, 1)} % av {svensk(r.fran_tkr)} = {svensk(r.upprakning_tkr, 3)} tkr, "
                    f"tryckt {svensk(r.upprakning_tryckt_tkr)} tkr"),
        sokvag=sokvag + ("index", "belopp_tkr"),
        varde=r.upprakning_tryckt_tkr,
        differens=r.upprakning_tryckt_tkr - r.upprakning_tkr,
        enhet="tkr",
    )
    ut = [upp,
          _stegkontroll("brygga.delsumma", r.delsumma, sokvag + ("delsumma", "belopp_tkr"), tuple(
              t for t in r.ledtradar if b.fran.namn in t or b.index.namn in t or b.delsumma.namn in t)),
          _stegkontroll("brygga.total", r.total, sokvag + ("till", "belopp_tkr"), tuple(
              t for t in r.ledtradar if not (b.fran.namn in t or b.index.namn in t or b.delsumma.namn in t)))]
    if ram_tkr is not None:
        lika = b.till.belopp_tkr == ram_tkr
        ut.append(Kontroll(
            id="brygga.sista_rad",
            namn="Bryggans sista rad = ersättningsramen",
            ok=lika,
            meddelande=(f"{b.till.namn}: {svensk(b.till.belopp_tkr)} tkr"
                        + (" = " if lika else " ≠ ") + f"ersättningsramen {svensk(ram_tkr)} tkr"),
            sokvag=sokvag + ("till", "belopp_tkr"),
            varde=b.till.belopp_tkr,
            differens=b.till.belopp_tkr - ram_tkr,
            enhet="tkr",
        ))
    return ut
