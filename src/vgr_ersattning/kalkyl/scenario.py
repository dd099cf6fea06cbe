"""Regelboken §11 – vad händer om: ändrade volymer och priser, och delegationsgränsen.

Ett scenario är en lista ändringar. Förändringen i tilläggsersättning räknas vid full leverans
(planen: ersatta = tillägg på varje rad) och, med utfall, vid det faktiska utfallet hittills.
Bara de rader som ändringarna rör räknas om, så tusentals scenarier går fort.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.plan import profil_for
from vgr_ersattning.kalkyl.tillagg import STANDARD_BASMODELL, berakna_rad, pris_for, radens_pris
from vgr_ersattning.modell import Priser, Tillaggsregler, Volymer, Volymrad

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


@dataclass(frozen=True)
class _AndradRad:
    """En volymrad med ändrad bas och tillägg: de fält `berakna_rad` läser (en pydantic-kopia per
    ändring kostade en tredjedel av en scenariobatch)."""

    namn: str
    uppdrag: int
    bas: int
    tillagg: int
    priskategori: str
    antagande: Optional[str]


class Scenariomotor:
    """Utvärderar scenarier för en utförare med regelbokens §4-funktion (`tillagg.berakna_rad`):
    en ändrad rad räknas om med samma regel som `berakna`, vid full leverans och vid utfallet
    hittills, och förändringen är skillnaden mot den oförändrade raden. Bara de rader som
    ändringarna rör räknas om, så tusentals scenarier går fort."""

    def __init__(self, volymer: Volymer, priser: Priser, utforare: str, delegation_kr: Decimal,
                 produktion: Optional[Mapping[str, Sequence[int]]] = None, till_och_med: int = 12,
                 regler: Optional[Tillaggsregler] = None):
        self.volymer, self.priser, self.utforare = volymer, priser, utforare
        self.delegation_kr = delegation_kr
        self.produktion, self.till_och_med = produktion, till_och_med
        self.basmodell = regler.basmodell if regler else STANDARD_BASMODELL
        self.pris: dict[str, Decimal] = {}
        self.sokvag: dict[str, tuple] = {}
        self.per_kategori: dict[str, list[str]] = {}
        for rid, rad in volymer.rader.items():
            self.pris[rid], self.sokvag[rid] = radens_pris(priser, rid, rad, utforare)
            self.per_kategori.setdefault(rad.priskategori, []).append(rid)
        self._fore: dict[tuple[str, bool], Decimal] = {}
        self._ordning = {rid: i for i, rid in enumerate(volymer.rader)}
        # §4 för en rad beror bara på radens bas, tillägg och pris (och utfallet, som är fast här): samma
        # läge i tusentals scenarier räknas en gång med berakna_rad och återanvänds.
        self._minne: dict[tuple, Decimal] = {}

    def _belopp(self, rid: str, rad: Volymrad, pris: Decimal, plan: bool) -> Decimal:
        """§4 för raden: vid full leverans (planen för hela året) eller vid utfallet hittills."""
        nyckel = (rid, rad.bas, rad.tillagg, pris, plan)
        belopp = self._minne.get(nyckel)
        if belopp is None:
            belopp = self._minne[nyckel] = self._belopp_rakna(rid, rad, pris, plan)
        return belopp

    def _belopp_rakna(self, rid: str, rad: Volymrad, pris: Decimal, plan: bool) -> Decimal:
        return berakna_rad(rid, rad, pris, self.sokvag[rid], profil_for(self.volymer, rid),
                           None if self.produktion is None else self.produktion.get(rid), plan,
                           12 if plan else self.till_och_med, self.basmodell, manadsvis=False).belopp_kr

    def _belopp_fore(self, rid: str, plan: bool) -> Decimal:
        nyckel = (rid, plan)
        if nyckel not in self._fore:
            self._fore[nyckel] = self._belopp(rid, self.volymer.rader[rid], self.pris[rid], plan)
        return self._fore[nyckel]

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
        volym: dict[tuple[str, str], int] = {}
        priser: dict[str, Decimal] = {}
        for i, a in enumerate(scenario.andringar):
            try:
                self._tillampa(a, volym, priser)
            except Scenariofel as e:
                e.index = i
                raise
        return self._berakna(scenario.namn, volym, priser)

    def _tillampa(self, a: Andring, volym: dict, priser: dict) -> None:
        if a.falt == "pris":
            nyckel = self._prisnyckel(a.id)
            if a.satt is None:
                raise Scenariofel(f"{a.id}: ett pris sätts (satt), det ändras inte med ett belopp")
            if a.satt < 0:
                raise Scenariofel(f"{a.id}: ett pris kan inte vara negativt ({a.satt})")
            priser[nyckel] = Decimal(a.satt)
            return
        rad = self.volymer.rader.get(a.id)
        if rad is None:
            raise Scenariofel(f"okänt rad-id {a.id!r}")
        if a.falt not in FALT:
            raise Scenariofel(f"{a.id}: okänt fält {a.falt!r} (bas, tillagg eller pris)")
        nu = volym.get((a.id, a.falt), getattr(rad, a.falt))
        ny = a.satt if a.satt is not None else nu + (a.andra or 0)
        if ny != int(ny):
            raise Scenariofel(f"{a.id}.{a.falt}: en volym är ett heltal, inte {ny}")
        if ny < 0:
            raise Scenariofel(f"{a.id}.{a.falt}: volymen blir negativ ({ny})")
        volym[(a.id, a.falt)] = int(ny)

    def _berakna(self, namn: str, volym: dict, priser: dict) -> Scenarioresultat:
        berorda = {rid for rid, _ in volym}
        for nyckel in priser:
            kategori, _, utf = nyckel.partition(".")
            if not utf or utf == self.utforare:
                berorda.update(self.per_kategori.get(kategori, ()))
        plan = NOLL
        utfall = NOLL if self.produktion is not None else None
        for rid in sorted(berorda, key=self._ordning.__getitem__):   # uppdragets ordning: samma summa varje gång
            rad = self.volymer.rader[rid]
            kat = rad.priskategori
            pris_ny = priser.get(f"{kat}.{self.utforare}", priser.get(kat, self.pris[rid]))
            bas, till = volym.get((rid, "bas"), rad.bas), volym.get((rid, "tillagg"), rad.tillagg)
            # Uppdraget följer basen och tillägget (regelboken §3: uppdrag = bas + tillägg).
            ny_rad = _AndradRad(rad.namn, bas + till, bas, till, rad.priskategori, rad.antagande)
            plan += self._belopp(rid, ny_rad, pris_ny, True) - self._belopp_fore(rid, True)
            if utfall is not None:
                utfall += self._belopp(rid, ny_rad, pris_ny, False) - self._belopp_fore(rid, False)
        andrat = [Andrat(rid, f, getattr(self.volymer.rader[rid], f), v) for (rid, f), v in volym.items()]
        for nyckel, v in priser.items():
            kategori, _, utf = nyckel.partition(".")
            gammalt = pris_for(self.priser, kategori, utf or self.utforare)
            andrat.append(Andrat(nyckel, "pris", gammalt if gammalt is not None else NOLL, v))
        return Scenarioresultat(namn, tuple(andrat), plan, utfall, self.delegation_kr)
