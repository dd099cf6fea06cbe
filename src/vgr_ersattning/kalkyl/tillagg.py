"""Regelboken §4 – tilläggsersättning: produktion över basen betalas per enhet upp till tillägget.

`ersatta(u) = min(max(u − bas, 0), tillägg)`, `belopp = ersatta × pris`; månadens utbetalning är
skillnaden mellan beloppen hittills i år till och med månaden och till och med månaden före.
Utan utfall är produktionen planen (uppdrag × kumulativ profilandel, §5): hela tillägget betalas.

`berakna_rad` är regelns enda hem: `berakna`, `scenario` och `forklara` räknar alla med den.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.plan import kumulativ_andel, maluppfyllelse, profil_for
from vgr_ersattning.modell import Priser, Tillaggsregler, Volymer, Volymrad

NOLL = Decimal(0)
ARSBAS, PERIODISERAD = "arsbas", "periodiserad"
STANDARD_BASMODELL = ARSBAS      # antagande A2 när uppdraget inte anger någon basmodell


class SaknatPris(ValueError):
    """En rads priskategori har inget pris för utföraren."""

    def __init__(self, rad_id: str, kategori: str, utforare: str):
        super().__init__(f"{rad_id}: priskategorin {kategori!r} har inget pris för {utforare}")
        self.rad_id, self.kategori, self.utforare = rad_id, kategori, utforare


def prisets_sokvag(priser: Priser, kategori: str, utforare: str) -> Optional[tuple]:
    """Var i prisfilen priset för kategorin hos utföraren står, eller None om det saknas."""
    k = priser.tillagg.get(kategori)
    if k is None:
        return None
    if k.pris_kr is not None:
        return ("tillagg", kategori, "pris_kr")
    if (k.per_utforare or {}).get(utforare) is None:
        return None
    return ("tillagg", kategori, "per_utforare", utforare)


def radens_pris(priser: Priser, rid: str, rad: Volymrad, utforare: str) -> tuple[Decimal, tuple]:
    """Radens pris hos utföraren och var det står i prisfilen; `SaknatPris` när det saknas."""
    sokvag = prisets_sokvag(priser, rad.priskategori, utforare)
    if sokvag is None:
        raise SaknatPris(rid, rad.priskategori, utforare)
    return pris_for(priser, rad.priskategori, utforare), sokvag


def pris_for(priser: Priser, kategori: str, utforare: str) -> Optional[Decimal]:
    """Priset i kronor för en priskategori hos en utförare, eller None om det saknas."""
    k = priser.tillagg.get(kategori)
    if k is None:
        return None
    if k.pris_kr is not None:
        return k.pris_kr
    return (k.per_utforare or {}).get(utforare)


def ersatta(utfall: Decimal | int, bas: Decimal | int, tillagg: int) -> Decimal | int:
    """Regelboken §4: antal ersatta enheter, `min(max(u − bas, 0), tillägg)`."""
    over = utfall - bas
    if over <= 0:
        return 0
    return over if over < tillagg else tillagg


def bas_hittills(bas: int, profil: Optional[Sequence[Decimal]], manad: int, basmodell: str) -> Decimal | int:
    """Antagande A2: årsbasen fylls först; `periodiserad` fyller basen efter planprofilen."""
    return bas * kumulativ_andel(profil, manad) if basmodell == PERIODISERAD else bas


class Radresultat(NamedTuple):
    """En rads tilläggsersättning hittills i år, med de värden den räknades av."""

    id: str
    namn: str
    uppdrag: int
    bas: int
    tillagg: int
    priskategori: str
    pris_kr: Decimal
    pris_sokvag: tuple             # var priset står i prisfilen
    utfall: Decimal | int          # produktion hittills i år (planens är oavrundad)
    plan: Decimal                  # plan hittills i år (§5)
    bas_hittills: Decimal | int    # basen som produktionen jämförs med (A2: hela årsbasen)
    ersatta: Decimal | int
    belopp_kr: Decimal
    kumulativt_kr: tuple[Decimal, ...]   # belopp hittills t.o.m. varje månad 1..till_och_med
    antagande: Optional[str]       # radens eget antagande (A1 för psykiatrins utredning/behandling)
    ar_plan: bool

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        return maluppfyllelse(self.utfall, self.plan)

    @property
    def manader(self) -> tuple[Decimal, ...]:
        """Radens utbetalning per månad: skillnaden mellan beloppen hittills."""
        k = (NOLL,) + self.kumulativt_kr
        return tuple(k[m] - k[m - 1] for m in range(1, len(k)))


def berakna_rad(rid: str, rad: Volymrad, pris: Decimal, pris_sokvag: tuple, profil: Optional[Sequence[Decimal]],
                produktion: Optional[Sequence[int]], ar_plan: bool, till_och_med: int,
                basmodell: str = STANDARD_BASMODELL, manadsvis: bool = True,
                daterat: Optional[tuple[Sequence[int], Sequence[int], Sequence[Decimal]]] = None) -> Radresultat:
    """Regelboken §4 och §5 för en rad.

    `produktion` är radens månadsantal (tolv tal, januari först) eller None (ingen produktion, 0).
    Med `ar_plan` är produktionen planen: uppdrag × kumulativ andel. Beloppet hittills räknas för
    varje månad till och med `till_och_med` (månadernas utbetalningar), eller med `manadsvis=False`
    bara för `till_och_med` (scenarier, där bara årets belopp behövs).

    `daterat` är (bas, tillägg, pris) per månad när beslut under året ändrat dem (regelboken §18):
    månad t ersätts med värdena som gäller då, och enheter som blir ersatta i månad t betalas med
    månadens pris (antagande A6): `belopp(t) = belopp(t−1) + (ersatta(t) − ersatta(t−1)) × pris(t)`.
    Utan beslut är det §4:s `ersatta × pris`."""
    kumulativt = []
    hittills: Decimal | int = 0
    e: Decimal | int = 0
    bas_m: Decimal | int = rad.bas
    tillagg_m, pris_m, belopp = rad.tillagg, pris, Decimal(0)
    fore: Decimal | int = 0
    manader = range(1, till_och_med + 1) if (manadsvis or daterat is not None) else (till_och_med,)
    for m in manader:
        if daterat is not None:
            bas_t, tillagg_m, pris_m = daterat[0][m - 1], daterat[1][m - 1], daterat[2][m - 1]
        else:
            bas_t = rad.bas
        uppdrag_m = bas_t + tillagg_m if daterat is not None else rad.uppdrag
        if ar_plan:
            hittills = uppdrag_m * kumulativ_andel(profil, m)
        elif produktion is not None:
            hittills = sum(produktion[:m])
        bas_m = bas_hittills(bas_t, profil, m, basmodell)
        e = ersatta(hittills, bas_m, tillagg_m)
        belopp = belopp + (e - fore) * pris_m if daterat is not None else e * pris
        fore = e
        kumulativt.append(belopp)
    if not manadsvis and daterat is not None:
        kumulativt = kumulativt[-1:]
    return Radresultat(
        id=rid, namn=rad.namn, uppdrag=bas_t + tillagg_m if daterat is not None else rad.uppdrag,
        bas=bas_t if daterat is not None else rad.bas, tillagg=tillagg_m,
        priskategori=rad.priskategori, pris_kr=pris_m, pris_sokvag=pris_sokvag, utfall=hittills,
        plan=(bas_t + tillagg_m if daterat is not None else rad.uppdrag) * kumulativ_andel(profil, till_och_med),
        bas_hittills=bas_m, ersatta=e, belopp_kr=belopp, kumulativt_kr=tuple(kumulativt), antagande=rad.antagande,
        ar_plan=ar_plan)


class Gruppsumma(NamedTuple):
    """Summan över en grupps rader (`psykiatri`, `somatik.operation`, …; `""` är alla rader)."""

    id: str
    namn: str
    bas: int
    tillagg: int
    utfall: Decimal | int
    plan: Decimal
    ersatta: Decimal | int
    belopp_kr: Decimal

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        return maluppfyllelse(self.utfall, self.plan)


def summera_grupp(gid: str, namn: str, rader: Sequence[Radresultat]) -> Gruppsumma:
    return Gruppsumma(
        id=gid, namn=namn, bas=sum(r.bas for r in rader), tillagg=sum(r.tillagg for r in rader),
        utfall=sum((r.utfall for r in rader), 0), plan=sum((r.plan for r in rader), NOLL),
        ersatta=sum((r.ersatta for r in rader), 0), belopp_kr=sum((r.belopp_kr for r in rader), NOLL))


class Tillaggsresultat(NamedTuple):
    utforare: str
    till_och_med: int
    ar_plan: bool                  # True när ingen utfallsdata gavs: produktion = plan
    basmodell: str
    basmodell_antagande: Optional[str]
    rader: tuple[Radresultat, ...]
    grupper: tuple[Gruppsumma, ...]     # varje grupp i volymtabellen (verksamhet, kategori)
    total: Gruppsumma
    manader: tuple[Decimal, ...]   # utbetalning per månad 1..till_och_med, kr

    @property
    def summa_kr(self) -> Decimal:
        return self.total.belopp_kr

    @property
    def utfall(self) -> Decimal:
        return Decimal(self.total.utfall)

    @property
    def plan(self) -> Decimal:
        return self.total.plan

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        """Regelboken §5: utfall hittills / plan hittills över alla rader med plan."""
        return self.total.maluppfyllelse

    @property
    def antaganden(self) -> tuple[str, ...]:
        """De antaganden siffrorna beror på: radernas (när raden ersätts) och basmodellens (A2: den
        avgör när tillägget betalas, även planens månadsbelopp)."""
        ider = {r.antagande for r in self.rader if r.antagande and r.ersatta}
        if self.basmodell_antagande and self.rader:
            ider.add(self.basmodell_antagande)
        return tuple(sorted(ider))

    def grupp(self, gid: str) -> Gruppsumma:
        return next(g for g in self.grupper if g.id == gid)


def grupper_for(volymer: Volymer, rader: Sequence[Radresultat]) -> tuple[Gruppsumma, ...]:
    """Summorna för verksamheter och kategorier, i tabellens ordning (regelboken §2: en grupp är ett
    id-prefix)."""
    ordning: dict[str, list[Radresultat]] = {}
    for r in rader:
        v, k, _ = r.id.split(".")
        ordning.setdefault(v, []).append(r)
        ordning.setdefault(f"{v}.{k}", []).append(r)
    return tuple(summera_grupp(g, volymer.grupper.get(g, g), rs) for g, rs in ordning.items())


def berakna_tillagg(
    volymer: Volymer,
    priser: Priser,
    utforare: str,
    produktion: Optional[Mapping[str, Sequence[int]]] = None,
    till_och_med: int = 12,
    regler: Optional[Tillaggsregler] = None,
    ikraft=None,
) -> Tillaggsresultat:
    """Regelboken §4 och §5 för en utförare.

    `produktion` är månadsantal per rad-id (tolv tal, januari först); rader som saknas har
    produktionen 0. Utan `produktion` räknas planen. `regler` är uppdragets tilläggsregler
    (basmodell, antagande A2); utan dem gäller årsbas. `ikraft` är värdena som gäller per månad
    efter besluten under året (`kalkyl.beslut.i_kraft`).
    """
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    rader = []
    for rid, rad in volymer.rader.items():
        pris, sokvag = radens_pris(priser, rid, rad, utforare)
        daterat = None
        if ikraft is not None and ikraft.rad_ar_daterad(rid):
            daterat = (ikraft.bas[rid], ikraft.tillagg[rid], ikraft.pris[rid])
        rader.append(berakna_rad(
            rid, rad, pris, sokvag, profil_for(volymer, rid),
            None if produktion is None else produktion.get(rid), produktion is None, till_och_med, basmodell,
            daterat=daterat))
    per_manad = [sum((r.kumulativt_kr[m] for r in rader), NOLL) for m in range(till_och_med)]
    betalningar = tuple(b - a for a, b in zip([NOLL] + per_manad, per_manad))
    return Tillaggsresultat(
        utforare, till_och_med, produktion is None, basmodell, regler.antagande if regler else None,
        tuple(rader), grupper_for(volymer, rader), summera_grupp("", "Totalt", rader), betalningar)
