"""Text, tabeller och träd för terminalen, med bara standardbiblioteket (utan rich, så att
tabellformatet inte kostar något i uppstarten).

- `Text`: text i stilade bitar (`Text("Summa", style="bold") + Text(" 12")`), som richs `Text`.
- `radbryt`: radbrytning vid ordgränser som rich (ett ord längre än raden viks), men aldrig inne i
  ett svenskt tal: mellanrummet mellan en siffra och en grupp om tre siffror (`263 497 958`) bryts
  inte, så länge talet ryms på en rad.
- `Konsol`: samlar rader i en given bredd: noter (radbrutna), tabeller i stilen SIMPLE_HEAVY
  (fet rubrik, fet kolumnrubrik, `━` under den, två mellanslag mellan kolumnerna, en tom rad
  mellan sektioner) och träd (`├── `, `└── `, `│   `).
- `krymp`: kolumnbredder som ryms i en given bredd; de bredaste krympbara kolumnerna krymper först.

Färg bara på begäran (`Konsol(farg=True)`): ANSI SGR-koder för stilarna, nollställda efter varje
stilad bit; utan färg inga styrkoder alls. Efterföljande mellanslag på en rad tas bort.
Varje tecken räknas som en kolumn bred (verktygets text har inga breda tecken).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

_ATTRIBUT = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}
_FARGER = {"black": "30", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35",
           "cyan": "36", "white": "37"}
_SGR: dict[str, str] = {}


def sgr(stil: str) -> str:
    """Styrkoden för en stil (`"bold red"` → `ESC[1;31m`); tom för ingen stil. Flera stilar kan
    läggas efter varandra (`"red bold"`): attributen läggs ihop och den sista färgen gäller."""
    kod = _SGR.get(stil)
    if kod is None:
        attribut, farg = set(), None
        for ord_ in stil.split():
            if ord_ in _ATTRIBUT:
                attribut.add(_ATTRIBUT[ord_])
            elif ord_ in _FARGER:
                farg = _FARGER[ord_]
            else:
                raise ValueError(f"okänd stil: {ord_!r} i {stil!r}")
        koder = sorted(attribut, key=int) + ([farg] if farg else [])
        kod = _SGR[stil] = f"\x1b[{';'.join(koder)}m" if koder else ""
    return kod


NOLLSTALL = "\x1b[0m"


def _ihop(under: str, over: str) -> str:
    """`over` ovanpå `under` (en rads stil under en cells egen)."""
    return f"{under} {over}" if under and over else (under or over)


class Text:
    """Text i bitar med var sin stil. `+`, `+=`, `append`, `append_text` och `plain` som i rich."""

    __slots__ = ("delar",)

    def __init__(self, text: str = "", style: str | None = ""):
        self.delar: list[tuple[str, str]] = [(text, style or "")] if text else []

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.delar)

    def append(self, text: str | Text, style: str | None = "") -> Text:
        if isinstance(text, Text):
            return self.append_text(text)
        if text:
            self.delar.append((text, style or ""))
        return self

    def append_text(self, text: Text) -> Text:
        self.delar.extend(text.delar)
        return self

    def __add__(self, annan: str | Text) -> Text:
        ny = Text()
        ny.delar = list(self.delar)
        return ny.append(annan)

    def __iadd__(self, annan: str | Text) -> Text:  # noqa: PYI034 (append ger self)
        return self.append(annan)

    def __len__(self) -> int:
        return sum(len(t) for t, _ in self.delar)

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Text({self.delar!r})"

    def __eq__(self, annan) -> bool:
        return isinstance(annan, Text) and self.delar == annan.delar

    def stilad(self, stil: str | None) -> Text:
        """Samma text med `stil` under bitarnas egna stilar (bitens färg vinner, attributen läggs ihop)."""
        if not stil:
            return self
        ny = Text()
        ny.delar = [(t, _ihop(stil, s)) for t, s in self.delar]
        return ny

    def skiva(self, fran: int, till: int) -> Text:
        """Tecknen fran:till med sina stilar."""
        ny, pos = Text(), 0
        for t, s in self.delar:
            a, b = max(fran - pos, 0), min(till - pos, len(t))
            if a < b:
                ny.delar.append((t[a:b], s))
            pos += len(t)
            if pos >= till:
                break
        return ny

    def rstrip(self) -> Text:
        delar = list(self.delar)
        while delar:
            t, s = delar[-1]
            kvar = t.rstrip()
            if kvar:
                delar[-1] = (kvar, s)
                break
            delar.pop()
        ny = Text()
        ny.delar = delar
        return ny

    def ansi(self, farg: bool) -> str:
        """Texten för terminalen: med styrkoder om `farg`, annars ren text."""
        if not farg:
            return self.plain
        ut, forra, buf = [], None, []

        def toem():
            if buf:
                kod = sgr(forra)
                ut.append(kod + "".join(buf) + NOLLSTALL if kod else "".join(buf))
                buf.clear()
        for t, s in self.delar:
            if s != forra:
                toem()
                forra = s
            buf.append(t)
        toem()
        return "".join(ut)


def _text(t: str | Text, stil: str | None = "") -> Text:
    return t.stilad(stil) if isinstance(t, Text) else Text(str(t), stil)


# --- radbrytning ---------------------------------------------------------------------------------

# Mellanrummet i ett svenskt tal: efter en siffra, före en grupp om exakt tre siffror.
_TUSENTAL = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_HART = "\ue000"                  # ett hårt mellanrum medan raden delas (privat tecken, inte \s)
_ORD = re.compile(r"\s*\S+\s*")
_BIT = re.compile(r"[^\ue000]+\ue000?")


def _ord(rad: str, bredd: int) -> Iterable[tuple[int, str]]:
    """(start, ord med efterföljande blanktecken); ett tal är ett ord så länge det ryms på en rad."""
    for m in _ORD.finditer(_TUSENTAL.sub(_HART, rad)):
        ordet = m.group()
        if _HART not in ordet or len(ordet.rstrip()) <= bredd:
            yield m.start(), ordet
        else:                     # längre än raden: bryt hellre vid talets mellanrum än mitt i en grupp
            for bit in _BIT.finditer(ordet):
                yield m.start() + bit.start(), bit.group().replace(_HART, " ")


def _brytpunkter(rad: str, bredd: int) -> list[int]:
    """Var raden bryts (index), med richs regler: ett ord som inte ryms börjar en ny rad; ett ord
    längre än hela raden viks i bitar om `bredd` tecken."""
    brytningar: list[int] = []
    pos = 0
    for start, ordet in _ord(rad, bredd):
        langd = len(ordet.rstrip())
        if bredd - pos >= langd:
            pos += len(ordet)
        elif langd > bredd:
            bitar = [ordet[i:i + bredd] for i in range(0, len(ordet), bredd)]
            for i, bit in enumerate(bitar):
                if start:
                    brytningar.append(start)
                if i == len(bitar) - 1:
                    pos = len(bit)
                else:
                    start += len(bit)
        elif pos and start:
            brytningar.append(start)
            pos = len(ordet)
    return brytningar


def radbryt(text: str | Text, bredd: int) -> list[Text]:
    """Raderna `text` blir i bredden `bredd` (radbrytningar i texten behålls), utan efterföljande
    mellanslag. Ett svenskt tal (`1 234 567`) delas inte om det ryms på en rad."""
    text = _text(text)
    bredd = max(bredd, 1)
    plain = text.plain
    ut: list[Text] = []
    borjan = 0
    for rad in plain.split("\n"):
        slut = borjan + len(rad)
        if len(rad) <= bredd:
            ut.append(text.skiva(borjan, slut).rstrip())
        else:
            granser = [0, *_brytpunkter(rad, bredd), len(rad)]
            ut.extend(text.skiva(borjan + a, borjan + b).rstrip() for a, b in itertools.pairwise(granser))
        borjan = slut + 1
    return ut


# --- tabeller ------------------------------------------------------------------------------------

MELLANRUM = 2        # mellan två kolumner
LINJE = "━"


def tabellbredd(bredder: Sequence[int]) -> int:
    return sum(bredder) + MELLANRUM * max(len(bredder) - 1, 0)


def krymp(bredder: Sequence[int], minsta: Sequence[int], tillganglig: int) -> list[int]:
    """Bredder som tillsammans (utan mellanrummen) ryms i `tillganglig`: de bredaste kolumnerna
    krymper först, till samma bredd, men ingen under sin `minsta` (en kolumn som inte får krympa har
    `minsta` = sin bredd). Ryms de inte ens då blir det `minsta`."""
    bredder = list(bredder)
    if sum(bredder) <= tillganglig:
        return bredder
    if sum(minsta) >= tillganglig:
        return [min(b, m) for b, m in zip(bredder, minsta)]

    def summa(niva: int) -> int:
        return sum(max(m, min(b, niva)) for b, m in zip(bredder, minsta))
    lag, hog = 0, max(bredder)           # summa(lag) <= tillganglig < summa(hog)
    while hog - lag > 1:
        mitt = (lag + hog) // 2
        lag, hog = (mitt, hog) if summa(mitt) <= tillganglig else (lag, mitt)
    ut = [max(m, min(b, lag)) for b, m in zip(bredder, minsta)]
    over = tillganglig - sum(ut)
    for i in reversed(range(len(ut))):     # det som blir över: till de kapade, från höger (som rich)
        if over and bredder[i] > lag and ut[i] == lag and lag >= minsta[i]:
            ut[i] += 1
            over -= 1
    return ut


class Kolumn:
    __slots__ = ("bredd", "just", "namn")

    def __init__(self, namn: str, just: str = "left", bredd: int = 0):
        self.namn, self.just, self.bredd = namn, just, bredd


def _justera(rad: Text, bredd: int, just: str) -> Text:
    fyll = " " * max(bredd - len(rad), 0)
    return Text(fyll) + rad if just == "right" else rad + Text(fyll)


class Konsol:
    """Rader för terminalen i bredden `bredd`; `text()` ger dem (med en radbrytning efter varje)."""

    def __init__(self, bredd: int = 120, farg: bool = False):
        self.bredd = bredd
        self.farg = farg
        self.rader: list[str] = []

    def _rad(self, rad: Text) -> None:
        self.rader.append(rad.rstrip().ansi(self.farg))

    def skriv(self, text: str | Text = "", stil: str | None = "", bryt: bool = True) -> None:
        """En text radbruten i konsolens bredd (med `bryt=False` aldrig bruten)."""
        text = _text(text, stil)
        if bryt:
            for rad in radbryt(text, self.bredd):
                self._rad(rad)
        else:
            borjan = 0
            for rad in text.plain.split("\n"):
                self._rad(text.skiva(borjan, borjan + len(rad)))
                borjan += len(rad) + 1

    def tabell(self, titel: str, kolumner: Sequence[Kolumn],
               rader: Iterable[tuple[Sequence[str | Text], str | None, bool]]) -> None:
        """En tabell med kolumnerna i sina bredder: rubriken (fet, radbruten i konsolens bredd, inte
        tabellens: en smal tabell bryter inte sin rubrik), kolumnrubrikerna (feta), en linje, och
        raderna (celler, radens stil, ny sektion före). En cell som är bredare än sin kolumn
        radbryts; en sektion börjar efter en tom rad."""
        bredd = tabellbredd([k.bredd for k in kolumner])
        if titel:
            for rad in radbryt(Text(titel, "bold"), max(bredd, self.bredd)):
                self._rad(rad)
        self._tabellrad([Text(k.namn, "bold") for k in kolumner], kolumner, nederst=True)
        self.rader.append(LINJE * bredd)
        for celler, stil, sektion in rader:
            if sektion:
                self.rader.append("")
            self._tabellrad([_text(c, stil) for c in celler], kolumner)

    def _tabellrad(self, celler: Sequence[Text], kolumner: Sequence[Kolumn], nederst: bool = False) -> None:
        """En rad; varje cell radbryts i sin kolumn. Cellerna står överst i raden, kolumnrubrikerna
        (`nederst`) nederst, som i rich."""
        brutna = [radbryt(c, k.bredd) for c, k in zip(celler, kolumner)]
        hojd = max(map(len, brutna), default=0)
        if nederst:
            brutna = [[Text()] * (hojd - len(b)) + b for b in brutna]
        for i in range(hojd):
            rad = Text()
            for j, (b, k) in enumerate(zip(brutna, kolumner)):
                if j:
                    rad.append(" " * MELLANRUM)
                rad.append_text(_justera(b[i] if i < len(b) else Text(), k.bredd, k.just))
            self._rad(rad)

    def trad(self, rot: Trad) -> None:
        """Ett träd: roten, och varje gren under sin förälder med `├── `/`└── ` och `│   `."""
        def rita(nod: Trad, forsta: str, fortsatt: str) -> None:
            for i, rad in enumerate(radbryt(nod.etikett, self.bredd - len(fortsatt))):
                self._rad(Text(forsta if i == 0 else fortsatt) + rad)
            for i, barn in enumerate(nod.barn):
                sista = i == len(nod.barn) - 1
                rita(barn, fortsatt + ("└── " if sista else "├── "), fortsatt + ("    " if sista else "│   "))
        rita(rot, "", "")

    def text(self) -> str:
        return "".join(rad + "\n" for rad in self.rader)


class Trad:
    """En nod i ett träd: en etikett (radbryts) och grenar (`add` ger den nya grenen, som i rich)."""

    __slots__ = ("barn", "etikett")

    def __init__(self, etikett: str | Text):
        self.etikett = _text(etikett)
        self.barn: list[Trad] = []

    def add(self, etikett: str | Text) -> Trad:
        gren = Trad(etikett)
        self.barn.append(gren)
        return gren
