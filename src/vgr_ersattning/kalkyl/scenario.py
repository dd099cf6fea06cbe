"""Regelboken §11 – vad händer om: ändrade volymer och priser, och delegationsgränsen.

Ett scenario är en lista ändringar. Förändringen i tilläggsersättning räknas vid full leverans
(planen: ersatta = tillägg på varje rad) och, med utfall, vid det faktiska utfallet hittills.
Bara de rader som ändringarna rör räknas om, så tusentals scenarier går fort.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.parametrar import Radvarden, Serie, Varde, for_tabell, pris_for
from vgr_ersattning.kalkyl.plan import profil_for
from vgr_ersattning.kalkyl.tillagg import STANDARD_BASMODELL, belopp_hittills
from vgr_ersattning.modell import Priser, Tillaggsregler, Volymer

NOLL = Decimal(0)
FALT = ("bas", "tillagg")


class Scenariofel(ValueError):
    """En ändring som inte går att göra (okänt id, fält eller kategori, negativ volym).
    `index` är ändringens plats i scenariot."""

    def __init__(self, meddelande: str, index: int = 0):
        super().__init__(meddelande)
        self.index = index


class Andring(NamedTuple):
    """(Namngivna tupler: en batch skapar hundratusentals av dem, och en tupel skapas snabbare än en
    fryst dataklass.) En ändring: `falt` är `bas`, `tillagg` eller `pris`. För pris är `id` kategorin
    (`besok`) eller kategori och utförare (`kologastro.SV`). Exakt en av `satt` och `andra`."""

    id: str
    falt: str
    satt: Optional[Decimal | int] = None
    andra: Optional[int] = None


class Scenario(NamedTuple):
    namn: str
    andringar: tuple[Andring, ...]


class Andrat(NamedTuple):
    id: str
    falt: str
    fran: Decimal | int
    till: Decimal | int


class Scenarioresultat(NamedTuple):
    namn: str
    andringar: tuple[Andrat, ...]
    forandring_plan_kr: Decimal
    forandring_utfall_kr: Optional[Decimal]
    delegation_kr: Decimal

    @property
    def kraver_namndbeslut(self) -> bool:
        """Regelboken §11: inom delegationen när |förändring vid plan| ≤ gränsen."""
        return abs(self.forandring_plan_kr) > self.delegation_kr


def _lika(x) -> Serie:
    """Samma värde alla tolv månader, utan källa: ett läge i ett scenario (byggt utan NamedTuple.__new__:
    tusentals lägen i sekunden)."""
    return tuple.__new__(Serie, (((tuple.__new__(Varde, (x, None, 1, None, "", ""))),) * 12, ()))


# Högst så många minnesposter (rad, bas, tillägg, pris) → belopp; sedan börjar minnet om. Ett belopp
# räknas alltid med §4:s regel och minnet ändrar aldrig ett resultat, bara hur ofta regeln anropas:
# minnet (ungefär 150 byte per post, högst 20 MB) växer inte med batchens storlek.
MAX_MINNE = 1 << 17
# Högst så många volymer som lägen (`_lika`) sparas för nästa gång en rad får samma bas eller tillägg
# (ungefär 300 byte var, högst 5 MB; en batch med 100 000 slumpade scenarier har omkring 11 000).
MAX_SERIER = 1 << 14
# Bas och tillägg (heltal ≥ 0) som en nyckel `bas << 32 | tillägg`, entydig när tillägget < 2**32.
_TAL_NYCKEL = 1 << 32


class Scenariomotor:
    """Utvärderar scenarier för en utförare med regelbokens §4-funktion (`tillagg.belopp_hittills`, samma
    räkning som `tillagg.berakna_rad`):
    en ändrad rad räknas om med samma regel som `berakna`, vid full leverans och vid utfallet
    hittills, och förändringen är skillnaden mot den oförändrade raden. Bara de rader som
    ändringarna rör räknas om, så tusentals scenarier går fort.

    §4 för en rad beror bara på radens bas, tillägg och pris (och utfallet, som är fast här): samma
    läge i tusentals scenarier räknas en gång med regeln och återanvänds. Ett scenario ger
    därför samma resultat i en batch som ensamt (`benchmarks/scenarier.py` prövar det)."""

    def __init__(self, volymer: Volymer, priser: Priser, utforare: str, delegation_kr: Decimal,
                 produktion: Optional[Mapping[str, Sequence[int]]] = None, till_och_med: int = 12,
                 regler: Optional[Tillaggsregler] = None):
        self.volymer, self.priser, self.utforare = volymer, priser, utforare
        self.delegation_kr = delegation_kr
        self.produktion, self.till_och_med = produktion, till_och_med
        self.basmodell = regler.basmodell if regler else STANDARD_BASMODELL
        self.varden = for_tabell(volymer, priser, utforare)
        self.varden.kraver_priser()
        self.pris: dict[str, Decimal] = {}
        self.per_kategori: dict[str, list[str]] = {}
        for rid, v in self.varden.rader.items():
            self.pris[rid] = v.pris.i(1).varde
            self.per_kategori.setdefault(v.priskategori, []).append(rid)
        self._rader = volymer.rader
        self._ordning = {rid: i for i, rid in enumerate(volymer.rader)}
        # Per läge (plan, utfall) och rad: radens läge → förändringen mot den oförändrade raden, och
        # beloppet före ändringen. Läget är (bas, tillägg, pris), som ett tal när priset är radens eget.
        self._minne: dict[bool, dict[str, dict]] = {True: {rid: {} for rid in volymer.rader},
                                                    False: {rid: {} for rid in volymer.rader}}
        self._poster = 0
        self._fore: dict[bool, dict[str, Decimal]] = {True: {}, False: {}}
        # En rads bas och tillägg är var sin plats i ett scenarios volymer: `2 × radens plats i uppdraget`
        # för basen och `+ 1` för tillägget. Per plats (rad-id, fält, värdet i uppdraget); per rad det
        # _berakna läser för varje scenario, i en uppslagning: (rad-id, bas, tillägg, pris, minnet vid
        # plan, minnet vid utfall); och per ändring (id, fält) dess plats och värdet i uppdraget.
        self._platser: list[tuple[str, str, int]] = []
        self._info = []
        self._falt: dict[tuple[str, str], tuple[int, int]] = {}
        for i, (rid, rad) in enumerate(volymer.rader.items()):
            self._info.append((rid, rad.bas, rad.tillagg, self.pris[rid], self._minne[True][rid],
                               self._minne[False][rid]))
            for j, f in enumerate(FALT):
                self._platser.append((rid, f, getattr(rad, f)))
                self._falt[(rid, f)] = (2 * i + j, getattr(rad, f))
        self._serier: dict[int, Serie] = {}
        # Per rad och läge (plan, utfall) det §4 läser utöver radens värden, en gång: profilen,
        # produktionen och månaden beloppet hittills gäller.
        self._indata: dict[tuple[str, bool], tuple] = {}

    def _forandring(self, rid: str, bas: int, tillagg: int, pris: Decimal, plan: bool) -> Decimal:
        """§4 för raden med basen, tillägget och priset, minus §4 för den oförändrade raden: vid full
        leverans (planen för hela året) eller vid utfallet hittills."""
        minne = self._minne[plan][rid]
        nyckel = (bas << 32 | tillagg) if pris is self.pris[rid] and tillagg < _TAL_NYCKEL else (bas, tillagg, pris)
        skillnad = minne.get(nyckel)
        if skillnad is None:
            v = self.varden.rader[rid]
            serier, serie = self._serier, self._serie
            belopp = self._belopp_rakna(rid, tuple.__new__(Radvarden, (
                rid, v.namn, v.priskategori, v.antagande, serier.get(bas + tillagg) or serie(bas + tillagg),
                serier.get(bas) or serie(bas), serier.get(tillagg) or serie(tillagg),
                v.pris if pris is self.pris[rid] else _lika(pris), v.pris_sokvag)), plan)
            skillnad = belopp - self._belopp_fore(rid, plan)
            if self._poster >= MAX_MINNE:
                for m in self._minne.values():
                    for d in m.values():
                        d.clear()
                self._poster = 0
            minne[nyckel] = skillnad
            self._poster += 1
        return skillnad

    def _serie(self, volym: int) -> Serie:
        """`_lika(volym)`, sparad för nästa läge med samma volym (högst `MAX_SERIER`, sedan börjar det om)."""
        s = self._serier.get(volym)
        if s is None:
            if len(self._serier) >= MAX_SERIER:
                self._serier.clear()
            s = self._serier[volym] = _lika(volym)
        return s

    def _belopp_rakna(self, rid: str, v: Radvarden, plan: bool) -> Decimal:
        indata = self._indata.get((rid, plan))
        if indata is None:
            indata = self._indata[(rid, plan)] = (
                profil_for(self.volymer, rid), None if self.produktion is None else self.produktion.get(rid), plan,
                12 if plan else self.till_och_med, self.basmodell)
        return belopp_hittills(v, *indata)

    def _belopp_fore(self, rid: str, plan: bool) -> Decimal:
        fore = self._fore[plan]
        belopp = fore.get(rid)
        if belopp is None:
            belopp = fore[rid] = self._belopp_rakna(rid, self.varden.rader[rid], plan)
        return belopp

    def _prisnyckel(self, nyckel: str) -> str:
        kategori, _, utf = nyckel.partition(".")
        k = self.priser.tillagg.get(kategori)
        if k is None:
            raise Scenariofel(f"okänd priskategori {kategori!r} (finns: {', '.join(self.priser.tillagg)})")
        if utf and k.per_utforare is None:
            raise Scenariofel(f"priskategorin {kategori!r} har ett regiongemensamt pris, inte ett per utförare")
        if utf and utf not in (k.per_utforare or {}):
            raise Scenariofel(f"priskategorin {kategori!r} har inget pris för {utf}")
        return nyckel

    def utvardera(self, scenario: Scenario) -> Scenarioresultat:
        """Regelboken §11 för ett scenario."""
        volym: dict[int, int] = {}          # platsen (se __init__) → volymen efter ändringarna
        priser: dict[str, Decimal] = {}
        falt = self._falt
        i = 0
        for a in scenario.andringar:
            # Det vanliga fallet direkt: en giltig ändring av en rads bas eller tillägg till ett heltal
            # ≥ 0. Allt annat (priser, fel, Decimal-värden) går genom _tillampa, med samma verkan.
            info = falt.get(a[:2])
            if info is not None:
                plats, satt = info[0], a[2]
                ny = volym.get(plats, info[1]) + (a[3] or 0) if satt is None else satt
                if type(ny) is int and ny >= 0:
                    volym[plats] = ny
                    i += 1
                    continue
            try:
                self._tillampa(a, volym, priser)
            except Scenariofel as e:
                e.index = i
                raise
            i += 1
        if priser:
            return self._berakna_med_priser(scenario.namn, volym, priser)
        return self._berakna(scenario.namn, volym)

    def _tillampa(self, a: Andring, volym: dict, priser: dict) -> None:
        if a.falt == "pris":
            nyckel = self._prisnyckel(a.id)
            if a.satt is None:
                raise Scenariofel(f"{a.id}: ett pris sätts (satt), det ändras inte med ett belopp")
            if a.satt < 0:
                raise Scenariofel(f"{a.id}: ett pris kan inte vara negativt ({a.satt})")
            priser[nyckel] = Decimal(a.satt)
            return
        rad = self._rader.get(a.id)
        if rad is None:
            raise Scenariofel(f"okänt rad-id {a.id!r}")
        if a.falt not in FALT:
            raise Scenariofel(f"{a.id}: okänt fält {a.falt!r} (bas, tillagg eller pris)")
        plats = self._falt[(a.id, a.falt)][0]
        nu = volym.get(plats)
        if nu is None:
            nu = getattr(rad, a.falt)
        ny = a.satt if a.satt is not None else nu + (a.andra or 0)
        if type(ny) is not int and ny != int(ny):
            raise Scenariofel(f"{a.id}.{a.falt}: en volym är ett heltal, inte {ny}")
        if ny < 0:
            raise Scenariofel(f"{a.id}.{a.falt}: volymen blir negativ ({ny})")
        volym[plats] = ny if type(ny) is int else int(ny)

    def _andrat(self, volym: dict) -> list:
        """Volymändringarna i den ordning de först står i scenariot: (id, fält, från, till)."""
        ny, platser = tuple.__new__, self._platser      # Andrat(...) utan NamedTuple.__new__
        return [ny(Andrat, platser[p] + (v,)) for p, v in volym.items()]

    def _berakna(self, namn: str, volym: dict) -> Scenarioresultat:
        """Ett scenario med volymändringar och radernas egna priser."""
        info, platser = self._info, self._platser
        plan = NOLL
        utfall = NOLL if self.produktion is not None else None
        # Raderna i uppdragets ordning: samma summa varje gång. En rad med både bas och tillägg
        # ändrade räknas vid basens plats (den kommer först).
        for p in (sorted(volym) if len(volym) > 1 else volym):
            if p & 1:
                if p - 1 in volym:
                    continue
                rid, bas, till, pris, minne_plan, minne_utfall = info[p >> 1]
                till = volym[p]
            else:
                rid, bas, till, pris, minne_plan, minne_utfall = info[p >> 1]
                bas = volym[p]
                till = volym.get(p + 1, till)
            # Samma nyckel som _forandring ger radens läge med radens eget pris.
            nyckel = bas << 32 | till if till < _TAL_NYCKEL else (bas, till, pris)
            skillnad = minne_plan.get(nyckel)
            plan += self._forandring(rid, bas, till, pris, True) if skillnad is None else skillnad
            if utfall is not None:
                skillnad = minne_utfall.get(nyckel)
                utfall += self._forandring(rid, bas, till, pris, False) if skillnad is None else skillnad
        # Andrat(...) och Scenarioresultat(...) utan NamedTuple.__new__: (id, fält, från, till) i den
        # ordning ändringarna först står i scenariot.
        ny = tuple.__new__
        return ny(Scenarioresultat, (namn, tuple([ny(Andrat, platser[p] + (v,)) for p, v in volym.items()]), plan,
                                     utfall, self.delegation_kr))

    def _berakna_med_priser(self, namn: str, volym: dict, priser: dict) -> Scenarioresultat:
        rader, eget_pris, utforare = self._rader, self.pris, self.utforare
        berorda = {self._platser[p][0] for p in volym}
        for nyckel in priser:
            kategori, _, utf = nyckel.partition(".")
            if not utf or utf == utforare:
                berorda.update(self.per_kategori.get(kategori, ()))
        plan = NOLL
        utfall = NOLL if self.produktion is not None else None
        # Uppdragets ordning: samma summa varje gång.
        for rid in sorted(berorda, key=self._ordning.__getitem__):
            rad = rader[rid]
            kat = rad.priskategori
            pris = priser.get(f"{kat}.{utforare}", priser.get(kat, eget_pris[rid]))
            plats = 2 * self._ordning[rid]
            bas, till = volym.get(plats, rad.bas), volym.get(plats + 1, rad.tillagg)
            plan += self._forandring(rid, bas, till, pris, True)
            if utfall is not None:
                utfall += self._forandring(rid, bas, till, pris, False)
        andrat = self._andrat(volym)
        for nyckel, v in priser.items():
            kategori, _, utf = nyckel.partition(".")
            gammalt = pris_for(self.priser, kategori, utf or utforare)
            andrat.append(Andrat(nyckel, "pris", gammalt if gammalt is not None else NOLL, v))
        return Scenarioresultat(namn, tuple(andrat), plan, utfall, self.delegation_kr)
