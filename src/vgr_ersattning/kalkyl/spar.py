"""Regelboken §15 – spåret: varje regel som tillämpas, med indata, källor och resultat.

Som OpenFiscas tracer: reglerna räknar genom en `Rakning`. Utan skrivare (`RAKNA`) räknar den bara och
reglerna går i full fart; med en skrivare (`Spar`) antecknar den också varje regel som tillämpas, dess
indata med källor (ett värde som gäller, §18, eller ett utfall) och resultatet, som en nod (`Nod`).
`forklara` visar det antecknade och inget annat.

En formel skrivs en gång, som text (`formel`): texten blir funktionen som räknar när modulen
importeras, och samma text visas med värdena insatta i förklaringen. En regel som ändras ändrar
därför både beräkningen och förklaringen.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Callable, NamedTuple, Optional

from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.kalkyl.resultat import UPPDRAG, UTFALL, Kalla, antagandeordning
from vgr_ersattning.pengar import NOLL, avrunda, svensk

# Decimaler som en siffra i en förklaring högst visas med, per enhet (utan avslutande nollor).
_DECIMALER = {"tkr": 3, "mnkr": 6, "antal": 2, "kr": 2, "procent": 2, "andel": 2, "": 4}
_SUFFIX = {"kr": " kr", "tkr": " tkr", "mnkr": " mnkr", "procent": " %", "andel": " %"}


def tal(v: Any, enhet: str = "") -> str:
    """En siffra i enhetens form, utan avslutande nollor: `−82`, `136,5`, `1 922`, `66,67` (andel i procent)."""
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, tuple):      # en trappa: (från, värde) i fallande ordning
        return "; ".join(f"från {tal(a)}: {tal(b)}" for a, b in v)
    d = Decimal(v) * 100 if enhet == "andel" else Decimal(v)
    text = svensk(d, _DECIMALER.get(enhet, 4))
    return text.rstrip("0").rstrip(",") if "," in text else text


def med_enhet(v: Any, enhet: str = "") -> str:
    """Siffran med enheten efter: `54,5 tkr`, `109 425 315 kr`, `100 %`, `3 057`."""
    return tal(v, enhet) + ("" if isinstance(v, str) or v is None else _SUFFIX.get(enhet, ""))


@dataclass(frozen=True)
class Nod:
    """En siffra och hur den kom till: regeln, formeln med värdena insatta, källan (för ett indata) och
    delarna (indata, som själva är noder). `plats` och `dokument` fylls i av inläsningen (`los_upp`)."""

    namn: str
    varde: Any
    enhet: str = ""
    regel: str = ""
    formel: str = ""
    kalla: Kalla | None = None
    antaganden: tuple[str, ...] = ()
    delar: tuple[Nod, ...] = ()
    plats: str = ""
    dokument: str = ""

    def alla_antaganden(self) -> tuple[str, ...]:
        ider = set(self.antaganden)
        for d in self.delar:
            ider.update(d.alla_antaganden())
        return tuple(sorted((a for a in ider if a), key=antagandeordning))


# --- formler -------------------------------------------------------------------------------------

_HUVUD = re.compile(r"^\s*(\w+)\(([^)]*)\)\s*=\s*(.+?)\s*$")
_NAMN = re.compile(r"[^\W\d]\w*")
_SUMMA = re.compile(r"summa\((\w+)\)")


def summa(termer) -> Any:
    """Summan av termerna (Decimal 0 när de saknas)."""
    return sum(termer, NOLL)


_NAMNRYMD = {"__builtins__": {}, "min": min, "max": max, "avrunda": avrunda, "summa": summa}


class Formel:
    """En regels formel, skriven en gång: `kort(a, b) = uttryck`. `f` räknar (uttrycket kompilerat), `visa`
    skriver formeln med värdena insatta. En parameter `*x` är en följd av termer (`summa(x)`). `rakna` är
    samma uttryck som reglerna tillämpar (`Rakning.anvand`): `rakna(period, a, b, namn=…, antaganden=…)`,
    med formeln som attributet `formel`."""

    __slots__ = ("regel", "namn", "enhet", "hittills", "antaganden", "kort", "parametrar", "uttryck", "foljd", "f",
                 "rakna")

    def __init__(self, regel: str, text: str, namn: str, enhet: str = "", hittills: bool = True,
                 antaganden: tuple[str, ...] = (), funktioner: Optional[dict] = None):
        m = _HUVUD.match(text)
        if m is None:
            raise ValueError(f"en formel skrivs `namn(a, b) = uttryck`: {text!r}")
        self.regel, self.namn, self.enhet, self.hittills, self.antaganden = regel, namn, enhet, hittills, antaganden
        self.kort = m.group(1)
        self.parametrar = tuple(p.strip().lstrip("*") for p in m.group(2).split(",") if p.strip())
        self.foljd = m.group(2).strip().startswith("*")
        self.uttryck = m.group(3)
        namnrymd = dict(_NAMNRYMD, **(funktioner or {}))
        self.f: Callable[..., Any] = eval(f"lambda {m.group(2)}: {self.uttryck}", namnrymd)  # noqa: S307
        # Perioden och namnet är skrivarens; utan skrivare anropas funktionen direkt (operator.call).
        huvud = ", ".join(["_period"] + ([m.group(2).strip()] if m.group(2).strip() else [])
                          + ([] if self.foljd else ["*"]) + ["namn=None", "antaganden=()"])
        self.rakna: Callable[..., Any] = eval(f"lambda {huvud}: {self.uttryck}", namnrymd)  # noqa: S307
        self.rakna.formel = self
        self.rakna.f = self.f

    def __repr__(self) -> str:
        return f"Formel({self.kort} = {self.uttryck})"

    def rubrik(self, period: Any, namn: Optional[str] = None) -> str:
        namn = namn or self.namn
        if isinstance(period, int) and 1 <= period <= 12:
            return f"{namn} {'t.o.m. ' if self.hittills else ''}{MANADSNAMN[period - 1]}"
        return f"{namn} {period}" if period not in (None, "", 0) else namn

    def symbolisk(self) -> str:
        return _operatorer(_SUMMA.sub(lambda m: f"Σ {m.group(1)}", self.uttryck)).replace("_", " ")

    def visa(self, varden: tuple, enheter: tuple, resultat: Any) -> str:
        """`kort = uttryck = uttrycket med värdena = resultat enhet`."""
        if self.foljd:
            termer = _termer(varden, enheter[0] if enheter else "")
            insatt = _SUMMA.sub(lambda m: termer if self.uttryck.strip() == m.group(0) or " + " not in termer
                                else f"({termer})", self.uttryck)
        else:
            tabell = {p: tal(v, e) + (" %" if e == "andel" else "") for p, v, e in zip(self.parametrar, varden, enheter)}
            insatt = _NAMN.sub(lambda m: tabell.get(m.group(0), m.group(0)), self.uttryck)
        insatt = _operatorer(insatt).replace("_", " ")
        if insatt == tal(resultat, self.enhet):      # `tak = betalt = 961 tkr`, inte `= 961 = 961 tkr`
            insatt = ""
        ut = [self.kort]
        for d in (self.symbolisk(), insatt, med_enhet(resultat, self.enhet)):
            if d and d != ut[-1]:
                ut.append(d)
        return " = ".join(ut)


def _operatorer(text: str) -> str:
    for a, b in ((" - ", " − "), ("(-", "(−"), (" * ", " × "), (" >= ", " ≥ "), (" <= ", " ≤ "), (" == ", " = "),
                 (" != ", " ≠ ")):
        text = text.replace(a, b)
    return text


def _termer(varden: tuple, enhet: str) -> str:
    """Termerna i en summa: lika termer i följd som `9 × 276 488 917`, nollor utelämnade."""
    grupper: list[list] = []
    for v in varden:
        if v == 0:
            continue
        if grupper and grupper[-1][0] == v:
            grupper[-1][1] += 1
        else:
            grupper.append([v, 1])
    if not grupper:
        return "0"
    text = " + ".join(tal(v, enhet) if n == 1 else f"{n} × {tal(v, enhet)}" for v, n in grupper)
    nollor = sum(1 for v in varden if v == 0)
    return text + (f" (och {nollor} {'term' if nollor == 1 else 'termer'} med 0)" if nollor and len(varden) > 3 else "")


def formel(regel: str, text: str, namn: str, enhet: str = "", hittills: bool = True,
           antaganden: tuple[str, ...] = (), funktioner: Optional[dict] = None) -> Callable[..., Any]:
    """En formel `kort(a, b) = uttryck` (uttrycket i Pythons form: `-`, `*`, `/`, `min`, `max`, `avrunda`,
    `summa`, och `funktioner`); visas med −, × och ≥. Ger funktionen som reglerna tillämpar: `f` räknar
    bara uttrycket, `formel` är formeln (`Formel`)."""
    return Formel(regel, text, namn, enhet, hittills, antaganden, funktioner).rakna


# --- räkning utan och med spår -------------------------------------------------------------------


class Sparvarde(NamedTuple):
    """Ett värde med noden som förklarar det (bara när en skrivare antecknar)."""

    varde: Any
    nod: Nod


def _anvand(f: Callable[..., Any], period: Any, *indata: Any, **namn: Any) -> Any:
    return f(period, *indata, **namn)


def _indata(namn: str, period: Any, varde: Any, enhet: str = "", dokument: Optional[str] = None,
            *sokvag: Any) -> Any:
    return varde


def _spara(nyckel: tuple, x: Any) -> Any:
    return x


def _ut(x: Any) -> Any:
    return x


def _hamta(nyckel: tuple, varde: Any) -> Any:
    return varde


class Rakning:
    """Reglerna räknar genom en räkning: `anvand` (en formel), `las` (ett värde som gäller, §18),
    `indata` (ett utfall eller annat indata med källa), `spara` (ett resultat under en nyckel) och `ut`
    (värdet som resultatobjekten bär), `hamta` (ett sparat resultat som indata till en regel). Utan
    skrivare är det bara räkning: funktionerna nedan."""

    def __init__(self) -> None:
        # Utan skrivare är en regel ett anrop av formeln och ett värde som gäller dess värde (båda i C).
        self.anvand = getattr(operator, "call", _anvand)
        self.las = operator.itemgetter(0)
        self.indata, self.spara, self.ut, self.hamta = _indata, _spara, _ut, _hamta


RAKNA = Rakning()


class Spar(Rakning):
    """Skrivaren: antecknar varje regel som tillämpas som en nod. `utforare` fylls i i utfallets källor;
    `figurer` är de resultat reglerna sparat under en nyckel (t.ex. `("tillagg", rad-id, månad)`)."""

    def __init__(self, utforare: str = "") -> None:
        self.utforare = utforare
        self.figurer: dict[tuple, Nod] = {}
        self._noder: dict[tuple, Nod] = {}
        self.anvand, self.las, self.indata = self._anvand, self._las, self._indata
        self.spara, self.ut, self.hamta = self._spara, self._ut, self._hamta

    def _anvand(self, rakna: Callable[..., Any], period: Any, *indata: Any, namn: Optional[str] = None,
                antaganden: tuple = ()) -> Sparvarde:
        f: Formel = rakna.formel
        varden = tuple(x.varde if type(x) is Sparvarde else x for x in indata)
        enheter = tuple(x.nod.enhet if type(x) is Sparvarde else "" for x in indata)
        v = f.f(*varden)
        delar = tuple({id(x.nod): x.nod for x in indata
                       if type(x) is Sparvarde and not (f.foljd and x.varde == 0)}.values())
        nod = Nod(f.rubrik(period, namn), v, f.enhet, f.regel, f.visa(varden, enheter, v), None,
                  tuple(dict.fromkeys(a for a in f.antaganden + tuple(antaganden) if a)), delar)
        return Sparvarde(v, nod)

    def _las(self, v: Any) -> Sparvarde:
        return Sparvarde(v.varde, self._vardenod(v, v.namn))

    def _vardenod(self, v: Any, namn: str) -> Nod:
        """Ett värde som gäller (`parametrar.Varde`, med namn och enhet): dess källa, och för ett beslut
        värdet före (med sin källa)."""
        nyckel = (id(v), namn)
        nod = self._noder.get(nyckel)
        if nod is None:
            if v.fore is None:
                nod = Nod(namn, v.varde, v.enhet, kalla=v.kalla)
            else:
                fore = self._vardenod(v.fore, f"{namn} före beslutet")
                nod = Nod(namn, v.varde, v.enhet, "regelboken §18",
                          f"beslut från {MANADSNAMN[v.fran - 1]}: {tal(v.fore.varde, v.enhet)} → "
                          f"{med_enhet(v.varde, v.enhet)}", v.kalla, (), (fore,))
            self._noder[nyckel] = nod
        return nod

    def _indata(self, namn: str, period: Any, varde: Any, enhet: str = "", dokument: Optional[str] = None,
                *sokvag: Any) -> Sparvarde:
        """Ett indata med källa: i utfallet (`UTFALL`, sökvägen utan utförare) eller i utförarens del av
        uppdraget (`UPPDRAG`, sökvägen under `utforare.<utförare>`)."""
        if dokument == UTFALL:
            sokvag = (sokvag[0], self.utforare) + sokvag[1:]
        elif dokument == UPPDRAG:
            sokvag = ("utforare", self.utforare) + sokvag
        kalla = Kalla(dokument, tuple(sokvag)) if dokument else None
        rubrik = f"{namn} t.o.m. {MANADSNAMN[period - 1]}" if isinstance(period, int) and 1 <= period <= 12 else (
            f"{namn} {period}" if period not in (None, "") else namn)
        # En tabell (trappan) visas som text i noden; regeln räknar med tabellen.
        return Sparvarde(varde, Nod(rubrik, tal(varde) if isinstance(varde, tuple) else varde, enhet, kalla=kalla))

    @staticmethod
    def med(x: Any, namn: Optional[str] = None, antaganden: tuple = ()) -> Any:
        """Värdet med noden omdöpt och med fler antaganden (bara visningen); ett värde utan nod lämnas som det är."""
        if type(x) is not Sparvarde:
            return x
        ant = tuple(dict.fromkeys(x.nod.antaganden + tuple(a for a in antaganden if a)))
        return Sparvarde(x.varde, replace(x.nod, namn=namn or x.nod.namn, antaganden=ant))

    def _spara(self, nyckel: tuple, x: Any) -> Any:
        if type(x) is Sparvarde:
            self.figurer[nyckel] = x.nod
            return x.varde
        return x

    @staticmethod
    def _ut(x: Any) -> Any:
        return x.varde if type(x) is Sparvarde else x

    def _hamta(self, nyckel: tuple, varde: Any) -> Any:
        nod = self.figurer.get(nyckel)
        return varde if nod is None else Sparvarde(self._ut(varde), nod)


# --- från spår till förklaring ---------------------------------------------------------------------


def trad(nod: Nod, djup: Optional[int] = None) -> Nod:
    """Spåret (där samma indata kan vara del av flera regler) som ett träd: en nod som redan visats visas
    igen utan sina delar (`(se ovan)`); under `djup` nivåer visas delarna inte."""
    sett: set[int] = set()

    def gå(n: Nod, niva: int) -> Nod:
        if id(n) in sett and n.delar:
            return replace(n, namn=f"{n.namn} (se ovan)", formel="", antaganden=(), delar=())
        sett.add(id(n))
        if djup is not None and niva >= djup:
            return replace(n, delar=())
        return replace(n, delar=tuple(gå(d, niva + 1) for d in n.delar))

    return gå(nod, 0)


def los_upp(nod: Nod, upplosare: Callable[[Kalla], tuple[str, str]]) -> Nod:
    """Trädet med `plats` och `dokument` ifyllda för varje nod som har en källa."""
    delar = tuple(los_upp(d, upplosare) for d in nod.delar)
    if nod.kalla is None:
        return replace(nod, delar=delar)
    plats, dokument = upplosare(nod.kalla)
    return replace(nod, delar=delar, plats=plats, dokument=dokument)


def kallor(nod: Nod) -> tuple[list[tuple[str, str]], dict[tuple[str, str], int]]:
    """Källorna i trädet, var och en en gång, numrerade i den ordning de först förekommer: listan
    (plats, dokument) och numret för varje källa."""
    lista: list[tuple[str, str]] = []
    nummer: dict[tuple[str, str], int] = {}

    def gå(n: Nod) -> None:
        if n.plats or n.dokument:
            k = (n.plats, n.dokument)
            if k not in nummer:
                lista.append(k)
                nummer[k] = len(lista)
        for d in n.delar:
            gå(d)

    gå(nod)
    return lista, nummer

