"""Utbetalningsjournalens data, textformat och kedja (regelboken §19, §21).

Formatet (UTF-8, radslut LF, sista raden slutar med radslut)::

    # Utbetalningsjournal – vgr-ersattning
    # utförare: SV
    # år: 2026

    manad: 2026-01
      korning: 2026-01-25
      indata: uppdrag_2026.yaml sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
      anslag: 276488917
      tillagg:somatik.operation.allman_kirurgi: 0
      summa: 276488917
      kedja: 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b

    manad: 2026-02
      …

- De tre första raderna är huvudet: rubriken, utföraren och året. Varje bokförd månad är ett block
  som börjar med en tom rad och `manad: ÅÅÅÅ-MM`, följt av (indragna två blanksteg, i den här
  ordningen) `korning:` körningens datum (ÅÅÅÅ-MM-DD), noll eller flera `indata: NAMN sha256:HEX`
  (SHA-256 av varje indatafil, 64 gemena hexsiffror; namnet är filens namn, aldrig en absolut
  sökväg), noll eller flera `KOMPONENT: BELOPP` (noll när månaden inte har något att betala, med
  `summa: 0`), `summa: BELOPP` och sist `kedja: HEX`.
- En komponent är ett namn utan blanksteg av bokstäver, siffror och `_ . : -`, som inte slutar med
  kolon. `manad`, `korning`, `indata`, `summa` och `kedja` är reserverade. Vilka komponenter en
  utbetalning har (`anslag`, `tillagg:RAD`, `avrakning:POST`, `malrelaterad:ÅÅÅÅ-QN`) prövar
  kontrollen (`journal_kontroll`), inte formatet.
- Ett belopp är kronor skrivna exakt, med punkt som decimaltecken och högst två decimaler (öre):
  `-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?`, aldrig exponent, tusentalsavgränsare eller `-0`.
  Inläst blir det `decimal.Decimal`; `format_journal(las_journal_text(t)) == t` för varje giltig
  journaltext, och en Journal som skrivs och läses igen är lika med sig själv.
- Filen får inget annat: inga kommentarer utöver huvudet, inga extra tomma rader, ingen CR.

Kedjan (regelboken §21): varje månads `kedja` är SHA-256 (hex) över föregående månads kedjevärde
och månadens egna rader i kanonisk form: `föregående + "\\n" + blocket` i UTF-8, där blocket är
månadens rader från `manad:` till och med `summa:` som `format_bokforing` skriver dem, i filens
ordning, med radslut. Januaris föregående värde är SHA-256 av huvudets tre rader
(`kedja_fore_januari`). Den sista månadens kedjevärde är journalens **kvittens**. En ändring av en
rad, en bytt ordning, en borttagen eller tillagd rad eller ett borttaget block ändrar kedjan.

En journal utan `kedja:`-rader är skriven före kedjan: den läses (så att den kan uppgraderas) men
kontrollen vägrar den. En journal där bara några block har kedjevärde är ett formatfel.

Inläsningen (`las_journal_text`) kräver bara att formatet stämmer; att innehållet hänger ihop och
att kedjan håller prövar `journal_kontroll`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Iterable, Optional, Sequence, Union

from vgr_ersattning.inlasning.fel import MAX_FEL, Fel, Felsamlare, Inlasningsfel, Plats

TITEL = "# Utbetalningsjournal – vgr-ersattning"
UTFORARE_RAD = "# utförare: "
AR_RAD = "# år: "
# En journal större än så här är inte en journal (tolv månader är några kilobyte).
MAX_JOURNAL_BYTE = 8 * 1024 * 1024
# Högsta belopp i kr (exklusive): femton heltalssiffror.
MAX_BELOPP_KR = Decimal(10) ** 15

RESERVERADE = frozenset({"manad", "korning", "indata", "summa", "kedja"})

MANAD = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BELOPP = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?")
KOMPONENT = re.compile(r"[0-9A-Za-zÅÄÖåäöÉé_][0-9A-Za-zÅÄÖåäöÉé_.:\-]*(?<!:)")
_UTFORARE = re.compile(r"[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö_.\-]{0,39}")
_AR = re.compile(r"[1-9][0-9]{3}")
SHA256 = re.compile(r"[0-9a-f]{64}")
_STYRTECKEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def visat_namn(text: Union[str, bytes, "os.PathLike[str]"]) -> str:
    """Ett filnamn som det kan visas och skrivas i journalen: byte som inte är UTF-8 (i Python som
    surrogat, `os.fsdecode`) visas som `\\xe5`, aldrig som ett undantag vid utskriften."""
    text = os.fsdecode(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")


# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """Ett belopp som betalats för en komponent en månad. `rad` är raden i journalfilen (0 när
    posten inte kommer ur en fil) och ingår inte i jämförelser."""

    manad: str                    # "2026-09"
    komponent: str                # "anslag", "tillagg:somatik.operation.allman_kirurgi", …
    belopp_kr: Decimal
    rad: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Bokforing:
    """En bokförd månad: körningens datum, posterna, summan och indatafilernas fingeravtryck.
    `kedja` är kedjevärdet som det står i filen (None när bokföringen inte kommer ur en fil med
    kedja) och ingår, som `rad`, inte i jämförelser: det räknas ut ur resten."""

    manad: str                               # "2026-09"
    korning: str                             # körningens datum, ÅÅÅÅ-MM-DD
    poster: tuple[Post, ...]
    summa_kr: Decimal
    indata: tuple[tuple[str, str], ...]      # (filens namn, sha256 hex)
    rad: int = field(default=0, compare=False, repr=False)
    kedja: Optional[str] = field(default=None, compare=False, repr=False)

    @property
    def nummer(self) -> int:
        """Månadens nummer 1–12 (0 om `manad` inte är en månad)."""
        m = MANAD.fullmatch(self.manad) if isinstance(self.manad, str) else None
        return int(m.group(2)) if m else 0

    @property
    def ar(self) -> int:
        """Månadens år (0 om `manad` inte är en månad)."""
        m = MANAD.fullmatch(self.manad) if isinstance(self.manad, str) else None
        return int(m.group(1)) if m else 0


@dataclass(frozen=True)
class Journal:
    """En utbetalningsjournal: utföraren, året och de bokförda månaderna i filens ordning. `namn`
    är journalens visningsnamn i fel och problem; `kedjad` är False för en fil skriven före
    kedjan. Ingen av dem ingår i jämförelser."""

    utforare: str
    ar: int
    bokforingar: tuple[Bokforing, ...]
    namn: str = field(default="journal", compare=False, repr=False)
    kedjad: bool = field(default=True, compare=False, repr=False)

    def betalt_fore(self, manad: int) -> dict[str, Decimal]:
        """Summan per komponent av det som bokförts för journalens år i månader före `manad`
        (1–13; 13 ger hela året). Komponenter som bara bokförts senare är inte med."""
        summor: dict[str, Decimal] = {}
        with localcontext() as k:
            k.prec = 100
            for b in self.bokforingar:
                if b.ar == self.ar and 0 < b.nummer < manad:
                    for p in b.poster:
                        summor[p.komponent] = summor.get(p.komponent, Decimal(0)) + p.belopp_kr
        return summor

    def sista_manad(self) -> Optional[int]:
        """Numret (1–12) på den senast bokförda månaden (den sista i filen), None om ingen."""
        return self.bokforingar[-1].nummer if self.bokforingar else None

    def bokforing(self, manad: Union[int, str]) -> Optional[Bokforing]:
        """Bokföringen för månaden (nummer i journalens år eller "ÅÅÅÅ-MM"), None om den saknas."""
        text = f"{self.ar}-{manad:02d}" if isinstance(manad, int) else manad
        return next((b for b in self.bokforingar if b.manad == text), None)

    def kvittens(self) -> Optional[str]:
        """Kvittensen: den sista månadens kedjevärde (hex), uträknat ur huvudet och alla månaders
        rader; None när inget är bokfört."""
        varden = kedjevarden(self)
        return varden[-1] if varden else None


class Journalfel(Inlasningsfel):
    """Ett fel som gäller journalen som helhet (inte en rad i den): `namn: meddelande` som sista
    rad, föregången av `fore` (t.ex. journalens problem). `meddelande` är den sista raden."""

    def __init__(self, namn: str, meddelande: str, fore: Sequence[Fel] = ()):
        fore = list(fore)
        if len(fore) > MAX_FEL:
            fore = fore[:MAX_FEL] + [Fel(fore[MAX_FEL].plats, "", f"… och {len(fore) - MAX_FEL} fel till")]
        sista = Fel(Plats(namn, 0, 0), "", meddelande)
        super().__init__(fore + [sista])
        self.meddelande = str(sista)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.fel)


# --- kedjan -------------------------------------------------------------------------------------


def huvud(utforare: str, ar: int) -> str:
    """Journalens tre första rader."""
    return f"{TITEL}\n{UTFORARE_RAD}{utforare}\n{AR_RAD}{ar}\n"


def kedja_fore_januari(utforare: str, ar: int) -> str:
    """Kedjans början: SHA-256 (hex) av huvudets tre rader."""
    return hashlib.sha256(huvud(utforare, ar).encode("utf-8")).hexdigest()


def _kanonisk(b: Bokforing) -> str:
    rader = [f"manad: {b.manad}", f"  korning: {b.korning}"]
    rader += [f"  indata: {filnamn} sha256:{hex_}" for filnamn, hex_ in b.indata]
    rader += [f"  {p.komponent}: {belopp_text(p.belopp_kr, 'bokföringen', p.komponent)}" for p in b.poster]
    rader.append(f"  summa: {belopp_text(b.summa_kr, 'bokföringen', 'summa')}")
    return "\n".join(rader) + "\n"


def kedjevarde(foregaende: str, b: Bokforing) -> str:
    """Månadens kedjevärde: SHA-256 (hex) av `foregaende + "\\n" + månadens rader` (se modulen).
    Kastar `Journalfel` om bokföringens belopp inte går att skriva."""
    return hashlib.sha256(f"{foregaende}\n{_kanonisk(b)}".encode("utf-8")).hexdigest()


def kedjevarden(journal: Journal) -> list[str]:
    """Kedjevärdet för varje bokförd månad i filens ordning, uträknade från huvudet (de sparade
    kedjevärdena används inte)."""
    varde = kedja_fore_januari(journal.utforare, journal.ar)
    ut = []
    for b in journal.bokforingar:
        varde = kedjevarde(varde, b)
        ut.append(varde)
    return ut


# --- text ---------------------------------------------------------------------------------------


def belopp_text(belopp: object, namn: str, vad: str) -> str:
    """Beloppet som journalen skriver det, eller `Journalfel`."""
    if isinstance(belopp, bool) or not isinstance(belopp, Decimal):
        raise Journalfel(namn, f"{vad}: beloppet {belopp!r} är inte ett decimal.Decimal "
                               "(pengar räknas aldrig med flyttal)")
    if not belopp.is_finite():
        raise Journalfel(namn, f"{vad}: beloppet {belopp} är inte ett tal")
    if abs(belopp) >= MAX_BELOPP_KR:
        raise Journalfel(namn, f"{vad}: beloppet {belopp} kr är orimligt stort (högst 15 siffror före decimaltecknet)")
    if belopp.is_zero():
        belopp = belopp.copy_abs()
    exponent = belopp.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -2:
        avrundat = belopp.quantize(Decimal("0.01"))
        if avrundat != belopp:
            raise Journalfel(namn, f"{vad}: beloppet {belopp} kr har delar av ören; "
                                   "en utbetalning bokförs i kronor med högst två decimaler")
        belopp = avrundat
    elif exponent > 0:
        belopp = belopp.quantize(Decimal(1))
    text = format(belopp, "f")
    assert _BELOPP.fullmatch(text), text
    return text


def summa(belopp: Iterable[Decimal]) -> Decimal:
    with localcontext() as k:
        k.prec = 100
        return sum(belopp, Decimal(0))


def validera_huvud(namn: str, utforare: object, ar: object) -> None:
    if not isinstance(utforare, str) or not _UTFORARE.fullmatch(utforare):
        raise Journalfel(namn, f"ogiltig utförare {utforare!r} (bokstäver, siffror och _ . -, högst 40 tecken)")
    if isinstance(ar, bool) or not isinstance(ar, int) or not _AR.fullmatch(str(ar)):
        raise Journalfel(namn, f"ogiltigt år {ar!r} (fyra siffror)")


def validera_bokforing(namn: str, b: Bokforing, ar: Optional[int] = None) -> None:
    """Att bokföringen går att skriva och läsa tillbaka exakt och håller ihop; `Journalfel` annars."""
    if not isinstance(b, Bokforing):
        raise Journalfel(namn, f"inte en Bokforing: {type(b).__name__}")
    m = MANAD.fullmatch(b.manad) if isinstance(b.manad, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise Journalfel(namn, f"ogiltig månad {b.manad!r} (ÅÅÅÅ-MM)")
    if ar is not None and int(m.group(1)) != ar:
        raise Journalfel(namn, f"{b.manad} hör inte till journalens år {ar}")
    if not giltigt_datum(b.korning):
        raise Journalfel(namn, f"{b.manad}: ogiltigt datum för körningen {b.korning!r} (ÅÅÅÅ-MM-DD)")
    if not isinstance(b.poster, tuple):      # en månad utan komponenter (inget att betala) har summan 0
        raise Journalfel(namn, f"{b.manad}: posterna är inte en tuple")
    sedda: set[str] = set()
    for p in b.poster:
        if not isinstance(p, Post):
            raise Journalfel(namn, f"{b.manad}: inte en Post: {type(p).__name__}")
        if p.manad != b.manad:
            raise Journalfel(namn, f"{b.manad}: posten {p.komponent} gäller månaden {p.manad}")
        if not isinstance(p.komponent, str) or not KOMPONENT.fullmatch(p.komponent) or p.komponent in RESERVERADE:
            raise Journalfel(namn, f"{b.manad}: ogiltig komponent {p.komponent!r} (bokstäver, siffror och "
                                   "_ . : -, utan blanksteg, inte manad/korning/indata/summa/kedja)")
        if p.komponent in sedda:
            raise Journalfel(namn, f"{b.manad}: komponenten {p.komponent} finns två gånger")
        sedda.add(p.komponent)
        belopp_text(p.belopp_kr, namn, f"{b.manad}: {p.komponent}")
    belopp_text(b.summa_kr, namn, f"{b.manad}: summa")
    s = summa(p.belopp_kr for p in b.poster)
    if s != b.summa_kr:
        raise Journalfel(namn, f"{b.manad}: summan {b.summa_kr} stämmer inte med komponenterna, "
                               f"som summerar till {s}")
    if not isinstance(b.indata, tuple):
        raise Journalfel(namn, f"{b.manad}: indata ska vara en tuple av (namn, sha256)")
    for par in b.indata:
        if not (isinstance(par, tuple) and len(par) == 2):
            raise Journalfel(namn, f"{b.manad}: indata ska vara par (namn, sha256), inte {par!r}")
        filnamn, hex_ = par
        if not giltigt_filnamn(filnamn):
            raise Journalfel(namn, f"{b.manad}: indatafilens namn {filnamn!r} kan inte skrivas i journalen "
                                   "(tomt, blanksteg först eller sist, styrtecken eller inte UTF-8)")
        if not isinstance(hex_, str) or not SHA256.fullmatch(hex_):
            raise Journalfel(namn, f"{b.manad}: {filnamn}: ogiltig SHA-256 {hex_!r} (64 gemena hexsiffror)")


def giltigt_datum(text: object) -> bool:
    if not isinstance(text, str) or not _DATUM.fullmatch(text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def giltigt_filnamn(text: object) -> bool:
    if not (isinstance(text, str) and text != "" and text == text.strip()
            and not _STYRTECKEN.search(text) and " sha256:" not in text):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def format_bokforing(b: Bokforing, foregaende: Optional[str] = None) -> str:
    """Blocket som läggs till i journalen för en bokförd månad (börjar med en tom rad, slutar med
    radslut); med `foregaende` (föregående månads kedjevärde, eller `kedja_fore_januari`) sist
    raden `kedja:`. Kastar `Journalfel` om bokföringen inte går att skriva exakt eller inte
    håller ihop (komponenterna summerar inte till summan, en komponent två gånger, fler decimaler
    än öre …)."""
    validera_bokforing("bokföringen", b)
    text = "\n" + _kanonisk(b)
    if foregaende is not None:
        text += f"  kedja: {kedjevarde(foregaende, b)}\n"
    return text


def format_journal(journal: Journal) -> str:
    """Hela journalen som text: huvudet och ett block per bokförd månad, med kedjan uträknad."""
    validera_huvud(journal.namn, journal.utforare, journal.ar)
    delar = [huvud(journal.utforare, journal.ar)]
    varde = kedja_fore_januari(journal.utforare, journal.ar)
    for b in journal.bokforingar:
        delar.append(format_bokforing(b, varde))
        varde = kedjevarde(varde, b)
    return "".join(delar)


def las_journal_text(text: str, namn: str = "journal") -> Journal:
    """Journalen ur text. Formatfel blir `Inlasningsfel` med `namn:rad:kolumn`, alla på en gång
    (ett fel i ett block hindrar inte att nästa block läses). Innehållet och kedjan prövas inte
    (se `journal_kontroll`)."""
    fel = Felsamlare()
    if text == "":
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är tom; en utbetalningsjournal börjar med raden {TITEL!r}")])
    cr = text.find("\r")
    if cr >= 0:
        rad = text.count("\n", 0, cr) + 1
        kol = cr - (text.rfind("\n", 0, cr) + 1) + 1
        raise Inlasningsfel([Fel(Plats(namn, rad, kol), "", "radslut med CR (Windows); journalen har bara LF")])
    rader = text.split("\n")
    if rader[-1] != "":
        fel(Plats(namn, len(rader), len(rader[-1]) + 1), "", "sista raden saknar radslut; filen är avkortad eller ändrad för hand")
    rader = rader[:-1]

    def plats(i: int, kol: int = 1) -> Plats:
        return Plats(namn, i + 1, kol)

    if not rader or rader[0] != TITEL:
        raise Inlasningsfel([Fel(plats(0), "", f"första raden ska vara {TITEL!r}; är filen en utbetalningsjournal?")])
    utforare, ar = "", 0
    if len(rader) < 2 or not rader[1].startswith(UTFORARE_RAD) or not _UTFORARE.fullmatch(rader[1][len(UTFORARE_RAD):]):
        fel(plats(1), "", f"andra raden ska vara '{UTFORARE_RAD}ID' (utföraren, t.ex. SV)")
    else:
        utforare = rader[1][len(UTFORARE_RAD):]
    if len(rader) < 3 or not rader[2].startswith(AR_RAD) or not _AR.fullmatch(rader[2][len(AR_RAD):]):
        fel(plats(2), "", f"tredje raden ska vara '{AR_RAD}ÅÅÅÅ' (året)")
    else:
        ar = int(rader[2][len(AR_RAD):])

    # Blocken: en tom rad och sedan raderna fram till nästa tomma rad.
    block: list[tuple[Bokforing, int]] = []
    i = 3
    while i < len(rader):
        if rader[i] != "":
            fel(plats(i), "", "väntade en tom rad före nästa månad (`manad: ÅÅÅÅ-MM`)")
            while i < len(rader) and rader[i] != "":
                i += 1
            continue
        start = i + 1
        slut = start
        while slut < len(rader) and rader[slut] != "":
            slut += 1
        if start == slut:
            fel(plats(i), "", "en tom rad för mycket (eller ett block utan innehåll)")
        else:
            b = _las_block(rader, start, slut, namn, fel)
            if b is not None:
                block.append((b, slut - 1))
        i = slut
    kedjad = any(b.kedja is not None for b, _ in block)
    if kedjad:
        for b, sista in block:
            if b.kedja is None:
                fel(plats(sista), "", f"{b.manad}: `kedja:` saknas sist i månaden (efter `summa:`)")
    fel.kasta_om_fel()
    return Journal(utforare, ar, tuple(b for b, _ in block), namn, kedjad or not block)


def _las_block(rader: list[str], start: int, slut: int, namn: str, fel: Felsamlare) -> Optional[Bokforing]:
    antal = len(fel.fel) + fel.overskjutande

    def plats(i: int, kol: int = 1) -> Plats:
        return Plats(namn, i + 1, kol)

    rad = rader[start]
    if not rad.startswith("manad: "):
        fel(plats(start), "", f"väntade `manad: ÅÅÅÅ-MM` först i blocket, fann {rad[:40]!r}")
        return None
    manad = rad[len("manad: "):]
    m = MANAD.fullmatch(manad)
    if not m or not 1 <= int(m.group(2)) <= 12:
        fel(plats(start, 8), "", f"ogiltig månad {manad!r} (ÅÅÅÅ-MM, månad 01–12)")
    korning: Optional[str] = None
    indata: list[tuple[str, str]] = []
    poster: list[Post] = []
    summa_kr: Optional[Decimal] = None
    kedja: Optional[str] = None
    sista_fore_kedja = slut - 1
    for i in range(start + 1, slut):
        rad = rader[i]
        if not rad.startswith("  ") or rad.startswith("   "):
            fel(plats(i), "", "raderna i en månad är indragna med exakt två blanksteg")
            continue
        nyckel, sep, varde = rad[2:].partition(": ")
        kol = 2 + len(nyckel) + 3
        if not sep:
            fel(plats(i, 3), "", "väntade `NAMN: VÄRDE`")
            continue
        if kedja is not None:
            fel(plats(i, 3), "", "`kedja:` är den sista raden i en månad")
            continue
        if nyckel == "kedja":
            sista_fore_kedja = i - 1
            if summa_kr is None:
                fel(plats(i, 3), "", "`kedja:` står sist i månaden, efter `summa:`")
            if not SHA256.fullmatch(varde):
                fel(plats(i, kol), "", f"ogiltigt kedjevärde {varde[:70]!r} (64 gemena hexsiffror)")
            kedja = varde
            continue
        if summa_kr is not None:
            fel(plats(i, 3), "", "`summa:` är den sista raden i en månad (före `kedja:`)")
            continue
        if nyckel == "korning":
            if korning is not None or indata or poster:
                fel(plats(i, 3), "", "`korning:` står en gång, direkt efter `manad:`")
            elif not giltigt_datum(varde):
                fel(plats(i, kol), "", f"ogiltigt datum {varde!r} (ÅÅÅÅ-MM-DD)")
                korning = ""
            else:
                korning = varde
        elif nyckel == "indata":
            if korning is None or poster:
                fel(plats(i, 3), "", "`indata:` står efter `korning:` och före komponenterna")
                continue
            filnamn, sep2, hex_ = varde.rpartition(" sha256:")
            if not sep2 or not giltigt_filnamn(filnamn):
                fel(plats(i, kol), "", "väntade `indata: FILNAMN sha256:HEX`")
            elif not SHA256.fullmatch(hex_):
                fel(plats(i, kol + len(filnamn) + 8), "", f"ogiltig SHA-256 {hex_[:70]!r} (64 gemena hexsiffror)")
            else:
                indata.append((filnamn, hex_))
        elif nyckel == "summa":
            belopp = _las_belopp(varde, plats(i, kol), fel)
            summa_kr = belopp if belopp is not None else Decimal(0)
        elif nyckel == "manad":
            fel(plats(i, 3), "", "`manad:` börjar ett nytt block, efter en tom rad och utan indrag")
        elif not KOMPONENT.fullmatch(nyckel):
            fel(plats(i, 3), "", f"ogiltigt komponentnamn {nyckel[:60]!r} (bokstäver, siffror och _ . : -, utan blanksteg)")
        else:
            if korning is None:
                fel(plats(i, 3), "", "`korning:` står först i en månad, före komponenterna")
                korning = ""
            belopp = _las_belopp(varde, plats(i, kol), fel)
            if belopp is not None:
                poster.append(Post(manad, nyckel, belopp, i + 1))
    if korning is None:
        fel(plats(start), "", f"{manad}: `korning:` saknas")
    if summa_kr is None:
        fel(plats(sista_fore_kedja), "", f"{manad}: `summa:` saknas sist i månaden")
    if len(fel.fel) + fel.overskjutande > antal:
        return None
    assert korning is not None and summa_kr is not None
    return Bokforing(manad, korning, tuple(poster), summa_kr, tuple(indata), start + 1, kedja)


def _las_belopp(text: str, plats: Plats, fel: Felsamlare) -> Optional[Decimal]:
    if not _BELOPP.fullmatch(text):
        fel(plats, "", f"ogiltigt belopp {text[:50]!r} (kronor med punkt som decimaltecken och högst två "
                       "decimaler, t.ex. 276488917 eller -1250.50)")
        return None
    belopp = Decimal(text)
    if text.startswith("-") and belopp.is_zero():
        fel(plats, "", f"ogiltigt belopp {text!r} (noll skrivs utan minustecken)")
        return None
    return belopp
