"""Rapportmodellen (regelboken §13, §20, §25): vad en rapport säger, byggd en gång ur ett kommandos
resultat och skriven av varje format (`visning`: terminal, CSV, xlsx och HTML läser bara modellen).

    Redovisning     titel, avsnitt, antaganden, källor och förklaringar
      Avsnitt       en rubrik och dess tabeller (en sida i HTML:s utskrift)
        Tabell      namn, titel, kolumner, rader, fakta, noter och en bild
          Kolumn    nyckel (CSV-kolumnen, samma som JSON-nyckeln), rubrik och slag
          Rad       cellerna, rollen (RAD, GRUPP, SUMMA) och nivån (indrag)
          Cell      ett värde med eget slag, text för människor, stil eller figur att förklara
        Fakta       en uppgift (etikett och värde) under tabellen
        Not         en mening under tabellen
        Bild        ett linje- eller stapeldiagram över tabellens kolumner: data, inte pixlar

Kolumnernas slag säger vad ett värde är, och därmed hur varje format skriver det: `KR` och `TKR`
(belopp), `ANTAL`, `ANDEL` (1 = 100 %), `PROCENT` (76,5 = 76,5 %), `TAL` (ett tal utan enhet),
`MANAD` (en `Manad`), `AR`, `ID`, `NAMN`, `TEXT` och `JANEJ`. Värdena är exakta (Decimal, int): ett
format avrundar bara när det visar.

Var en del visas: `visas` är en mängd format (`TABELL`, `CSV`, `XLSX`, `HTML`). En rads roll ger
standarden: en `RAD` (en post) står i alla format, en `GRUPP` (rubrik eller delsumma) bara för
människor (terminalen och HTML), en `SUMMA` för människor och sist i xlsx; CSV har bara posterna.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.kalkyl.resultat import Kalla

# --- format -------------------------------------------------------------------------------------------

TABELL, CSV, XLSX, HTML = "tabell", "csv", "xlsx", "html"
ALLA = frozenset({TABELL, CSV, XLSX, HTML})
SKARM = frozenset({TABELL, HTML})              # för människor som läser: terminalen och HTML
BOK = frozenset({XLSX, HTML})                  # arbetsboken och HTML (inte terminalen, inte CSV)
MASKIN = frozenset({CSV, XLSX})                # det som räknas vidare på

# --- slag ---------------------------------------------------------------------------------------------

KR, TKR, ANTAL, ANDEL, PROCENT, TAL = "kr", "tkr", "antal", "andel", "procent", "tal"
MANAD, AR, ID, NAMN, TEXT, JANEJ = "manad", "ar", "id", "namn", "text", "janej"
TALSLAG = frozenset({KR, TKR, ANTAL, ANDEL, PROCENT, TAL, AR})
# Enheten som xlsx och HTML skriver efter kolumnens rubrik: "Belopp (kr)".
ENHET = {KR: "kr", TKR: "tkr", ANTAL: "antal", ANDEL: "%", PROCENT: "%"}

# --- roller -------------------------------------------------------------------------------------------

RAD, GRUPP, SUMMA = "rad", "grupp", "summa"
_ROLLENS_FORMAT = {RAD: ALLA, GRUPP: SKARM, SUMMA: SKARM | {XLSX}}

# Bildens slag.
LINJE, STAPEL = "linje", "stapel"


@dataclass(frozen=True, order=True)
class Manad:
    """En månad i ett år: `2026-08` i maskinformat, `augusti 2026` för människor."""

    ar: int
    nummer: int

    def __str__(self) -> str:
        return f"{self.ar}-{self.nummer:02d}"

    @property
    def namn(self) -> str:
        return MANADSNAMN[self.nummer - 1]

    @property
    def lang(self) -> str:
        return f"{self.namn} {self.ar}"


@dataclass(frozen=True)
class Cell:
    """Ett värde med det som skiljer det från kolumnens: ett eget `slag` (blandade enheter i en
    kolumn), `etikett` (värdets namn för den som läser, i terminalen, HTML och arbetsboken: `ej
    uppfyllt` för koden `ej_uppfyllt`), `text` (hur terminalen och HTML visar det, före etiketten),
    terminalens `stil`, `figur` (siffran som `ersattning forklara` förklarar; HTML öppnar
    förklaringen) och `visas` (formaten där värdet står; i andra är cellen tom). CSV skriver alltid
    värdet."""

    varde: Any
    slag: Optional[str] = None
    text: Optional[str] = None
    etikett: Optional[str] = None
    stil: Optional[str] = None
    figur: Optional[str] = None
    visas: Optional[frozenset] = None


@dataclass(frozen=True)
class Kolumn:
    """En kolumn: `nyckel` är maskinnamnet (CSV:s kolumn, samma som JSON:s nyckel), `rubrik` namnet
    för människor (xlsx och HTML skriver enheten efter: "Belopp (kr)"; `enhet=""` utan enhet),
    `kort` terminalens smalare rubrik, `decimaler` antalet decimaler för människor (procent), `tom`
    texten för människor där värdet saknas och `hoger` om kolumnen är högerställd för människor
    (None: tal till höger, text till vänster; en högerställd kolumn radbryts aldrig i terminalen)."""

    nyckel: str
    rubrik: str
    slag: str = TEXT
    kort: Optional[str] = None
    visas: frozenset = ALLA
    decimaler: Optional[int] = None
    enhet: Optional[str] = None
    tom: str = ""
    hoger: Optional[bool] = None

    @property
    def hogerstalld(self) -> bool:
        return self.slag in TALSLAG if self.hoger is None else self.hoger

    @property
    def med_enhet(self) -> str:
        enhet = ENHET.get(self.slag, "") if self.enhet is None else self.enhet
        return f"{self.rubrik} ({enhet})" if enhet else self.rubrik

    @property
    def i_terminalen(self) -> str:
        return self.rubrik if self.kort is None else self.kort


@dataclass(frozen=True)
class Rad:
    """En rad: cellerna i kolumnernas ordning (ett värde eller en `Cell`), rollen, nivån (indraget i
    den första kolumnen för människor), terminalens stil, om en ny sektion börjar (en tom rad i
    terminalen) och formaten där raden står (None: efter rollen)."""

    celler: tuple
    roll: str = RAD
    niva: int = 0
    stil: Optional[str] = None
    sektion: bool = False
    visas: Optional[frozenset] = None

    def i(self, format: str) -> bool:
        return format in (_ROLLENS_FORMAT[self.roll] if self.visas is None else self.visas)


@dataclass(frozen=True)
class Fakta:
    """En uppgift under en tabell: etiketten och värdet (med sitt slag)."""

    etikett: str
    varde: Any
    slag: str = TEXT
    visas: frozenset = BOK


@dataclass(frozen=True)
class Not:
    """En mening under en tabell; `stil` är terminalens."""

    text: str
    stil: str = "dim"
    visas: frozenset = SKARM | {XLSX}


@dataclass(frozen=True)
class Bild:
    """Ett diagram över tabellens rader (de med rollen RAD): kategorierna i kolumnen `kategori`, en
    serie per (namn, kolumnens nyckel). xlsx ritar ett diagram i arbetsboken, HTML en SVG."""

    titel: str
    slag: str
    kategori: str
    serier: tuple[tuple[str, str], ...]
    y_axel: str
    visas: frozenset = BOK


@dataclass(frozen=True)
class Tabell:
    """En tabell. `namn` är kort (xlsx-bladets namn, högst 31 tecken; HTML:s ankare), `titel` för
    människor. `csv_ordning` är CSV-kolumnernas ordning (nycklarna) när den skiljer sig från
    tabellens; `talformat_per_cell` när en kolumn blandar enheter (xlsx)."""

    namn: str
    titel: str
    kolumner: tuple[Kolumn, ...]
    rader: tuple[Rad, ...] = ()
    fakta: tuple[Fakta, ...] = ()
    noter: tuple[Not, ...] = ()
    bild: Optional[Bild] = None
    visas: frozenset = ALLA
    csv_ordning: Optional[tuple[str, ...]] = None
    talformat_per_cell: bool = False

    def kolumner_i(self, format: str) -> list[tuple[int, Kolumn]]:
        return [(i, k) for i, k in enumerate(self.kolumner) if format in k.visas]

    def rader_i(self, format: str) -> list[Rad]:
        return [r for r in self.rader if r.i(format)]

    def index(self, nyckel: str) -> int:
        return next(i for i, k in enumerate(self.kolumner) if k.nyckel == nyckel)


@dataclass(frozen=True)
class Avsnitt:
    """En del av rapporten: rubriken (None i en rapport med ett avsnitt), en inledning och tabellerna."""

    rubrik: Optional[str]
    tabeller: tuple[Tabell, ...]
    inledning: tuple[str, ...] = ()


class Kallrad(NamedTuple):
    """En siffras källa: tabellen, siffran, vad i den, platsen (fil:rad:kolumn) och dokumentet."""

    tabell: str
    figur: str
    vad: str
    plats: str
    dokument: str


@dataclass(frozen=True)
class Redovisning:
    """Hela rapporten. `antaganden` är id → text och källa (ur uppdragets data); `om_antaganden`
    säger varför listan är tom; `antaganden_som_not` om terminalen skriver dem sist. `kallor` är
    varje siffras källa; `forklaringar` figur → förklaringsträd (`ersattning forklara`)."""

    titel: str
    avsnitt: tuple[Avsnitt, ...]
    antaganden: Mapping = field(default_factory=dict)
    om_antaganden: str = ""
    antaganden_som_not: bool = True
    kallor: tuple[Kallrad, ...] = ()
    forklaringar: Mapping = field(default_factory=dict)

    @property
    def tabeller(self) -> list[Tabell]:
        return [t for a in self.avsnitt for t in a.tabeller]


def rad(kolumner: tuple[Kolumn, ...], varden: Mapping[str, Any], **egenskaper) -> Rad:
    """En rad ur kolumnernas nycklar: `rad(K, {"id": ..., "belopp_kr": ...}, roll=SUMMA)`. En nyckel
    som saknas är en tom cell (""), None ett värde som saknas (kolumnens `tom` för människor); en
    okänd nyckel är ett fel."""
    okanda = set(varden) - {k.nyckel for k in kolumner}
    if okanda:
        raise KeyError(f"okända kolumner: {sorted(okanda)}")
    return Rad(tuple(varden.get(k.nyckel, "") for k in kolumner), **egenskaper)


def en_del(titel: str, *tabeller: Tabell, **redovisning) -> Redovisning:
    """En rapport med ett avsnitt (de flesta kommandon)."""
    return Redovisning(titel, (Avsnitt(None, tuple(tabeller)),), **redovisning)


class Kallor:
    """Samlar källorna medan en rapport byggs: `kallor(tabell, figur, vad, Kalla(...))` slår upp
    platsen och dokumentet med kommandots upplösare (`rapport.kalla`); `plats(...)` tar dem färdiga."""

    def __init__(self, upplosare: Callable[[Kalla], tuple[str, str]]):
        self.upplosare = upplosare
        self.rader: list[Kallrad] = []

    def __call__(self, tabell: str, figur: str, vad: str, dokument: str, sokvag: tuple) -> tuple[str, str]:
        plats, dok = self.upplosare(Kalla(dokument, tuple(sokvag)))
        self.plats(tabell, figur, vad, plats, dok)
        return plats, dok

    def plats(self, tabell: str, figur: str, vad: str, plats: str, dokument: str = "") -> None:
        if plats or dokument:
            self.rader.append(Kallrad(tabell, figur, vad, plats, dokument))
