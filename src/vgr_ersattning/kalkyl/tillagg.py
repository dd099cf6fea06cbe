"""Regelboken §4 – tilläggsersättning: produktion över basen betalas per enhet upp till tillägget.

`ersatta(u) = min(max(u − bas, 0), tillägg)`, `belopp = ersatta × pris`; månadens utbetalning är
skillnaden mellan beloppen hittills i år till och med månaden och till och med månaden före.
Utan utfall är produktionen planen (uppdrag × kumulativ profilandel, §5): hela tillägget betalas.
Värdena är de som gäller i månaden (§18): bas, tillägg och uppdrag i månad t, och enheter som blir
ersatta i månad t betalas med priset i månad t (antagande A6). Ett år utan beslut har ett pris, och
beloppet är §4:s `ersatta × pris`.

`berakna_rad` är regelns enda hem: `berakna`, `prognos`, `jamfor`, `scenario` och `forklara` räknar med den.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Parametrar, Radvarden, SaknatPris, pris_for, prisets_sokvag
from vgr_ersattning.kalkyl.plan import kumulativ_andel, maluppfyllelse, profil_for
from vgr_ersattning.kalkyl.resultat import UTFALL, antagandeordning
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.modell import Tillaggsregler, Volymer

__all__ = ["SaknatPris", "pris_for", "prisets_sokvag", "berakna_rad", "berakna_tillagg", "ersatta"]

NOLL = Decimal(0)
ARSBAS, PERIODISERAD = "arsbas", "periodiserad"
STANDARD_BASMODELL = ARSBAS      # antagande A2 när uppdraget inte anger någon basmodell

PLAN = formel("regelboken §5", "plan(uppdrag, andel) = uppdrag * andel", "Plan", "antal")
BAS_HITTILLS = formel("regelboken §4", "bas(basvolym, andel) = basvolym * andel", "Bas hittills (periodiserad)",
                      "antal")
ERSATTA = formel("regelboken §4", "ersatta(produktion, bas, tillägg) = min(max(produktion - bas, 0), tillägg)",
                 "Ersatta enheter", "antal")
BELOPP = formel("regelboken §4", "belopp(ersatta, pris) = ersatta * pris", "Tilläggsersättning", "kr")
BELOPP_EFTER_PRISBYTE = formel(
    "regelboken §4, §18", "belopp(belopp_före, ersatta, ersatta_före, pris) = belopp_före + (ersatta - ersatta_före) * pris",
    "Tilläggsersättning", "kr", antaganden=("A6",))
MANAD = formel("regelboken §4", "tillägg(hittills, hittills_före) = hittills - hittills_före", "Tillägg", "kr",
               hittills=False)
SUMMA = formel("regelboken §4", "tillägg(*belopp) = summa(belopp)", "Tilläggsersättning", "kr")


def ersatta(utfall: Decimal | int, bas: Decimal | int, tillagg: int) -> Decimal | int:
    """Regelboken §4: antal ersatta enheter, `min(max(u − bas, 0), tillägg)`."""
    return ERSATTA.f(utfall, bas, tillagg)


class Radresultat(NamedTuple):
    """En rads tilläggsersättning hittills i år. Uppdrag, bas, tillägg och pris är värdena som gäller i
    den sista månaden (`till_och_med`; januari när den är 0)."""

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


def prisperiodernas_slut(byten: tuple[int, ...], till_och_med: int) -> tuple[int, ...]:
    """Månaderna då ett pris slutar gälla före `till_och_med`, och `till_och_med`: de enda månader §4
    behöver räkna för beloppet hittills (inom en prisperiod är beloppet `ersatta × pris` ändrat med
    samma pris)."""
    if till_och_med < 1:
        return ()
    if not byten:
        return (till_och_med,)
    return tuple(b - 1 for b in byten if b <= till_och_med) + (till_och_med,)


def _hittills(v: Radvarden, profil: Optional[Sequence[Decimal]], produktion: Optional[Sequence[int]], ar_plan: bool,
              manader: Sequence[int], basmodell: str, basmodell_antagande: Optional[str], spar: Optional[Rakning],
              hittills: Optional[Sequence]) -> tuple:
    """Regelns enda räkning: (beloppet hittills efter varje månad i `manader`, och produktionen, basen, de
    ersatta och beloppet i den sista). Med `spar` är värdena skrivarens (`Sparvarde`) och varje månads
    belopp antecknat (`("tillagg", rad, månad)`)."""
    r = spar or RAKNA
    anvand, las = r.anvand, r.las
    upp, bas, till, pris = v.uppdrag.varden, v.bas.varden, v.tillagg.varden, v.pris.varden
    periodiserad = basmodell == PERIODISERAD
    kumulativt = []
    u: Decimal | int = 0
    b: Decimal | int = bas[0].varde
    e: Decimal | int = 0
    belopp: Decimal = NOLL
    periodens_pris = belopp_fore = ersatta_fore = None
    forsta = True
    for m in manader:
        p = pris[m - 1]
        if p.varde != periodens_pris:        # en ny prisperiod börjar (A6)
            forsta = periodens_pris is None
            periodens_pris, belopp_fore, ersatta_fore = p.varde, belopp, e
        if ar_plan or periodiserad:
            andel = kumulativ_andel(profil, m)
            if spar is not None:
                andel = spar.indata("Kumulativ profilandel", m, andel, "andel")
        if ar_plan:
            u = anvand(PLAN, m, las(upp[m - 1]), andel)
        elif hittills is not None:
            u = hittills[m - 1]
        else:
            u = sum(produktion[:m]) if produktion else 0
            if spar is not None:
                u = spar.indata("Produktion hittills", m, u, "antal", UTFALL, "produktion", v.id)
        b = las(bas[m - 1])
        if periodiserad:
            b = anvand(BAS_HITTILLS, m, b, andel)
        e = anvand(ERSATTA, m, u, b, las(till[m - 1]))
        if spar is not None:       # basmodellens antagande (A2) på de ersatta
            e = spar.med(e, antaganden=(basmodell_antagande,))
        if forsta:
            belopp = anvand(BELOPP, m, e, las(p))
        else:
            belopp = anvand(BELOPP_EFTER_PRISBYTE, m, belopp_fore, e, ersatta_fore, las(p))
        if spar is not None:       # radens namn och antagande (A1) på beloppet
            belopp = spar.med(belopp, BELOPP.formel.rubrik(m, f"Tilläggsersättning {v.namn} ({v.id})"),
                              (v.antagande,))
        kumulativt.append(belopp)
    if spar is not None:
        for m, x in zip(manader, kumulativt):
            spar.spara(("tillagg", v.id, m), x)
        ut = spar.ut
        return [ut(x) for x in kumulativt], ut(u), ut(b), ut(e), ut(belopp)
    return kumulativt, u, b, e, belopp


def belopp_hittills(v: Radvarden, profil: Optional[Sequence[Decimal]], produktion: Optional[Sequence[int]],
                    ar_plan: bool, till_och_med: int, basmodell: str = STANDARD_BASMODELL) -> Decimal:
    """Regelboken §4 för en rad: bara beloppet hittills t.o.m. `till_och_med` (scenarier: tusentals lägen)."""
    return _hittills(v, profil, produktion, ar_plan, prisperiodernas_slut(v.pris.byten, till_och_med), basmodell,
                     None, None, None)[4]


def berakna_rad(v: Radvarden, profil: Optional[Sequence[Decimal]], produktion: Optional[Sequence[int]],
                ar_plan: bool, till_och_med: int, basmodell: str = STANDARD_BASMODELL, manadsvis: bool = True,
                basmodell_antagande: Optional[str] = None, spar: Optional[Rakning] = None,
                hittills: Optional[Sequence] = None) -> Radresultat:
    """Regelboken §4, §5 och §18 för en rad.

    `produktion` är radens månadsantal (tolv tal, januari först) eller None (ingen produktion, 0). Med
    `ar_plan` är produktionen planen: uppdraget som gäller i månaden × kumulativ andel. Beloppet hittills
    räknas för varje månad till och med `till_och_med` (månadernas utbetalningar), eller med
    `manadsvis=False` bara för `till_och_med` och där ett pris slutar gälla (scenarier, prognosen).
    `hittills` är produktionen hittills per månad när den är en prognos (§16, tolv värden).

    Enheter som blir ersatta i en prisperiod betalas med periodens pris (antagande A6): beloppet är
    beloppet när perioden började + (ersatta − ersatta när perioden började) × priset; i årets första
    prisperiod `ersatta × pris`."""
    manader = range(1, till_och_med + 1) if manadsvis else prisperiodernas_slut(v.pris.byten, till_och_med)
    kumulativt, u, b, e, belopp = _hittills(v, profil, produktion, ar_plan, manader, basmodell, basmodell_antagande,
                                            spar, hittills)
    sista = max(till_och_med, 1) - 1
    uppdrag_t = v.uppdrag.varden[sista].varde
    return Radresultat(
        v.id, v.namn, uppdrag_t, v.bas.varden[sista].varde, v.tillagg.varden[sista].varde, v.priskategori,
        v.pris.varden[sista].varde, v.pris_sokvag, u, PLAN.f(uppdrag_t, kumulativ_andel(profil, till_och_med)), b, e,
        belopp, tuple(kumulativt) if manadsvis else tuple(kumulativt[-1:]), v.antagande, ar_plan)


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
        ersatta=sum((r.ersatta for r in rader), 0), belopp_kr=SUMMA.f(*(r.belopp_kr for r in rader)))


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
        return tuple(sorted(ider, key=antagandeordning))

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


def berakna_tillagg(p: Parametrar, produktion: Optional[Mapping[str, Sequence[int]]] = None,
                    till_och_med: int = 12, regler: Optional[Tillaggsregler] = None,
                    spar: Optional[Rakning] = None) -> Tillaggsresultat:
    """Regelboken §4, §5 och §18 för en utförare, med värdena som gäller varje månad (`p`).

    `produktion` är månadsantal per rad-id (tolv tal, januari först); rader som saknas har
    produktionen 0. Utan `produktion` räknas planen. `regler` är uppdragets tilläggsregler
    (basmodell, antagande A2); utan dem gäller årsbas. Med `spar` antecknas varje rad och månad
    (`("tillagg", rad, månad)`), varje månads tillägg (`("tillagg_manad", månad)`) och summan
    (`("tillagg_summa", till_och_med)`).
    """
    p.kraver_priser()
    r = spar or RAKNA
    basmodell = regler.basmodell if regler else STANDARD_BASMODELL
    antagande = regler.antagande if regler else None
    rader = [berakna_rad(v, profil_for(p.volymer, rid), None if produktion is None else produktion.get(rid),
                         produktion is None, till_och_med, basmodell, True, antagande, spar)
             for rid, v in p.rader.items()]
    # Tillägget hittills t.o.m. varje månad (summan över raderna) och månadens tillägg, skillnaden.
    hittills = [NOLL] + [r.anvand(SUMMA, m, *(r.hamta(("tillagg", x.id, m), x.kumulativt_kr[m - 1]) for x in rader),
                                  namn="Tilläggsersättning" + (" (plan)" if produktion is None else ""))
                         for m in range(1, till_och_med + 1)]
    betalningar = tuple(r.spara(("tillagg_manad", m), r.anvand(MANAD, m, hittills[m], hittills[m - 1]))
                        for m in range(1, till_och_med + 1))
    total = summera_grupp("", "Totalt", rader)
    if till_och_med:
        total = total._replace(belopp_kr=r.spara(("tillagg_summa", till_och_med), hittills[till_och_med]))
    return Tillaggsresultat(p.utforare, till_och_med, produktion is None, basmodell, antagande, tuple(rader),
                            grupper_for(p.volymer, rader), total, betalningar)
