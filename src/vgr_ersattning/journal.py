"""Utbetalningsjournalen: vad som har betalats, en post per månad och komponent.

Journalen är en vanlig textfil som en controller kan läsa och jämföra med `diff`. Den läggs bara
till i: en bokförd månad bokförs aldrig om, och en rättelse är nästa månads utbetalning, aldrig en
omskrivning. Att bokföra en månad är atomiskt: alla dess komponenter eller inga, och ett avbrott
eller en full disk lämnar journalen byte för byte som den var.

Formatet (UTF-8, radslut LF, sista raden slutar med radslut)::

    # Utbetalningsjournal – vgr-ersattning
    # utförare: SV
    # år: 2026

    manad: 2026-01
      korning: 2026-01-25
      indata: data/uppdrag_2026.yaml sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
      anslag: 276488917
      tillagg:somatik.operation.allman_kirurgi: 0
      summa: 276488917

    manad: 2026-02
      …

- De tre första raderna är huvudet: rubriken, utföraren och året. Varje bokförd månad är ett block
  som börjar med en tom rad och `manad: ÅÅÅÅ-MM`, följt av (indragna två blanksteg, i den här
  ordningen) `korning:` körningens datum (ÅÅÅÅ-MM-DD), noll eller flera `indata: NAMN sha256:HEX`
  (SHA-256 av varje indatafil, 64 gemena hexsiffror, namnet som det visades vid körningen), en
  eller flera `KOMPONENT: BELOPP` och sist `summa: BELOPP`.
- En komponent är ett namn utan blanksteg av bokstäver, siffror och `_ . : -`, som inte slutar med
  kolon, t.ex. `anslag`, `tillagg:somatik.operation.allman_kirurgi`,
  `avrakning:lakemedelsleveranser`, `malrelaterad:2026-Q3`. `manad`, `korning`, `indata` och
  `summa` är reserverade.
- Ett belopp är kronor skrivna exakt, med punkt som decimaltecken och högst två decimaler (öre):
  `-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?`, aldrig exponent, tusentalsavgränsare eller `-0`.
  Inläst blir det `decimal.Decimal`; `format_journal(las_journal_text(t)) == t` för varje giltig
  journaltext, och en Journal som skrivs och läses igen är lika med sig själv.
- Filen får inget annat: inga kommentarer utöver huvudet, inga extra tomma rader, ingen CR.

Inläsningen (`las_journal`, `las_journal_text`) kräver bara att formatet stämmer. Om innehållet
hänger ihop – månaderna i ordning utan luckor och dubbletter, årets månader, varje månads
komponenter summerar till dess summa, ingen komponent två gånger – prövar `kontrollera_journal`,
och `bokfor` vägrar att lägga till i en journal som inte klarar den.

`bokfor` bokför en månad: den tar ett lås (`fcntl.flock` på sidofilen `<journal>.las`, som får
ligga kvar; en annan körning som håller låset ger fel direkt, ingen väntan), läser och prövar
journalen under låset, vägrar en månad som redan är bokförd eller som inte är nästa (månaden efter
den senast bokförda, eller januari i en ny journal) och fel utförare eller år. Sedan skrivs den
gamla journalens byte plus det nya blocket till en temporär fil i samma katalog, som synkas till
disken (fsync) och byter namn till journalen (`os.replace`), och katalogen synkas. Ett fel före
namnbytet lämnar journalen orörd och den temporära filen borttagen; ett fel vid synkningen av
katalogen efter namnbytet ignoreras (månaden är då bokförd och syns för alla). Temporära filer som
en krasch lämnat (`.<journal>.<hex>.tmp`) tas bort av nästa bokföring, under låset. Är journalen
en symbolisk länk skrivs filen den pekar på. Rättigheterna på en befintlig journal behålls.

Fel: allt som modulen kastar är `laddning.Inlasningsfel` (slutkod 2 i CLI:t, en rad per fel).
Formatfel har platsen `fil:rad:kolumn` och fel vid läsningen av en fil (`laddning.filfel`) bara
filens namn; allt annat är underklassen `Journalfel`, vars sista rad är `journalens namn:
meddelande` (föregången av journalens problem när `bokfor` vägrar en journal som inte håller
ihop). Operativsystemets engelska feltexter visas aldrig. Fångar man `Inlasningsfel` fångar man
alltså allt; skriv `e.fel` en per rad och avsluta med slutkod 2.

Modulen använder bara standardbiblioteket och `laddning`/`utskrift`.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Iterable, Iterator, Mapping, Optional, Sequence, Union

from vgr_ersattning.laddning import (
    MAX_FEL,
    STDIN,
    STDIN_NAMN,
    Fel,
    Felsamlare,
    Indatafil,
    Inlasningsfel,
    Plats,
    avkoda,
    filfel,
    las_byte,
    oppna,
    visningsnamn,
)
from vgr_ersattning.utskrift import orsak

Sokvag = Union[str, "os.PathLike[str]"]

TITEL = "# Utbetalningsjournal – vgr-ersattning"
_UTFORARE_RAD = "# utförare: "
_AR_RAD = "# år: "
LASFIL_ANDELSE = ".las"
# En journal större än så här är inte en journal (tolv månader är några kilobyte).
MAX_JOURNAL_BYTE = 8 * 1024 * 1024
# Högsta belopp i kr (exklusive): femton heltalssiffror.
MAX_BELOPP_KR = Decimal(10) ** 15

RESERVERADE = frozenset({"manad", "korning", "indata", "summa"})

_MANAD = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BELOPP = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?")
_KOMPONENT = re.compile(r"[0-9A-Za-zÅÄÖåäöÉé_][0-9A-Za-zÅÄÖåäöÉé_.:\-]*(?<!:)")
_UTFORARE = re.compile(r"[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö_.\-]{0,39}")
_AR = re.compile(r"[1-9][0-9]{3}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_STYRTECKEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
_TEMPORAR = re.compile(r"\.(?P<namn>.+)\.[0-9a-f]{12}\.tmp")


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
    """En bokförd månad: körningens datum, posterna, summan och indatafilernas fingeravtryck."""

    manad: str                               # "2026-09"
    korning: str                             # körningens datum, ÅÅÅÅ-MM-DD
    poster: tuple[Post, ...]
    summa_kr: Decimal
    indata: tuple[tuple[str, str], ...]      # (filens namn som det visades, sha256 hex)
    rad: int = field(default=0, compare=False, repr=False)

    @property
    def nummer(self) -> int:
        """Månadens nummer 1–12 (0 om `manad` inte är en månad)."""
        m = _MANAD.fullmatch(self.manad) if isinstance(self.manad, str) else None
        return int(m.group(2)) if m else 0

    @property
    def ar(self) -> int:
        """Månadens år (0 om `manad` inte är en månad)."""
        m = _MANAD.fullmatch(self.manad) if isinstance(self.manad, str) else None
        return int(m.group(1)) if m else 0


@dataclass(frozen=True)
class Journal:
    """En utbetalningsjournal: utföraren, året och de bokförda månaderna i filens ordning. `namn`
    är journalens visningsnamn i fel och problem (ingår inte i jämförelser)."""

    utforare: str
    ar: int
    bokforingar: tuple[Bokforing, ...]
    namn: str = field(default="journal", compare=False, repr=False)

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


# --- text ---------------------------------------------------------------------------------------


def _belopp_text(belopp: object, namn: str, vad: str) -> str:
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


def _summa(belopp: Iterable[Decimal]) -> Decimal:
    with localcontext() as k:
        k.prec = 100
        return sum(belopp, Decimal(0))


def _huvud(utforare: str, ar: int) -> str:
    return f"{TITEL}\n{_UTFORARE_RAD}{utforare}\n{_AR_RAD}{ar}\n"


def _validera_huvud(namn: str, utforare: object, ar: object) -> None:
    if not isinstance(utforare, str) or not _UTFORARE.fullmatch(utforare):
        raise Journalfel(namn, f"ogiltig utförare {utforare!r} (bokstäver, siffror och _ . -, högst 40 tecken)")
    if isinstance(ar, bool) or not isinstance(ar, int) or not _AR.fullmatch(str(ar)):
        raise Journalfel(namn, f"ogiltigt år {ar!r} (fyra siffror)")


def _validera_bokforing(namn: str, b: Bokforing, ar: Optional[int] = None) -> None:
    """Att bokföringen går att skriva och läsa tillbaka exakt och håller ihop; `Journalfel` annars."""
    if not isinstance(b, Bokforing):
        raise Journalfel(namn, f"inte en Bokforing: {type(b).__name__}")
    m = _MANAD.fullmatch(b.manad) if isinstance(b.manad, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise Journalfel(namn, f"ogiltig månad {b.manad!r} (ÅÅÅÅ-MM)")
    if ar is not None and int(m.group(1)) != ar:
        raise Journalfel(namn, f"{b.manad} hör inte till journalens år {ar}")
    if not _giltigt_datum(b.korning):
        raise Journalfel(namn, f"{b.manad}: ogiltigt datum för körningen {b.korning!r} (ÅÅÅÅ-MM-DD)")
    if not isinstance(b.poster, tuple) or not b.poster:
        raise Journalfel(namn, f"{b.manad}: en bokförd månad har minst en komponent")
    sedda: set[str] = set()
    for p in b.poster:
        if not isinstance(p, Post):
            raise Journalfel(namn, f"{b.manad}: inte en Post: {type(p).__name__}")
        if p.manad != b.manad:
            raise Journalfel(namn, f"{b.manad}: posten {p.komponent} gäller månaden {p.manad}")
        if not isinstance(p.komponent, str) or not _KOMPONENT.fullmatch(p.komponent) or p.komponent in RESERVERADE:
            raise Journalfel(namn, f"{b.manad}: ogiltig komponent {p.komponent!r} (bokstäver, siffror och "
                                   "_ . : -, utan blanksteg, inte manad/korning/indata/summa)")
        if p.komponent in sedda:
            raise Journalfel(namn, f"{b.manad}: komponenten {p.komponent} finns två gånger")
        sedda.add(p.komponent)
        _belopp_text(p.belopp_kr, namn, f"{b.manad}: {p.komponent}")
    _belopp_text(b.summa_kr, namn, f"{b.manad}: summa")
    summa = _summa(p.belopp_kr for p in b.poster)
    if summa != b.summa_kr:
        raise Journalfel(namn, f"{b.manad}: summan {b.summa_kr} stämmer inte med komponenterna, "
                               f"som summerar till {summa}")
    if not isinstance(b.indata, tuple):
        raise Journalfel(namn, f"{b.manad}: indata ska vara en tuple av (namn, sha256)")
    for par in b.indata:
        if not (isinstance(par, tuple) and len(par) == 2):
            raise Journalfel(namn, f"{b.manad}: indata ska vara par (namn, sha256), inte {par!r}")
        filnamn, hex_ = par
        if not _giltigt_filnamn(filnamn):
            raise Journalfel(namn, f"{b.manad}: indatafilens namn {filnamn!r} kan inte skrivas i journalen "
                                   "(tomt, blanksteg först eller sist, eller styrtecken)")
        if not isinstance(hex_, str) or not _SHA256.fullmatch(hex_):
            raise Journalfel(namn, f"{b.manad}: {filnamn}: ogiltig SHA-256 {hex_!r} (64 gemena hexsiffror)")


def _giltigt_datum(text: object) -> bool:
    if not isinstance(text, str) or not _DATUM.fullmatch(text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _giltigt_filnamn(text: object) -> bool:
    return (isinstance(text, str) and text != "" and text == text.strip()
            and not _STYRTECKEN.search(text) and " sha256:" not in text)


def format_bokforing(b: Bokforing) -> str:
    """Blocket som läggs till i journalen för en bokförd månad (börjar med en tom rad, slutar med
    radslut). Kastar `Journalfel` om bokföringen inte går att skriva exakt eller inte håller ihop
    (komponenterna summerar inte till summan, en komponent två gånger, fler decimaler än öre …)."""
    _validera_bokforing("bokföringen", b)
    rader = ["", f"manad: {b.manad}", f"  korning: {b.korning}"]
    rader += [f"  indata: {filnamn} sha256:{hex_}" for filnamn, hex_ in b.indata]
    rader += [f"  {p.komponent}: {_belopp_text(p.belopp_kr, 'bokföringen', p.komponent)}" for p in b.poster]
    rader.append(f"  summa: {_belopp_text(b.summa_kr, 'bokföringen', 'summa')}")
    return "\n".join(rader) + "\n"


def format_journal(journal: Journal) -> str:
    """Hela journalen som text: huvudet och ett block per bokförd månad."""
    _validera_huvud(journal.namn, journal.utforare, journal.ar)
    return _huvud(journal.utforare, journal.ar) + "".join(format_bokforing(b) for b in journal.bokforingar)


def las_journal_text(text: str, namn: str = "journal") -> Journal:
    """Journalen ur text. Formatfel blir `Inlasningsfel` med `namn:rad:kolumn`, alla på en gång
    (ett fel i ett block hindrar inte att nästa block läses). Innehållet prövas inte (se
    `kontrollera_journal`)."""
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
    if len(rader) < 2 or not rader[1].startswith(_UTFORARE_RAD) or not _UTFORARE.fullmatch(rader[1][len(_UTFORARE_RAD):]):
        fel(plats(1), "", f"andra raden ska vara '{_UTFORARE_RAD}ID' (utföraren, t.ex. SV)")
    else:
        utforare = rader[1][len(_UTFORARE_RAD):]
    if len(rader) < 3 or not rader[2].startswith(_AR_RAD) or not _AR.fullmatch(rader[2][len(_AR_RAD):]):
        fel(plats(2), "", f"tredje raden ska vara '{_AR_RAD}ÅÅÅÅ' (året)")
    else:
        ar = int(rader[2][len(_AR_RAD):])

    # Blocken: en tom rad och sedan raderna fram till nästa tomma rad.
    bokforingar: list[Bokforing] = []
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
                bokforingar.append(b)
        i = slut
    fel.kasta_om_fel()
    return Journal(utforare, ar, tuple(bokforingar), namn)


def _las_block(rader: list[str], start: int, slut: int, namn: str, fel: Felsamlare) -> Optional[Bokforing]:
    antal = len(fel.fel) + fel.overskjutande

    def plats(i: int, kol: int = 1) -> Plats:
        return Plats(namn, i + 1, kol)

    rad = rader[start]
    manad = ""
    if not rad.startswith("manad: "):
        fel(plats(start), "", f"väntade `manad: ÅÅÅÅ-MM` först i blocket, fann {rad[:40]!r}")
        return None
    manad = rad[len("manad: "):]
    m = _MANAD.fullmatch(manad)
    if not m or not 1 <= int(m.group(2)) <= 12:
        fel(plats(start, 8), "", f"ogiltig månad {manad!r} (ÅÅÅÅ-MM, månad 01–12)")
    korning: Optional[str] = None
    indata: list[tuple[str, str]] = []
    poster: list[Post] = []
    summa: Optional[Decimal] = None
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
        if summa is not None:
            fel(plats(i, 3), "", "`summa:` är den sista raden i en månad")
            continue
        if nyckel == "korning":
            if korning is not None or indata or poster:
                fel(plats(i, 3), "", "`korning:` står en gång, direkt efter `manad:`")
            elif not _giltigt_datum(varde):
                fel(plats(i, kol), "", f"ogiltigt datum {varde!r} (ÅÅÅÅ-MM-DD)")
                korning = ""
            else:
                korning = varde
        elif nyckel == "indata":
            if korning is None or poster:
                fel(plats(i, 3), "", "`indata:` står efter `korning:` och före komponenterna")
                continue
            filnamn, sep2, hex_ = varde.rpartition(" sha256:")
            if not sep2 or not _giltigt_filnamn(filnamn):
                fel(plats(i, kol), "", "väntade `indata: FILNAMN sha256:HEX`")
            elif not _SHA256.fullmatch(hex_):
                fel(plats(i, kol + len(filnamn) + 8), "", f"ogiltig SHA-256 {hex_[:70]!r} (64 gemena hexsiffror)")
            else:
                indata.append((filnamn, hex_))
        elif nyckel == "summa":
            if not poster:
                fel(plats(i, 3), "", "en månad har minst en komponent före `summa:`")
            belopp = _las_belopp(varde, plats(i, kol), fel)
            summa = belopp if belopp is not None else Decimal(0)
        elif nyckel == "manad":
            fel(plats(i, 3), "", "`manad:` börjar ett nytt block, efter en tom rad och utan indrag")
        elif not _KOMPONENT.fullmatch(nyckel):
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
    if summa is None:
        fel(plats(slut - 1), "", f"{manad}: `summa:` saknas sist i månaden")
    if len(fel.fel) + fel.overskjutande > antal:
        return None
    assert korning is not None and summa is not None
    return Bokforing(manad, korning, tuple(poster), summa, tuple(indata), start + 1)


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


# --- filen -----------------------------------------------------------------------------------------


def hash_fil(sokvag: Sokvag) -> str:
    """SHA-256 av filen (hex, gemener), läst i bitar. Fel blir `Inlasningsfel` på svenska."""
    if str(sokvag) == STDIN:
        raise Journalfel(STDIN_NAMN, "standard in kan inte bokföras (den har inget fingeravtryck att "
                                     "kontrollera i efterhand); ange utfallet som en fil")
    kalla = oppna(sokvag)
    if kalla.storlek is None:
        kalla.strom.close()
        raise Journalfel(kalla.namn, "är inte en vanlig fil (en pipe eller en enhet); en bokförd körning "
                                     "har indata i filer vars fingeravtryck går att kontrollera i efterhand")
    h = hashlib.sha256()
    try:
        while True:
            bit = kalla.strom.read(1024 * 1024)
            if not bit:
                break
            h.update(bit)
    except OSError as e:
        raise filfel(kalla.namn, e) from None
    finally:
        kalla.strom.close()
    return h.hexdigest()


def skapa_bokforing(manad: str, belopp: Union[Mapping[str, Decimal], Iterable[tuple[str, Decimal]]],
                    indata: Iterable[Sokvag] = (), korning: Union[str, _dt.date, None] = None) -> Bokforing:
    """En Bokforing för månaden: komponenterna i given ordning, summan uträknad, SHA-256 av varje
    indatafil (med filens visningsnamn) och körningens datum (i dag om inget anges)."""
    par = list(belopp.items()) if isinstance(belopp, Mapping) else list(belopp)
    if korning is None:
        korning = _dt.date.today()
    if isinstance(korning, _dt.date):
        korning = korning.isoformat()
    poster = tuple(Post(manad, k, v) for k, v in par)
    summa = _summa(p.belopp_kr for p in poster) if all(isinstance(p.belopp_kr, Decimal) for p in poster) else Decimal("NaN")
    b = Bokforing(manad, korning, poster, summa, tuple((visningsnamn(f), hash_fil(f)) for f in indata))
    _validera_bokforing("bokföringen", b)
    return b


def _las_bytes(mal: str, namn: str) -> Optional[bytes]:
    """Journalens byte, None om filen inte finns."""
    try:
        st = os.stat(mal)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise filfel(namn, e) from None
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise Journalfel(namn, "är inte en vanlig fil; en journal är en textfil")   # en FIFO öppnas inte
    try:
        strom = open(mal, "rb")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise filfel(namn, e) from None
    try:
        try:
            st = os.fstat(strom.fileno())
        except OSError as e:
            raise filfel(namn, e) from None
        if stat.S_ISDIR(st.st_mode):
            raise filfel(namn, IsADirectoryError(errno.EISDIR, ""))
        if not stat.S_ISREG(st.st_mode):
            raise Journalfel(namn, "är inte en vanlig fil; en journal är en textfil")
        return las_byte(Indatafil(namn, strom, st.st_size), MAX_JOURNAL_BYTE)
    finally:
        strom.close()


def _tolka(data: bytes, namn: str) -> Journal:
    return las_journal_text(avkoda(namn, data), namn)


def las_journal(sokvag: Sokvag, *, saknas_ok: bool = False) -> Optional[Journal]:
    """Journalen i filen. En fil som inte finns är ett `Journalfel`, eller None med `saknas_ok`
    (inget är betalt än). Formatfel: `Inlasningsfel` med `fil:rad:kolumn`. Innehållet prövas inte
    (se `kontrollera_journal`)."""
    namn = visningsnamn(sokvag)
    data = _las_bytes(os.fspath(sokvag), namn)
    if data is None:
        if saknas_ok:
            return None
        raise Journalfel(namn, "journalen finns inte (en ny journal skapas av `ersattning utbetala --bokfor`)")
    return _tolka(data, namn)


# --- kontrollen -----------------------------------------------------------------------------------


def _problem(journal: Journal, utforare: Optional[str] = None, ar: Optional[int] = None) -> list[Fel]:
    namn = journal.namn
    ut: list[Fel] = []
    if utforare is not None and journal.utforare.casefold() != utforare.casefold():
        ut.append(Fel(Plats(namn, 2, 1), "", f"journalen gäller utförare {journal.utforare}, inte {utforare}"))
    if ar is not None and journal.ar != ar:
        ut.append(Fel(Plats(namn, 3, 1), "", f"journalen gäller år {journal.ar}, inte {ar}"))
    forvantad = 1
    sedda: dict[str, int] = {}
    for b in journal.bokforingar:
        plats = Plats(namn, b.rad, 1)

        def problem(text: str, plats: Plats = plats, b: Bokforing = b) -> None:
            ut.append(Fel(plats, "", f"{b.manad}: {text}"))

        if b.nummer == 0 or not 1 <= b.nummer <= 12:
            problem("inte en månad (ÅÅÅÅ-MM)")
            continue
        if b.ar != journal.ar:
            problem(f"månaden hör inte till journalens år {journal.ar}")
            continue
        if b.manad in sedda:
            problem("månaden är bokförd två gånger" + (f" (första gången på rad {sedda[b.manad]})" if sedda[b.manad] else ""))
            continue
        sedda[b.manad] = b.rad
        if b.nummer < forvantad:
            problem(f"i fel ordning: står efter {journal.ar}-{forvantad - 1:02d}")
        elif b.nummer > forvantad:
            saknas = f"{journal.ar}-{forvantad:02d}"
            if b.nummer - 1 > forvantad:
                saknas += f" – {journal.ar}-{b.nummer - 1:02d}"
            problem(f"lucka: {saknas} saknas före månaden")
            forvantad = b.nummer + 1
        else:
            forvantad = b.nummer + 1
        if not _giltigt_datum(b.korning):
            problem(f"ogiltigt datum för körningen {b.korning!r}")
        komponenter: dict[str, int] = {}
        belopp_ok = True
        for p in b.poster:
            pplats = Plats(namn, p.rad, 1) if p.rad else plats
            if p.komponent in komponenter:
                problem(f"komponenten {p.komponent} finns två gånger"
                        + (f" (första gången på rad {komponenter[p.komponent]})" if komponenter[p.komponent] else ""), pplats)
            else:
                komponenter[p.komponent] = p.rad
            if p.manad != b.manad:
                problem(f"posten {p.komponent} gäller månaden {p.manad}", pplats)
            if not isinstance(p.belopp_kr, Decimal) or not p.belopp_kr.is_finite():
                problem(f"{p.komponent}: beloppet {p.belopp_kr!r} är inte ett tal", pplats)
                belopp_ok = False
        if not b.poster:
            problem("månaden har inga komponenter")
        if not isinstance(b.summa_kr, Decimal) or not b.summa_kr.is_finite():
            problem(f"summan {b.summa_kr!r} är inte ett tal")
        elif belopp_ok:
            summa = _summa(p.belopp_kr for p in b.poster)
            if summa != b.summa_kr:
                rad = b.rad + 1 + 1 + len(b.indata) + len(b.poster) if b.rad else 0
                problem(f"summan {b.summa_kr} stämmer inte med komponenterna, som summerar till {summa} "
                        f"(skillnad {b.summa_kr - summa})", Plats(namn, rad, 1))
    return ut


def kontrollera_journal(journal: Journal, utforare: Optional[str] = None, ar: Optional[int] = None) -> list[str]:
    """Journalens problem, en svensk rad per problem (`fil:rad:kolumn: ÅÅÅÅ-MM: …`), tom om den
    håller ihop: månaderna i ordning från januari utan luckor och dubbletter, varje månad i
    journalens år, ingen komponent två gånger i en månad, varje månads komponenter summerar till
    dess summa. Med `utforare`/`ar` också att huvudet gäller dem (utföraren utan hänsyn till
    versaler)."""
    return [str(f) for f in _problem(journal, utforare, ar)]


# --- bokföringen ----------------------------------------------------------------------------------


def _lasfil(mal: str) -> str:
    return mal + LASFIL_ANDELSE


@contextmanager
def _las(mal: str, namn: str) -> Iterator[None]:
    """Låset för journalen: ett exklusivt `flock` på sidofilen, utan att vänta."""
    lasfil = _lasfil(mal)
    try:
        fd = os.open(lasfil, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as e:
        raise Journalfel(namn, f"kan inte låsa journalen: låsfilen {os.path.basename(lasfil)}: {orsak(e, 'kunde inte skapas')}; "
                               "journalen är oförändrad") from None
    try:
        try:
            _ta_las(fd)
        except BlockingIOError:
            raise Journalfel(namn, "bokförs av en annan körning just nu (låset "
                                   f"{os.path.basename(lasfil)} är taget); journalen är oförändrad, "
                                   "försök igen när den körningen är klar") from None
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EACCES, getattr(errno, "EWOULDBLOCK", errno.EAGAIN)):
                raise Journalfel(namn, "bokförs av en annan körning just nu (låset "
                                       f"{os.path.basename(lasfil)} är taget); journalen är oförändrad, "
                                       "försök igen när den körningen är klar") from None
            raise Journalfel(namn, f"kan inte låsa journalen ({orsak(e, 'låset gick inte att ta')}); "
                                   "journalen är oförändrad") from None
        yield
    finally:
        try:
            os.close(fd)     # släpper låset; ett fel här ändrar inget i journalen
        except OSError:
            pass


def _ta_las(fd: int) -> None:
    try:
        import fcntl
    except ImportError:          # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _mal(sokvag: Sokvag, namn: str) -> str:
    """Filen som skrivs: journalen, eller filen den pekar på om den är en symbolisk länk."""
    text = os.fspath(sokvag)
    if text == "" or text == STDIN:
        raise Journalfel(namn or "journal", "ange journalens filnamn")
    if text.endswith(os.sep) or (os.altsep and text.endswith(os.altsep)) or os.path.isdir(text):
        raise Journalfel(namn, "är en katalog; ange journalens filnamn")
    if os.path.islink(text) and not os.path.exists(text):
        raise Journalfel(namn, "är en trasig symbolisk länk")
    mal = os.path.realpath(text)
    katalog = os.path.dirname(mal) or os.curdir
    if not os.path.isdir(katalog):
        raise Journalfel(namn, f"katalogen {os.path.dirname(text) or os.curdir} finns inte; skapa den först")
    return mal


def _stada_temporara(katalog: str, basnamn: str) -> None:
    """Tar bort temporära filer som en kraschad bokföring lämnat (anropas under låset)."""
    try:
        namn = os.listdir(katalog)
    except OSError:
        return
    for n in namn:
        m = _TEMPORAR.fullmatch(n)
        if m and m.group("namn") == basnamn:
            try:
                os.unlink(os.path.join(katalog, n))
            except OSError:
                pass


# Samma temporära fil (läge 0666 minus umask) och katalogsynkning som för --ut.
from vgr_ersattning.utskrift import _skapa_temporar, _synka_katalog  # noqa: E402


def _ersatt(mal: str, namn: str, data: bytes, rattigheter: Optional[int]) -> None:
    """Skriver `data` till en temporär fil bredvid `mal`, synkar och byter namn till `mal`. Ett fel
    före namnbytet lämnar `mal` orörd och ingen temporär fil."""
    katalog = os.path.dirname(mal) or os.curdir
    basnamn = os.path.basename(mal)
    _stada_temporara(katalog, basnamn)
    try:
        fd, tmp = _skapa_temporar(katalog, basnamn)
    except OSError as e:
        if e.errno == errno.ENOENT:
            text = f"katalogen {katalog} finns inte; skapa den först"
        elif e.errno in (errno.EACCES, errno.EPERM):
            text = f"behörighet saknas att skapa filer i katalogen {katalog}"
        else:
            text = orsak(e)
        raise Journalfel(namn, f"{text}; journalen är oförändrad, inget bokfördes") from None
    kvar: Optional[str] = tmp
    try:
        try:
            vy = memoryview(data)
            while vy:
                n = os.write(fd, vy)
                vy = vy[n:]
            if rattigheter is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, rattigheter)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, mal)
        kvar = None
    except OSError as e:
        raise Journalfel(namn, f"{orsak(e)}; journalen är oförändrad, inget bokfördes") from None
    finally:
        if kvar is not None:
            try:
                os.unlink(kvar)
            except OSError:
                pass
    _synka_katalog(katalog)


def bokfor(sokvag: Sokvag, utforare: str, ar: int, bokforing: Bokforing) -> Journal:
    """Bokför en månad i journalen (skapar journalen om den inte finns) och returnerar journalen
    som den blev. Vägrar – med `Journalfel` eller `Inlasningsfel` och journalen byte för byte
    orörd – en månad som redan är bokförd, en månad som inte är nästa (den efter den senast
    bokförda; januari i en ny journal), fel utförare eller år, en journal med formatfel eller
    problem (`kontrollera_journal`), en bokföring som inte håller ihop, och en journal som en
    annan körning bokför i just nu. Ett fel vid skrivningen (full disk …) lämnar också journalen
    orörd. Se modulens beskrivning för hur det går till."""
    namn = visningsnamn(sokvag) if os.fspath(sokvag) not in ("", STDIN) else "journal"
    _validera_huvud(namn, utforare, ar)
    _validera_bokforing(namn, bokforing, ar)
    block = format_bokforing(bokforing)
    mal = _mal(sokvag, namn)
    with _las(mal, namn):
        gammal = _las_bytes(mal, namn)
        rattigheter: Optional[int] = None
        if gammal is None:
            journal = Journal(utforare, ar, (), namn)
            fore = _huvud(utforare, ar).encode("utf-8")
        else:
            journal = _tolka(gammal, namn)
            problem = _problem(journal)
            if problem:
                raise Journalfel(namn, f"bokför inte {bokforing.manad}: journalen håller inte ihop (se ovan); "
                                       "den är oförändrad", problem)
            if journal.utforare.casefold() != utforare.casefold():
                raise Journalfel(namn, f"journalen gäller utförare {journal.utforare}, inte {utforare}; "
                                       "den är oförändrad")
            if journal.ar != ar:
                raise Journalfel(namn, f"journalen gäller år {journal.ar}, inte {ar}; den är oförändrad")
            fore = gammal
            try:
                rattigheter = stat.S_IMODE(os.stat(mal).st_mode)
            except OSError:
                rattigheter = None
        tidigare = journal.bokforing(bokforing.manad)
        if tidigare is not None:
            raise Journalfel(namn, f"{bokforing.manad} är redan bokförd (körningen {tidigare.korning}); "
                                   "en bokförd månad bokförs aldrig om – en rättelse blir nästa månads "
                                   "utbetalning; journalen är oförändrad")
        sista = journal.sista_manad()
        nasta = 1 if sista is None else sista + 1
        if bokforing.nummer != nasta:
            if sista is None:
                text = (f"{bokforing.manad} kan inte bokföras först: en ny journal börjar med {ar}-01 "
                        "(månaderna bokförs i ordning)")
            elif nasta > 12:
                text = f"{bokforing.manad} kan inte bokföras: hela {ar} är redan bokfört"
            else:
                text = (f"{bokforing.manad} kan inte bokföras: nästa månad att bokföra är {ar}-{nasta:02d} "
                        f"(senast bokförd {ar}-{sista:02d}; månaderna bokförs i ordning utan luckor)")
            raise Journalfel(namn, text + "; journalen är oförändrad")
        ny_text = fore + block.encode("utf-8")
        ny = replace(journal, bokforingar=journal.bokforingar + (bokforing,))
        if _tolka(ny_text, namn) != ny:          # skrivs som läses: fångar ett fel här, inte i filen
            raise Journalfel(namn, "internt fel: blocket läses inte tillbaka som det skrevs; inget bokfördes")
        _ersatt(mal, namn, ny_text, rattigheter)
    return _tolka(ny_text, namn)


__all__ = [
    "Bokforing", "Journal", "Journalfel", "LASFIL_ANDELSE", "MAX_BELOPP_KR", "Post", "TITEL",
    "bokfor", "format_bokforing", "format_journal", "hash_fil", "kontrollera_journal", "las_journal",
    "las_journal_text", "skapa_bokforing",
]
