"""Regelboken §11 – vad händer om: ändrade volymer och priser, och delegationsgränsen.

Ett scenario är en lista ändringar. Förändringen i tilläggsersättning räknas vid full leverans
(planen: ersatta = tillägg på varje rad) och, med utfall, vid det faktiska utfallet hittills.
Bara de rader som ändringarna rör räknas om, så tusentals scenarier går fort.
"""

from __future__ import annotations

import decimal
import itertools
import operator
from decimal import Decimal
from typing import Iterator, Mapping, NamedTuple, Optional, Protocol, Sequence

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
        return kraver_namndbeslut((self.forandring_plan_kr,), self.delegation_kr)[0]


def kraver_namndbeslut(forandringar_plan_kr: Sequence[Decimal], delegation_kr: Decimal) -> list[bool]:
    """Regelboken §11, för varje förändring vid plan: inom delegationen när |förändringen| ≤ gränsen."""
    return list(map(operator.gt, map(abs, forandringar_plan_kr), itertools.repeat(delegation_kr)))


class Scenarioblock(NamedTuple):
    """Många scenarier som kolumner (en scenariofil läses i block: `Scenariomotor.utvardera_block`).
    Scenario k heter `namn[k]` och har ändringarna `granser[k]` till `granser[k + 1]` i `id`, `falt`,
    `satt` och `andra` (som i `Andring`: exakt en av satt och andra är None)."""

    namn: list[str]
    granser: list[int]
    id: list[str]
    falt: list[str]
    satt: list
    andra: list

    def scenarier(self) -> Iterator[Scenario]:
        """Scenarierna ett i taget."""
        ny, g = tuple.__new__, self.granser
        andringar = [ny(Andring, a) for a in zip(self.id, self.falt, self.satt, self.andra)]
        for k, namn in enumerate(self.namn):
            yield ny(Scenario, (namn, tuple(andringar[g[k]:g[k + 1]])))


class Resultatblock(NamedTuple):
    """Resultaten för ett `Scenarioblock` som kolumner: scenario k har ändringarna `granser[k]` till
    `granser[k + 1]` och förändringen `plan[k]` och `utfall[k]` (None utan utfall);
    `kraver_namndbeslut[k]` som i `Scenarioresultat`. En förändring är exakt, ett heltal som int och
    annars Decimal. Ändring i är `ordbok[kod[i]]` = (id, falt, fran)
    och `till[i]`: samma kod är samma id, fält och värde före i hela batchen (motorns platser)."""

    namn: list[str]
    granser: list[int]
    kod: list[int]
    ordbok: Sequence[tuple[str, str, int]]
    till: list[int]
    plan: list[Decimal | int]
    utfall: list[Optional[Decimal | int]]
    kraver_namndbeslut: list[bool]
    delegation_kr: Decimal

    def resultat(self) -> Iterator[Scenarioresultat]:
        """Scenarioresultaten ett i taget (förändringarna som Decimal)."""
        ny, g, ordbok = tuple.__new__, self.granser, self.ordbok
        andrat = [ny(Andrat, ordbok[k] + (t,)) for k, t in zip(self.kod, self.till)]
        for k, namn in enumerate(self.namn):
            plan, utfall = self.plan[k], self.utfall[k]
            yield ny(Scenarioresultat, (namn, tuple(andrat[g[k]:g[k + 1]]), Decimal(plan),
                                        None if utfall is None else Decimal(utfall), self.delegation_kr))


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
# En plats (se Scenariomotor.__init__) med volymerna 0 till 2 × uppdragets + TABELL_MARGINAL, högst
# TABELL_STORLEK, har sina förändringar i en lista (8 byte per volym, bara för platser som ändras).
TABELL_MARGINAL = 1024
TABELL_STORLEK = 1 << 14


def _summor(varden: list, granser: list[int], skivor: list[slice]) -> list:
    """Summan av `varden` i varje skiva (scenario k: granser[k] till granser[k + 1]). Heltal som
    skillnader mellan löpande summor (utan en lista per scenario); annars med `sum` per skiva."""
    if type(sum(varden)) is int:
        lopande = [0, *itertools.accumulate(varden)]
        return list(map(operator.sub, map(lopande.__getitem__, granser[1:]), map(lopande.__getitem__, granser)))
    return list(map(sum, map(varden.__getitem__, skivor)))


def tabellstorlekar(volymer: Volymer) -> list[int]:
    """Hur många volymer varje plats (rad och fält, se `Scenariomotor`) har i motorns tabell:
    0 till 2 × uppdragets + TABELL_MARGINAL, högst TABELL_STORLEK."""
    return [min(2 * getattr(rad, f) + TABELL_MARGINAL, TABELL_STORLEK) for rad in volymer.rader.values() for f in FALT]


def delade_platser(volymer: Volymer) -> int:
    """Hur stor en `DeladTabell` för en motor med `volymer` är: varje plats volymer vid plan och utfall."""
    return 2 * sum(tabellstorlekar(volymer))


class DeladTabell(Protocol):
    """Heltal som flera motorer delar (i var sin process, `kommandon.scenario`): `hamta(i)` ger det
    som sparats på plats i, eller None; `spara(i, tal)` sparar ett heltal (eller inget, när det inte
    ryms). Ett värde som sparats är alltid samma värde som motorn skulle räkna fram."""

    def hamta(self, i: int) -> Optional[int]: ...

    def spara(self, i: int, tal: int) -> None: ...


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
                 regler: Optional[Tillaggsregler] = None, delad: Optional[DeladTabell] = None):
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
        # Samma sak för `utvardera_block`, uppslagen en kolumn i taget: (id, fält) → platsen, och per
        # plats värdet i uppdraget och radens bit (1 << raden).
        self._plats = {k: p for k, (p, _) in self._falt.items()}
        self._fran = [v for _, _, v in self._platser]
        self._radbit = [1 << (p >> 1) for p in range(len(self._platser))]
        self._serier: dict[int, Serie] = {}
        # Per läge (plan, utfall) och plats: förändringen när bara platsens volym är ändrad, i en lista med
        # volymen som index (`_radforandringar`; tom tills platsen används, högst TABELL_STORLEK), och
        # volymer utanför listan i ett minne (högst MAX_MINNE).
        self._tabell: dict[bool, list[list]] = {True: [[] for _ in self._platser], False: [[] for _ in self._platser]}
        self._tabell_storlek = tabellstorlekar(volymer)
        # En tabell som flera motorer (processer) delar (`delad`, se `utvardera_block`): var platsens
        # volymer börjar, vid plan och vid utfall.
        self._delad = delad
        borjan = list(itertools.accumulate(self._tabell_storlek, initial=0))
        self._delad_borjan = {True: borjan[:-1], False: [b + borjan[-1] for b in borjan[:-1]]}
        self._utanfor: dict[bool, dict[tuple[int, int], Decimal | int]] = {True: {}, False: {}}
        self._lika_varden: dict[Decimal | int, Decimal | int] = {}
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
            skillnad = self._rakna_forandring(rid, bas, tillagg, pris, plan)
            if self._poster >= MAX_MINNE:
                for m in self._minne.values():
                    for d in m.values():
                        d.clear()
                self._poster = 0
            minne[nyckel] = skillnad
            self._poster += 1
        return skillnad

    def _rakna_forandring(self, rid: str, bas: int, tillagg: int, pris: Decimal, plan: bool) -> Decimal:
        """`_forandring` utan minnet."""
        v = self.varden.rader[rid]
        serier, serie = self._serier, self._serie
        belopp = self._belopp_rakna(rid, tuple.__new__(Radvarden, (
            rid, v.namn, v.priskategori, v.antagande, serier.get(bas + tillagg) or serie(bas + tillagg),
            serier.get(bas) or serie(bas), serier.get(tillagg) or serie(tillagg),
            v.pris if pris is self.pris[rid] else _lika(pris), v.pris_sokvag)), plan)
        return belopp - self._belopp_fore(rid, plan)

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

    def utvardera_block(self, block: Scenarioblock) -> Optional[Resultatblock]:
        """Regelboken §11 för ett block scenarier där varje ändring är den enda av sin rad i sitt
        scenario och ger en bas eller ett tillägg som är ett heltal ≥ 0 (det vanliga i en genererad
        batch); None när något scenario i blocket inte är sådant (då utvärderas de ett i taget, med
        `utvardera`, som också ger felen).

        Samma räkning som `utvardera`: varje rads förändring är §4 för radens läge (`_forandring`) minus
        §4 för den oförändrade raden, och ett scenarios förändring summan av dess raders. Summan räknas
        i ändringarnas ordning, inte uppdragets: decimaltal adderas exakt så länge summan ryms i
        kontextens precision, och när den inte gör det (decimalmodulens Inexact) är det None."""
        n = len(block.id)
        g = block.granser
        if not n or len(g) != len(block.namn) + 1 or g[0] != 0 or g[-1] != n or not all(map(operator.le, g, g[1:])):
            return None
        platser = list(map(self._plats.get, zip(block.id, block.falt)))
        if None in platser:
            return None                     # ett okänt id eller fält
        fran = list(map(self._fran.__getitem__, platser))
        try:
            if block.satt.count(None) == n:
                till = list(map(operator.add, fran, block.andra))
            else:
                till = [s if s is not None else f + a for f, s, a in zip(fran, block.satt, block.andra)]
            # Heltal ≥ 0 (en Decimal gör summan till en Decimal, None ger TypeError).
            if type(sum(till)) is not int or min(till) < 0:
                return None
        except TypeError:
            return None
        # Två ändringar av samma rad i ett scenario (bas och tillägg, eller samma fält två gånger) räknas
        # av `utvardera`. Summan av scenariots radbitar (1 << rad) har lika många ettor som ändringar
        # precis när raderna är olika (två lika bitar ger en minnessiffra och en etta färre).
        skivor = list(map(slice, g, g[1:]))
        radbitar = _summor(list(map(self._radbit.__getitem__, platser)), g, skivor)
        if list(map(operator.sub, g[1:], g)) != list(map(int.bit_count, radbitar)):
            return None
        plan = self._radforandringar(platser, till, True)
        utfall = None if self.produktion is None else self._radforandringar(platser, till, False)
        kontext = decimal.getcontext()
        fore = kontext.flags[decimal.Inexact]
        kontext.flags[decimal.Inexact] = False
        try:
            plan_summor = _summor(plan, g, skivor)
            utfall_summor = [None] * len(skivor) if utfall is None else _summor(utfall, g, skivor)
            if kontext.flags[decimal.Inexact]:
                return None
        finally:
            kontext.flags[decimal.Inexact] = fore or kontext.flags[decimal.Inexact]
        return Resultatblock(block.namn, g, platser, self._platser, till, plan_summor, utfall_summor,
                             kraver_namndbeslut(plan_summor, self.delegation_kr), self.delegation_kr)

    def _radforandringar(self, platser: list[int], volymer: list[int], plan: bool) -> list[Decimal | int]:
        """Förändringen för varje plats med sin volym (en rad med ett fält ändrat), ur platsens lista,
        annars `_radforandring`."""
        tabell = self._tabell[plan]
        try:
            ut = list(map(operator.getitem, map(tabell.__getitem__, platser), volymer))
        except IndexError:              # en plats utan lista än, eller en volym utanför den
            ut = [None] * len(platser)
        # (`None in ut` jämför varje decimaltal med None, vilket är tio gånger långsammare än `is`.)
        if any(map(operator.is_, ut, itertools.repeat(None))):
            for i, varde in enumerate(ut):
                if varde is None:
                    ut[i] = self._radforandring(platser[i], volymer[i], plan)
        return ut

    def _radforandring(self, plats: int, volym: int, plan: bool) -> Decimal | int:
        """En plats med en volym som inte finns i platsens lista: ur minnet för volymer utanför listan,
        ur den delade tabellen (en annan motor, process, kan ha räknat läget) eller räknad med
        `_rakna_forandring`, och sparad (ett helt belopp som int, lika belopp som ett objekt)."""
        storlek = self._tabell_storlek[plats]
        lista, utanfor = self._tabell[plan][plats], self._utanfor[plan]
        if volym < storlek:
            if not lista:
                lista.extend([None] * storlek)
            varde = lista[volym]
        else:
            varde = utanfor.get((plats, volym))
        if varde is not None:
            return varde
        delad = self._delad if volym < storlek else None
        i_delad = self._delad_borjan[plan][plats] + volym
        if delad is not None:
            varde = delad.hamta(i_delad)
        if varde is None:
            rid, bas, till, pris, _, _ = self._info[plats >> 1]
            if plats & 1:
                till = volym
            else:
                bas = volym
            varde = self._rakna_forandring(rid, bas, till, pris, plan)
            # Ett helt belopp som ett heltal (int): det adderas fortare och tar en tredjedel av minnet
            # (en miljon uppslagningar läser det).
            if varde == varde.to_integral_value():
                varde = int(varde)
                if delad is not None:
                    delad.spara(i_delad, varde)
        # Lika förändringar (alla baser vid plan ger 0) som ett objekt.
        lika = self._lika_varden
        if len(lika) >= MAX_MINNE:
            lika.clear()
        varde = lika.setdefault(varde, varde)
        if volym < storlek:
            lista[volym] = varde
        else:
            if len(utanfor) >= MAX_MINNE:
                utanfor.clear()
            utanfor[(plats, volym)] = varde
        return varde

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
