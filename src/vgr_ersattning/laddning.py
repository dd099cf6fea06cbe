"""Inläsning: YAML → Python-data med positioner → validerade modeller (regelboken §12).

Alla inläsningsfel blir `Fel` med fil, rad, kolumn, nyckelväg och ett svenskt meddelande. Ett
fel hindrar inte att nästa hittas: valideringen samlar alla fel i filen och kastar dem tillsammans
som `Inlasningsfel`. Inget här skriver ut något eller ändrar någon fil.
"""

from __future__ import annotations

import io
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, Iterator, NamedTuple, Optional

# En datafil större än så här är inte en uppdragsfil; den vägras innan den läses.
MAX_YAML_BYTE = 8 * 1024 * 1024

# --- gränser för tal och text i indata ----------------------------------------------------------
#
# Utfall och scenarier kommer ur uttag och handskrivna filer. Ett tal utanför de här gränserna är
# ett skrivfel eller ett trasigt uttag, inte verklighet: det vägras med en rad (fil:rad:kolumn), i
# stället för att räknas fel eller sluta i en traceback. Samma gränser gäller i CSV, YAML, JSON och
# på kommandoraden; allt som kontrollerar tal i indata hämtar dem härifrån.

# Antal per rad och månad i utfallet (också summan av en CSV-fils rader för samma rad och månad),
# och varje heltal i ett scenario (en volym, en volymändring eller ett pris i kr). Den största
# volymraden i uppdraget är några hundra tusen per år; tio miljoner är orimligt i alla dessa.
MAX_ANTAL = 10_000_000
# Belopp (tkr), andelar i procent och indikatorvärden, till beloppet.
MAX_BELOPP = Decimal(10) ** 12
# Ett decimaltal med fler värdesiffror än så, eller som är mindre än 10^-18, kan inte räknas exakt
# när det multipliceras med priser och volymer inom Decimal-kontextens 28 siffror.
MAX_VARDESIFFROR = 15
MAX_EXPONENT = 18
# Ett tal skrivet med fler tecken än så tolkas aldrig: längden kontrolleras före int() och
# Decimal() (int() vägrar text med mer än 4300 siffror med ett ValueError på engelska).
MAX_TALTEXT = 40
# Högst så här många nivåer av nästling i en YAML- eller JSON-fil (datafilerna har under tio).
MAX_DJUP = 64
# Ett CSV-fält längre än så är ett citattecken som aldrig stängs, inte ett värde.
MAX_CSV_FALT = 1024 * 1024
# Högst så många fel visas per inläsning; resten räknas i en sista rad "… och N fel till".
MAX_FEL = 50

# `--utfall -` och `--scenariofil -`: standard in, med det här namnet i felraderna.
STDIN = "-"
STDIN_NAMN = "<stdin>"

Sokvag = tuple[Any, ...]


class Plats(NamedTuple):
    fil: str
    rad: int
    kolumn: int

    def __str__(self) -> str:
        # Rad 0 betyder att platsen inte har någon rad (en fil som inte finns, en flagga på
        # kommandoraden): då visas bara namnet, aldrig `:0:0`.
        if self.rad <= 0:
            return self.fil
        return f"{self.fil}:{self.rad}:{self.kolumn}"


@dataclass(frozen=True)
class Fel:
    """Ett inläsningsfel: en rad till användaren."""

    plats: Plats
    sokvag: str
    meddelande: str

    def __str__(self) -> str:
        if self.sokvag:
            return f"{self.plats}: {self.sokvag}: {self.meddelande}"
        return f"{self.plats}: {self.meddelande}"


class Inlasningsfel(Exception):
    """En eller flera `Fel` i indata. CLI:t skriver dem en per rad och avslutar med kod 2."""

    def __init__(self, fel: list[Fel], fler: int = 0):
        super().__init__("\n".join(str(f) for f in fel))
        self.fel = fel
        # Så många fel till som inte visas; den sista raden i `fel` säger det ("… och N fel till").
        self.fler = fler

    @property
    def visade(self) -> list[Fel]:
        """Felen utan den sista raden om dem som inte visas."""
        return self.fel[:-1] if self.fler else list(self.fel)


class Felsamlare:
    """Samlar fel från en inläsning: högst `MAX_FEL` visas, resten räknas i en sista rad."""

    def __init__(self, max_fel: int = MAX_FEL):
        self.fel: list[Fel] = []
        self.overskjutande = 0
        self.max_fel = max_fel

    def __call__(self, plats: Plats, sokvag: str, medd: str) -> None:
        self.lagg_till(Fel(plats, sokvag, medd))

    def lagg_till(self, fel: Fel) -> None:
        if len(self.fel) < self.max_fel:
            self.fel.append(fel)
        else:
            self.overskjutande += 1

    def __bool__(self) -> bool:
        return bool(self.fel)

    def kasta_om_fel(self, sortera: bool = False) -> None:
        """`Inlasningsfel` med felen (i filens ordning om `sortera`) och "… och N fel till" sist."""
        if self.fel:
            fel = sorted(self.fel, key=lambda f: (f.plats.fil, f.plats.rad, f.plats.kolumn)) if sortera else self.fel
            raise begransa(fel, self.overskjutande, self.max_fel)


def begransa(fel: list[Fel], fler: int = 0, max_fel: int = MAX_FEL) -> Inlasningsfel:
    """`Inlasningsfel` med högst `max_fel` fel och en sista rad "… och N fel till" om det var fler
    (`fler` är fel som redan räknats bort)."""
    fler += max(0, len(fel) - max_fel)
    fel = fel[:max_fel]
    if fler and fel:
        fel = fel + [Fel(fel[-1].plats, "", f"… och {fler} fel till")]
    return Inlasningsfel(fel, fler)


def sla_ihop(alla: list[Inlasningsfel], max_fel: int = MAX_FEL) -> Inlasningsfel:
    """Felen från flera inläsningar (t.ex. flera --utfall-filer) som ett `Inlasningsfel`."""
    return begransa([f for e in alla for f in e.visade], sum(e.fler for e in alla), max_fel)


def utan_foljdfel(fel: list[Fel], tidiga: list[Fel]) -> list[Fel]:
    """`fel` (från valideringen) utom de som bara följer av `tidiga` (fel i värden vid inläsningen,
    där värdet blev None): samma nyckelväg eller en förälder till den."""
    vagar = {f.sokvag for f in tidiga if f.sokvag}

    def foljd(s: str) -> bool:
        return s in vagar or any(v.startswith(s + ".") or v.startswith(s + "[") for v in vagar)

    return [f for f in fel if not foljd(f.sokvag)] if vagar else fel


@dataclass
class Positioner:
    """Var i filen varje nyckelväg står (rad och kolumn, 1-baserade)."""

    fil: str
    karta: dict[Sokvag, tuple[int, int]] = field(default_factory=dict)

    def plats(self, sokvag: Sokvag) -> Plats:
        """Platsen för nyckelvägen, eller för dess närmaste förälder som finns i filen."""
        sokvag = tuple(sokvag)
        while sokvag:
            if sokvag in self.karta:
                rad, kol = self.karta[sokvag]
                return Plats(self.fil, rad, kol)
            sokvag = sokvag[:-1]
        rad, kol = self.karta.get((), (1, 1))
        return Plats(self.fil, rad, kol)


def visningsnamn(sokvag: Path | str) -> str:
    """Filnamnet som det visas i fel: relativt arbetskatalogen när det går, annars som det angavs
    (`/dev/fd/63` från `<( )` visas så, inte som den pipe länken pekar på). `-` är standard in."""
    if str(sokvag) == STDIN:
        return STDIN_NAMN
    p = Path(sokvag)
    absolut, cwd = os.path.abspath(p), os.getcwd()
    if absolut.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolut, cwd)
    try:
        if not p.is_symlink():
            return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        pass
    return str(p)


# Operativsystemets felkoder som svenska meddelanden; andra visas med sin kod (t.ex. EIO).
_OS_FEL = {
    "ENOENT": "filen finns inte",
    "EISDIR": "är en katalog, inte en fil",
    "ENOTDIR": "en del av sökvägen är inte en katalog",
    "EACCES": "saknar behörighet att läsa filen",
    "EPERM": "saknar behörighet att läsa filen",
    "ELOOP": "för många symboliska länkar i sökvägen",
    "ENAMETOOLONG": "sökvägen är för lång",
    "EIO": "läsfel i filsystemet (EIO)",
    "ENXIO": "filen går inte att öppna (ingen enhet)",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer",
    "EBADF": "filen är inte öppen för läsning",
}


def filfel(namn: str, e: OSError) -> Inlasningsfel:
    """Ett fel från operativsystemet när en fil öppnas eller läses, som en rad till användaren
    (på svenska, utan operativsystemets engelska text). Platsen har ingen rad: `fil: meddelande`."""
    import errno

    kod = errno.errorcode.get(e.errno or 0, "")
    medd = _OS_FEL.get(kod) or f"filen kan inte läsas (felkod {kod or e.errno})"
    return Inlasningsfel([Fel(Plats(namn, 0, 0), "", medd)])


class Indatafil(NamedTuple):
    """En öppnad indatafil: visningsnamnet, den binära strömmen och storleken när den är känd (en
    vanlig fil; inte standard in eller en pipe)."""

    namn: str
    strom: BinaryIO
    storlek: Optional[int]


def oppna(sokvag: Path | str) -> Indatafil:
    """Öppnar en indatafil binärt; `-` är standard in. Fel blir `Inlasningsfel` på svenska."""
    import stat as _stat

    namn = visningsnamn(sokvag)
    if str(sokvag) == STDIN:
        strom = sys.stdin.buffer
        try:
            st = os.fstat(strom.fileno())
            storlek = st.st_size if _stat.S_ISREG(st.st_mode) else None
        except (OSError, ValueError, io.UnsupportedOperation):
            storlek = None
        return Indatafil(namn, io.BufferedReader(_Lanad(strom)), storlek)
    try:
        strom = open(sokvag, "rb")
    except OSError as e:
        raise filfel(namn, e) from None
    try:
        st = os.fstat(strom.fileno())
    except OSError as e:
        strom.close()
        raise filfel(namn, e) from None
    if _stat.S_ISDIR(st.st_mode):
        strom.close()
        raise filfel(namn, IsADirectoryError(21, "")) from None
    return Indatafil(namn, strom, st.st_size if _stat.S_ISREG(st.st_mode) else None)


class _Lanad(io.RawIOBase):
    """Standard in utan att stänga den när läsningen är klar."""

    def __init__(self, strom: BinaryIO):
        self._strom = strom

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._strom.read1(len(b)) if hasattr(self._strom, "read1") else self._strom.read(len(b))
        b[: len(data)] = data
        return len(data)

    def fileno(self) -> int:
        return self._strom.fileno()


class _Fortsatt(io.RawIOBase):
    """De redan lästa första byten och sedan resten av strömmen: en pipe läses bara en gång."""

    def __init__(self, forst: bytes, strom: BinaryIO):
        self._forst, self._strom = memoryview(forst), strom

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._forst:
            n = min(len(b), len(self._forst))
            b[:n] = self._forst[:n]
            self._forst = self._forst[n:]
            return n
        data = self._strom.read1(len(b)) if hasattr(self._strom, "read1") else self._strom.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._strom.close()
        finally:
            super().close()


def las_borjan(kalla: Indatafil, max_byte: int = 64 * 1024) -> bytes:
    """De första byten ur källan, till och med första raden som inte är tom (högst `max_byte`),
    för att känna igen formatet. Läs sedan vidare med `fortsatt`."""
    strom, data = kalla.strom, b""
    while len(data) < max_byte:
        bit = strom.read1(max_byte - len(data)) if hasattr(strom, "read1") else strom.read(max_byte - len(data))
        if not bit:
            break
        data += bit
        if any(r.strip() for r in data.split(b"\n")[:-1]):
            break
    return data


def fortsatt(kalla: Indatafil, borjan: bytes) -> BinaryIO:
    """Hela strömmen från början igen, efter `las_borjan`: en fil spolas tillbaka, en pipe eller
    standard in läses vidare efter de byte som redan lästes."""
    strom = kalla.strom
    try:
        if strom.seekable():
            strom.seek(-len(borjan), io.SEEK_CUR)
            return strom
    except (OSError, ValueError):
        pass
    return io.BufferedReader(_Fortsatt(borjan, strom), buffer_size=1024 * 1024)


def avkoda(namn: str, data: bytes) -> str:
    """UTF-8 (med eller utan BOM) → text, eller `Inlasningsfel` på raden och kolumnen med byten."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        fore = data[: e.start]
        rad = fore.count(b"\n") + 1
        kol = e.start - (fore.rfind(b"\n") + 1) + 1
        raise Inlasningsfel(
            [Fel(Plats(namn, rad, kol), "", f"filen är inte UTF-8 (byte 0x{data[e.start]:02x})")]
        ) from None


def las_byte(kalla: Indatafil, max_byte: int, borjan: bytes = b"") -> bytes:
    """Resten av källan efter `borjan` (som redan lästs), högst `max_byte` byte totalt."""
    if kalla.storlek is not None and kalla.storlek > max_byte:
        raise Inlasningsfel([Fel(Plats(kalla.namn, 1, 1), "", f"filen är för stor ({kalla.storlek} byte, "
                                                               f"högst {max_byte} byte)")])
    try:
        data = borjan + kalla.strom.read(max_byte + 1 - len(borjan))
    except OSError as e:
        raise filfel(kalla.namn, e) from None
    if len(data) > max_byte:
        raise Inlasningsfel([Fel(Plats(kalla.namn, 1, 1), "", f"filen är för stor (mer än {max_byte} byte)")])
    return data


def las_text(sokvag: Path, max_byte: int = MAX_YAML_BYTE) -> tuple[str, str]:
    """Läser en textfil som UTF-8. Returnerar (visningsnamn, text) eller kastar `Inlasningsfel`."""
    kalla = oppna(sokvag)
    try:
        return kalla.namn, avkoda(kalla.namn, las_byte(kalla, max_byte))
    finally:
        kalla.strom.close()


# --- format efter innehållet ---------------------------------------------------------------------

CSV, YAML, JSON, XLSX = "CSV", "YAML", "JSON", "XLSX"
# En xlsx-fil är en zip-fil; en .xls-fil (Excel 97–2003) är en OLE2-fil. Båda känns igen på de
# första byten och lämnas till `excel` (som säger vad som är fel med en .xls).
_ZIP_BORJAN = b"PK\x03\x04"
_OLE2_BORJAN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_JSON_BORJAN = re.compile(r'[\s\[{]*("|[\]}]|-?[0-9]|true\b|false\b|null\b|$)')


def kanna_igen(borjan: bytes, sokvag: Path | str, kolumner: tuple[str, ...], *, xlsx: bool = False) -> str:
    """CSV, YAML eller JSON (och med `xlsx` även XLSX) efter innehållet, inte efter filändelsen
    (standard in, `<( )` och en CSV sparad som .txt har ingen eller fel ändelse). XLSX: filen är en
    zip-fil (`PK\\x03\\x04`) eller en gammal .xls. CSV: första raden som inte är tom är en rubrikrad
    med någon av `kolumner` (i valfritt skiftläge) åtskilda med komma, semikolon eller tabb. JSON:
    filen börjar med `[` eller `{` följt av en sträng i citattecken, ett tal eller en stängande
    klammer. Ändelsen avgör bara när innehållet inte säger något (en tom fil, en rubrikrad med helt
    fel kolumner)."""
    if xlsx and (borjan.startswith(_ZIP_BORJAN) or borjan.startswith(_OLE2_BORJAN)):
        return XLSX
    text = borjan.decode("utf-8", "replace").lstrip("\ufeff")
    suffix = Path(str(sokvag)).suffix.lower()
    forsta = next((r.strip() for r in text.splitlines() if r.strip()), None)
    if forsta is None:
        return CSV if suffix == ".csv" else JSON if suffix == ".json" else YAML
    if forsta[0] in "[{":
        return JSON if suffix == ".json" or _JSON_BORJAN.match(text.lstrip()) else YAML
    if forsta[0] in "#%-" or forsta.startswith("---"):
        return YAML
    falt = {f.strip().strip('"').strip().casefold() for f in re.split(r"[,;\t]", forsta)}
    if len(falt) > 1 and falt & {k.casefold() for k in kolumner}:
        return CSV
    if suffix == ".csv" and ":" not in forsta:
        return CSV
    return JSON if suffix == ".json" else YAML


# --- YAML ---------------------------------------------------------------------------------

_HELTAL = re.compile(r"[-+]?[0-9]+")
_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"


# LibYAML:s och PyYAML:s felbeskrivningar på svenska. En beskrivning som inte finns här visas som
# ett allmänt svenskt fel, aldrig på engelska. {format} blir YAML eller JSON.
_YAML_PROBLEM = {
    "did not find expected node content": "hittade inget värde där ett värde väntades",
    "mapping values are not allowed here": "ett kolon (nyckel: värde) är inte tillåtet här",
    "mapping values are not allowed in this context": "ett kolon (nyckel: värde) är inte tillåtet här",
    "mapping keys are not allowed in this context": "en nyckel (?) är inte tillåten här",
    "block sequence entries are not allowed in this context": "ett listelement (-) är inte tillåtet här",
    "could not find expected ':'": "hittade inte väntat kolon (:)",
    "found unexpected ':'": "ett oväntat kolon (:)",
    "did not find expected key": "hittade inte väntad nyckel (fel indrag?)",
    "found character that cannot start any token": "ett tecken som inte kan inleda ett värde",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken som inte stängs?)",
    "did not find expected ',' or ']'": "saknar ',' eller ']'",
    "did not find expected ',' or '}'": "saknar ',' eller '}'",
    "did not find expected '-' indicator": "saknar '-' (fel indrag i en lista?)",
    "found unknown escape character": "okänd escape-sekvens i en sträng",
    "expected a single document in the stream": "filen ska innehålla ett enda {format}-dokument",
    "but found another document": "filen innehåller mer än ett {format}-dokument",
    "did not find expected <document start>": "filen innehåller mer än ett {format}-dokument eller text efter dokumentet",
    "did not find expected comment or line break": "oväntad text efter | eller > (ett blockvärde)",
    "found an indentation indicator equal to 0": "indraget i ett blockvärde (| eller >) får inte vara 0",
    "did not find expected alphabetic or numeric character": "ett ankare eller alias (& eller *) utan namn",
    "found undefined alias": "ankare och alias (& och *) stöds inte",
    "second occurrence": "ankare och alias (& och *) stöds inte",
    "could not find expected directive name": "ett direktiv (%) utan namn",
    "found unexpected non-alphabetical character": "ett ogiltigt tecken i ett direktiv (%)",
    "found unknown directive name": "okänt direktiv (%)",
    "found duplicate %YAML directive": "direktivet %YAML förekommer två gånger",
    "found duplicate %TAG directive": "direktivet %TAG förekommer två gånger",
    "found incompatible YAML document": "YAML-versionen stöds inte (bara 1.1)",
    "did not find expected whitespace or line break": "en tagg (!) måste följas av ett mellanslag",
    "did not find URI escaped octet": "en ogiltig %-kod i en tagg (!)",
    "did not find expected tag URI": "en tagg (!) utan namn",
    "did not find the expected '>'": "saknar '>' i en tagg (!<…>)",
    "found undefined tag handle": "okänd tagg (!)",
    "found an incorrect leading UTF-8 octet": "ett ogiltigt tecken i en tagg (!)",
    "found an incorrect trailing UTF-8 octet": "ett ogiltigt tecken i en tagg (!)",
    "found a tab character where an indentation space is expected": "tabbtecken",
    "found a tab character that violates indentation": "tabbtecken",
    "exceeded maximum nesting depth": f"filen är nästlad i för många nivåer (högst {MAX_DJUP})",
}
_NASTLING = f"filen är nästlad i för många nivåer (högst {MAX_DJUP})"
_ALIAS = "ankare och alias (& och *) stöds inte"


def _yaml_laddare():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def las_yaml(sokvag: Path, max_byte: int = MAX_YAML_BYTE) -> tuple[Any, Positioner]:
    """YAML-fil → (data, positioner). Tal blir int eller Decimal, aldrig float.

    Vägrar: dubblerade nycklar, ankare/alias (skydd mot aliasbomber), okända taggar, tal som
    inte är ändliga, och allt som inte är giltig YAML, med rad och kolumn.
    """
    namn, text = las_text(sokvag, max_byte)
    return las_yaml_text(text, namn)


def _rad_kolumn(text: str, index: int) -> tuple[int, int]:
    fore = text[:index]
    return fore.count("\n") + 1, index - (fore.rfind("\n") + 1) + 1


def las_yaml_text(text: str, namn: str, *, format: str = YAML, nycklar_som_text: bool = False,
                  tal_som_yaml12: bool = False, fel_ut: Optional[list[Fel]] = None) -> tuple[Any, Positioner]:
    """YAML- eller JSON-text → (data, positioner). `format` ("YAML" eller "JSON") är det som står i
    felen. Med `nycklar_som_text` är varje nyckel texten som den står i filen (`2026` är "2026",
    inte heltalet 2026), för filer där nycklarna är id och perioder. Med `tal_som_yaml12` är ett
    tal utan citattecken som `1e40` eller `1.5e3` ett tal (som i YAML 1.2 och JSON), inte text
    (som i YAML 1.1): då får det sitt fel som tal.

    Med `fel_ut` läggs fel i enskilda värden och nycklar (ett tal som inte går att använda, en
    nyckel två gånger) där i stället för att kastas, och datan returneras med None i värdets ställe,
    så att anroparen kan rapportera dem tillsammans med sina egna. Fel i hela filen (ogiltig syntax,
    alias, för djup nästling) kastas alltid."""
    import yaml

    pos = Positioner(namn)
    laddare = _yaml_laddare()(text)
    try:
        try:
            nod = laddare.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            rad, kol = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = (e.problem or e.context or "").strip()
            rader = text.splitlines()
            radtext = rader[rad - 1] if 0 < rad <= len(rader) else ""
            oversatt = _YAML_PROBLEM.get(problem) or _YAML_PROBLEM.get((e.context or "").strip())
            if oversatt == "tabbtecken" or (format == YAML and "\t" in radtext[: max(kol, 1)]):
                medd = "tabbtecken är inte tillåtna för indrag i YAML (använd mellanslag)"
            elif oversatt == _NASTLING:
                medd = _NASTLING
            else:
                medd = f"ogiltig {format}: " + (oversatt or "texten går inte att tolka här").replace("{format}", format)
            raise Inlasningsfel([Fel(Plats(namn, rad, kol), "", medd)]) from None
        except yaml.reader.ReaderError as e:
            rad, kol = _rad_kolumn(text, e.position) if isinstance(e.position, int) else (1, 1)
            tecken = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
            raise Inlasningsfel([Fel(Plats(namn, rad, kol), "",
                                     f"ogiltig {format}: styrtecknet 0x{tecken:02x} är inte tillåtet")]) from None
        except yaml.YAMLError:
            raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"ogiltig {format}: texten går inte att tolka")]) from None
        except RecursionError:
            raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", _NASTLING)]) from None
    finally:
        laddare.dispose()
    if nod is None:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", "filen är tom")])
    fel: list[Fel] = []
    pos.karta[()] = (nod.start_mark.line + 1, nod.start_mark.column + 1)
    tillstand = _Tillstand(pos, fel, nycklar_som_text, tal_som_yaml12)
    data = _nod_till_data(nod, (), tillstand)
    if tillstand.alias is not None:
        # Ett alias är samma nod som sitt ankare: bara händelserna vet var aliaset står. Ett fel,
        # hur många gånger noden än återkommer (en aliasbomb gav annars en rad per förekomst).
        rad_kol = _forsta_alias(text)
        fel.append(Fel(Plats(namn, *rad_kol), "", _ALIAS) if rad_kol else
                   Fel(pos.plats(tillstand.alias), sokvag_text(tillstand.alias), _ALIAS))
    if tillstand.for_djup is not None:
        fel.append(Fel(pos.plats(tillstand.for_djup), "", _NASTLING))
    if fel and (fel_ut is None or tillstand.alias is not None or tillstand.for_djup is not None):
        raise Inlasningsfel(sorted(fel, key=lambda f: (f.plats.rad, f.plats.kolumn)))
    if fel_ut is not None:
        fel_ut.extend(fel)
    return data, pos


def _forsta_alias(text: str) -> Optional[tuple[int, int]]:
    """Raden och kolumnen för filens första alias (`*namn`)."""
    import yaml

    laddare = _yaml_laddare()(text)
    try:
        while laddare.check_event():
            h = laddare.get_event()
            if isinstance(h, yaml.AliasEvent):
                return h.start_mark.line + 1, h.start_mark.column + 1
    except yaml.YAMLError:
        return None
    finally:
        laddare.dispose()
    return None


def sokvag_text(sokvag: Sokvag) -> str:
    """Nyckelvägen som den visas i fel: `utforare.SV.volymer`, `[0].andringar[2]`. En nyckel längre
    än 60 tecken kortas (en nyckel ur indata kan vara hur lång som helst)."""
    delar = (f"[{s}]" if isinstance(s, int) else (str(s) if len(str(s)) <= 60 else f"{str(s)[:50]}…")
             for s in sokvag)
    return ".".join(delar).replace(".[", "[")


@dataclass
class _Tillstand:
    pos: Positioner
    fel: list[Fel]
    nycklar_som_text: bool
    tal_som_yaml12: bool = False
    sedda: set[int] = field(default_factory=set)
    alias: Optional[Sokvag] = None        # den första nyckelvägen där en nod återkom
    klasser: Optional[tuple] = None       # yamls nodklasser (importeras med yaml)
    for_djup: Optional[Sokvag] = None     # den första nyckelvägen djupare än MAX_DJUP


def _nod_till_data(nod, sokvag: Sokvag, t: _Tillstand) -> Any:
    if t.klasser is None:
        import yaml

        t.klasser = (yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode)
    mapping, sekvens, skalar = t.klasser
    if id(nod) in t.sedda:
        if t.alias is None:
            t.alias = sokvag
        return None
    t.sedda.add(id(nod))
    slag = type(nod)
    if slag is skalar:
        # Det vanligaste: ett enkelt värde (text först, det är de flesta).
        if nod.tag == _STR and not t.tal_som_yaml12:
            return nod.value
        return _skalar(nod, sokvag, t.pos, t.fel, t.tal_som_yaml12)
    if len(sokvag) >= MAX_DJUP and (slag is mapping or slag is sekvens):
        if t.for_djup is None:
            t.for_djup = sokvag
        return None
    pos, fel, karta = t.pos, t.fel, t.pos.karta
    if slag is mapping:
        ut: dict[Any, Any] = {}
        for knod, vnod in nod.value:
            if type(knod) is not skalar:
                fel.append(Fel(_nodplats(pos, knod), sokvag_text(sokvag), "en nyckel måste vara ett enkelt värde"))
                continue
            if knod.tag == _MERGE:
                fel.append(Fel(_nodplats(pos, knod), sokvag_text(sokvag), "sammanslagning (<<) stöds inte"))
                continue
            if t.nycklar_som_text or knod.tag == _STR:
                nyckel = knod.value
            else:
                nyckel = _skalar(knod, sokvag, pos, fel)
                if isinstance(nyckel, Decimal):
                    nyckel = str(knod.value)
            mark = knod.start_mark
            vag = sokvag + (nyckel,)
            if nyckel in ut:
                fel.append(Fel(Plats(pos.fil, mark.line + 1, mark.column + 1), sokvag_text(vag),
                               "nyckeln förekommer två gånger"))
                continue
            karta[vag] = (mark.line + 1, mark.column + 1)
            ut[nyckel] = _nod_till_data(vnod, vag, t)
        return ut
    if slag is sekvens:
        lista = []
        for i, inod in enumerate(nod.value):
            mark = inod.start_mark
            vag = sokvag + (i,)
            karta[vag] = (mark.line + 1, mark.column + 1)
            lista.append(_nod_till_data(inod, vag, t))
        return lista
    return _skalar(nod, sokvag, pos, fel, t.tal_som_yaml12)


def _nodplats(pos: Positioner, nod) -> Plats:
    return Plats(pos.fil, nod.start_mark.line + 1, nod.start_mark.column + 1)


# Ett tal i YAML 1.2 och JSON; YAML 1.1 (PyYAML) läser `1e40` och `1.5e3` som text.
_TAL_YAML12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _skalar(nod, sokvag: Sokvag, pos: Positioner, fel: list[Fel], tal_som_yaml12: bool = False) -> Any:
    tag, v = nod.tag, nod.value
    if tag == _TAG + "str" and tal_som_yaml12 and not nod.style and _TAL_YAML12.fullmatch(v):
        tag = _TAG + ("int" if _HELTAL.fullmatch(v) else "float")
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return v
    if tag in (_TAG + "int", _TAG + "float") and len(v) > MAX_TALTEXT:
        # Före int() och Decimal(): tusentals siffror är aldrig ett värde i en datafil.
        fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag),
                       f"talet {visa(v, citat=False)} har för många tecken (högst {MAX_TALTEXT})"))
        return None
    if tag == _TAG + "int":
        s = v.replace("_", "")
        if _HELTAL.fullmatch(s):
            return int(s)
        fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"talet {v!r} har ett format som inte stöds"))
        return None
    if tag == _TAG + "float":
        try:
            d = Decimal(v.replace("_", ""))
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite():
            fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"talet {v!r} är inte ett ändligt tal"))
            return None
        return d
    if tag == _TAG + "bool":
        return v.lower() in ("true", "yes", "on", "y")
    if tag == _TAG + "null":
        return None
    fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"taggen {tag!r} stöds inte"))
    return None


# --- tal i indata -----------------------------------------------------------------------------------


def visa(v: Any, citat: bool = True, max_tecken: int = 40) -> str:
    """Ett värde ur indata som det visas i ett fel: tal som de skrivs (`1.5`, inte
    `Decimal('1.5')`), text inom citattecken, och aldrig tusentals tecken."""
    if v is None:
        return "inget värde"
    if isinstance(v, bool):
        return "sant" if v else "falskt"
    if isinstance(v, Decimal):
        s = str(v)
    elif isinstance(v, int):
        s = str(v) if v.bit_length() < 140 else f"ett heltal med över {MAX_TALTEXT} siffror"
    elif isinstance(v, str):
        s = v
        if len(s) > max_tecken:
            s = f"{s[: max_tecken - 10]}…"
            return (repr(s) if citat else s) + f" ({len(v)} tecken)"
        return repr(s) if citat else s
    else:
        s = str(v)
    return s if len(s) <= max_tecken else f"{s[: max_tecken - 10]}… ({len(s)} tecken)"


def svenskt_tal(n: int | Decimal) -> str:
    """10000000 → "10 000 000"."""
    return f"{n:,}".replace(",", " ")


def talfel(v: Decimal | int, *, max_belopp: Decimal = MAX_BELOPP) -> Optional[str]:
    """None om talet är rimligt som belopp, andel eller indikatorvärde; annars ett svenskt skäl
    (inte ändligt, större än `max_belopp`, för litet eller för många värdesiffror för att räknas
    exakt). Talet självt står först i skälet."""
    if isinstance(v, int):
        return None if abs(v) <= max_belopp else f"{visa(v)} är orimligt stort (högst {svenskt_tal(max_belopp)})"
    if not v.is_finite():
        return f"{visa(v)} är inte ett ändligt tal"
    if not v:
        return None
    if v.adjusted() > MAX_EXPONENT or abs(v) > max_belopp:
        return f"{visa(v)} är orimligt stort (högst {svenskt_tal(max_belopp)})"
    if v.adjusted() < -MAX_EXPONENT:
        return f"{visa(v)} är för litet för att räknas exakt (minst 1E-{MAX_EXPONENT})"
    siffror = "".join(map(str, v.as_tuple().digits)).strip("0")
    if len(siffror) > MAX_VARDESIFFROR:
        return f"{visa(v)} har fler än {MAX_VARDESIFFROR} värdesiffror och kan inte räknas exakt"
    return None


def antalsfel(v: Any, *, tillat_negativa: bool = False, vad: str = "antal") -> Optional[str]:
    """None om `v` är ett heltal 0…MAX_ANTAL (−MAX_ANTAL…MAX_ANTAL med `tillat_negativa`), annars
    ett svenskt skäl som börjar med `vad`."""
    if v is None:
        return f"{vad} saknas"
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        return f"{vad} {visa(v)} är inte ett tal; ska vara ett {'' if tillat_negativa else 'icke-negativt '}heltal"
    if isinstance(v, Decimal):
        return f"{vad} {visa(v)} är inte ett heltal"
    if v < 0 and not tillat_negativa:
        return f"{vad} {v} är negativt; ska vara ett icke-negativt heltal"
    if abs(v) > MAX_ANTAL:
        return f"{vad} {visa(v)} är orimligt stort (högst {svenskt_tal(MAX_ANTAL)})"
    return None


_HELTALSTEXT = re.compile(r"[+-]?[0-9]+")
_DECIMALTALSTEXT = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")


def heltal_ur_text(text: str, *, tillat_negativa: bool = False, vad: str = "antal") -> tuple[Optional[int], str]:
    """Ett heltal skrivet som text (CSV, kommandoraden) → (talet, "") eller (None, svenskt skäl).
    Längden kontrolleras före int(): tusentals siffror ger ett skäl, aldrig ett ValueError."""
    s = text.strip().replace("\u2212", "-")
    if not s:
        return None, f"{vad} saknas"
    if len(s) > MAX_TALTEXT:
        return None, (f"{vad} har {len(s)} tecken, vilket inte är ett rimligt heltal "
                      f"(högst {svenskt_tal(MAX_ANTAL)})")
    if _HELTALSTEXT.fullmatch(s):
        v = int(s)
        medd = antalsfel(v, tillat_negativa=tillat_negativa, vad=vad)
        return (None, medd) if medd else (v, "")
    if _DECIMALTALSTEXT.fullmatch(s):
        if "e" in s.lower():
            return None, f"{vad} {s} är skrivet med exponent; ska vara ett heltal skrivet med siffror"
        return None, f"{vad} {s} är inte ett heltal"
    return None, f"{vad} {visa(s)} är inte ett tal; ska vara ett {'' if tillat_negativa else 'icke-negativt '}heltal"


# --- CSV ----------------------------------------------------------------------------------


class CsvRader:
    """Raderna i en binär CSV-ström för `csv.reader`, lästa och avkodade i block om 64 KiB, så att
    inget görs per rad utöver det csv-modulen gör.

    Kodningen känns igen på innehållet (regelboken §20, som svenska Excel sparar): UTF-8 med eller
    utan BOM, och en fil som inte är UTF-8 läses som Windows-1252 (cp1252) – om allt före den första
    byte som inte är UTF-8 är ASCII (där de två är lika) och filen inte börjar med en UTF-8-BOM.
    `kodning` säger vilken det blev och `inte_utf8` var den första sådana byten står (för en
    upplysning när filen har andra fel). `avgransare` sätts av `csv_lasare` (komma, semikolon
    eller tabb) och används för felens kolumner.

    De senaste blocken (minst `MAX_CSV_FALT` tecken) hålls kvar: ett fel kan då få sin plats ur den
    råa texten – raden där posten börjar (en post med citattecken kan gå över flera rader) och
    kolumnen där fältet börjar (räknat med citattecknen) – utan kostnad för rader utan fel.
    Avkodningsfel blir `Inlasningsfel` med exakt rad och kolumn. `framsteg(lästa byte)` anropas
    ungefär en gång per MiB."""

    def __init__(self, namn: str, strom: BinaryIO, framsteg=None, blockstorlek: int = 1 << 16):
        import codecs
        from collections import deque

        self.namn = namn
        self._strom, self._storlek, self._framsteg = strom, blockstorlek, framsteg
        self._avkodare = codecs.getincrementaldecoder("utf-8-sig")()
        self.kodning = "utf-8"
        self.inte_utf8: Optional[tuple[Plats, int]] = None    # (platsen, byten) där UTF-8 tog slut
        self._bara_ascii = True                               # allt läst hittills är ASCII
        self._bom = False                                     # filen börjar med en UTF-8-BOM
        self.avgransare = ","
        # (radnumret, 0-baserat, för blockets första rad; blockets rader), de senaste blocken.
        self._block: Any = deque(maxlen=MAX_CSV_FALT // blockstorlek + 2)
        self._nasta = 0
        self.lasta_byte = 0
        self._nasta_rapport = 1 << 20

    def __iter__(self) -> Iterator[str]:
        import itertools

        return itertools.chain.from_iterable(self._blocken())

    def _blocken(self) -> Iterator[list[str]]:
        while True:
            data = self._strom.read(self._storlek)
            if data and not data.endswith(b"\n"):
                data += self._strom.readline(self._storlek)
            slut = not data
            if self.lasta_byte == 0 and data.startswith(b"\xef\xbb\xbf"):
                self._bom = True
            try:
                text = self._avkoda(data, slut)
            except UnicodeDecodeError as e:
                fore = e.object[: e.start]
                rad = self._nasta + fore.count(b"\n") + 1
                kol = e.start - (fore.rfind(b"\n") + 1) + 1
                plats, byte = Plats(self.namn, rad, kol), e.object[e.start]
                if self.kodning == "utf-8" and self._bara_ascii and fore.isascii() and not self._bom:
                    import codecs

                    self.kodning, self.inte_utf8 = "cp1252", (plats, byte)
                    self._avkodare = codecs.getincrementaldecoder("cp1252")()
                    try:
                        text = self._avkoda(data, slut)
                    except UnicodeDecodeError as e2:
                        fore = e2.object[: e2.start]
                        plats = Plats(self.namn, self._nasta + fore.count(b"\n") + 1,
                                      e2.start - (fore.rfind(b"\n") + 1) + 1)
                        raise Inlasningsfel([Fel(plats, "", f"filen är varken UTF-8 eller Windows-1252 "
                                                            f"(byte 0x{e2.object[e2.start]:02x})")]) from None
                elif self.kodning == "cp1252":
                    raise Inlasningsfel([Fel(plats, "", f"filen är varken UTF-8 eller Windows-1252 "
                                                        f"(byte 0x{byte:02x})")]) from None
                else:
                    raise Inlasningsfel([Fel(plats, "", f"filen är inte UTF-8 (byte 0x{byte:02x})")]) from None
            if self._bara_ascii and not data.isascii():
                self._bara_ascii = False
            self.lasta_byte += len(data)
            if self._framsteg is not None and self.lasta_byte >= self._nasta_rapport:
                self._nasta_rapport = self.lasta_byte + (1 << 20)
                self._framsteg(self.lasta_byte)
            if slut and not text:
                return
            # Samma radslut som csv-modulen väntar sig av en fil öppnad med newline="".
            rader = io.StringIO(text, newline="").readlines()
            self._block.append((self._nasta, rader))
            self._nasta += len(rader)
            yield rader
            if slut:
                return

    def _avkoda(self, data: bytes, slut: bool) -> str:
        return self._avkodare.decode(data, final=slut)

    def kodningsfel(self) -> Optional[Fel]:
        """En upplysning för felraderna när filen inte var UTF-8 utan lästes som Windows-1252."""
        if self.inte_utf8 is None:
            return None
        plats, byte = self.inte_utf8
        return Fel(plats, "", f"filen är inte UTF-8 (byte 0x{byte:02x}); den lästes som Windows-1252 (cp1252)")

    def rad(self, nr: int) -> Optional[str]:
        """Rad `nr` (1-baserad) som den står i filen, om den finns kvar i minnet."""
        for start, rader in reversed(self._block):
            if start < nr:
                return rader[nr - 1 - start] if nr - 1 - start < len(rader) else None
        return None

    @staticmethod
    def postens_forsta_rad(slutrad: int, falt: list[str]) -> int:
        """Raden där en post börjar, ur raden där den slutade (`csv.reader.line_num`) och radbrytningarna
        inne i dess fält."""
        # Ett citattecken som aldrig stängs kan ta med den sista radbrytningen i fältet: aldrig före rad 1.
        return max(1, slutrad - sum(f.count("\n") + f.count("\r") - f.count("\r\n") for f in falt))

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Plats:
        """Platsen där fält `i` börjar i posten som slutade på rad `slutrad`."""
        start = self.postens_forsta_rad(slutrad, falt)
        if i == 0:
            return Plats(self.namn, start, 1)
        rader = [self.rad(n) for n in range(start, slutrad + 1)]
        if any(r is None for r in rader):
            return Plats(self.namn, start, 1 + sum(map(len, falt[:i])) + i)
        rad, kol = _faltets_borjan("".join(rader), i, self.avgransare)   # type: ignore[arg-type]
        return Plats(self.namn, start + rad, kol)

    def trasig_posts_forsta_rad(self, slutrad: int) -> int:
        """Raden där posten som csv-modulen inte kunde läsa börjar (t.ex. ett citattecken som aldrig
        stängs): de kvarvarande raderna läses med citatreglerna från det äldsta blockets början."""
        forsta = self._block[0][0] + 1 if self._block else 1
        start, i_citat = forsta, False
        for nr in range(forsta, slutrad + 1):
            text = self.rad(nr)
            if text is None:
                break
            if not i_citat:
                start = nr
            i_citat = _citat_efter(text, i_citat, self.avgransare)
        return start


# csv-modulens standardregler: ett fält som börjar med " läses till nästa ensamma ", och "" inne i
# det är ett citattecken; ett " mitt i ett fält utan citattecken är ett vanligt tecken.
_START, _FRITT, _CITAT, _CITAT_SLUT = range(4)


def _nasta_tillstand(tillstand: int, c: str, avgransare: str = ",") -> int:
    if tillstand == _CITAT:
        return _CITAT_SLUT if c == '"' else _CITAT
    if c == avgransare:
        return _START
    if c == '"' and tillstand in (_START, _CITAT_SLUT):
        return _CITAT
    return _FRITT


def _citat_efter(text: str, i_citat: bool, avgransare: str = ",") -> bool:
    """Om en rad slutar inne i ett fält med citattecken."""
    tillstand = _CITAT if i_citat else _START
    for c in text.rstrip("\r\n") if not i_citat else text:
        if c in "\r\n" and tillstand != _CITAT:
            break
        tillstand = _nasta_tillstand(tillstand, c, avgransare)
    return tillstand == _CITAT


def _faltets_borjan(text: str, i: int, avgransare: str = ",") -> tuple[int, int]:
    """(radförskjutning, kolumn) där fält `i` börjar i en posts råa text (som kan gå över flera
    rader): en avgränsare (komma, semikolon) inne i citattecken skiljer inte fält."""
    falt, rad, kol, tillstand, forra = 0, 0, 0, _START, ""
    for c in text:
        if c in "\r\n":
            if tillstand != _CITAT:
                break
            if not (c == "\n" and forra == "\r"):
                rad += 1
            kol, forra = 0, c
            continue
        forra = c
        kol += 1
        if c == avgransare and tillstand != _CITAT:
            falt += 1
            if falt == i:
                return rad, kol + 1
        tillstand = _nasta_tillstand(tillstand, c, avgransare)
    return rad, kol + 1


def tom_csv_rad(rad: list[str]) -> bool:
    return not rad or (len(rad) == 1 and not rad[0].strip())


def csv_rubrik(lasare, namn: str, kolumner: tuple[str, ...],
               rader: Optional[CsvRader] = None) -> tuple[tuple[int, ...], int]:
    """Läser rubrikraden (den första raden som inte är tom): kolumnernas index i den ordning
    `kolumner` anger (de får stå i valfri ordning och i valfritt skiftläge i filen, `Antal` är
    `antal`) och rubrikens antal kolumner. En tom fil,
    en saknad kolumn, en kolumn som står två gånger och en okänd kolumn är `Inlasningsfel`, ett fel
    per problem med kolumnens plats."""
    try:
        rubrik = next(lasare)
        while tom_csv_rad(rubrik):
            rubrik = next(lasare)
    except StopIteration:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är tom (rubrikraden {','.join(kolumner)} saknas)")]) from None
    slutrad = lasare.line_num

    def plats(i: int) -> Plats:
        if rader is not None:
            return rader.plats(slutrad, rubrik, i)
        return Plats(namn, CsvRader.postens_forsta_rad(slutrad, rubrik), 1 + sum(map(len, rubrik[:i])) + i)

    namnen = [r.strip().casefold() for r in rubrik]
    kolumner_cf = tuple(k.casefold() for k in kolumner)
    forvantat = ",".join(kolumner)
    if len(namnen) == 1 and ";" in namnen[0]:
        raise Inlasningsfel([Fel(plats(0), "", f"rubrikraden är avgränsad med semikolon; kolumnerna ska "
                                               f"avgränsas med komma ({forvantat})")])
    fel, sedda = [], set()
    for i, k in enumerate(namnen):
        if k in sedda:
            fel.append(Fel(plats(i), "", f"kolumnen {visa(rubrik[i].strip())} står två gånger i rubrikraden"))
        elif not k:
            fel.append(Fel(plats(i), "", f"en kolumn utan namn i rubrikraden (ett kommatecken för mycket?); "
                                         f"kolumnerna är {forvantat}"))
        elif k not in kolumner_cf:
            fel.append(Fel(plats(i), "", f"okänd kolumn {visa(rubrik[i].strip())} i rubrikraden "
                                         f"(kolumnerna är {forvantat})"))
        sedda.add(k)
    saknas = [k for k, cf in zip(kolumner, kolumner_cf) if cf not in namnen]
    if saknas:
        fel.append(Fel(plats(0), "", f"kolumnen {', '.join(saknas)} saknas i rubrikraden (ska vara {forvantat})"))
    if fel:
        raise Inlasningsfel(fel)
    return tuple(namnen.index(k) for k in kolumner_cf), len(namnen)


def csv_kolumn(rad: list[str], i: int) -> int:
    """Kolumnen (1-baserad, i tecken) där fält `i` börjar på en CSV-rad utan citattecken. Med
    citattecken: `CsvRader.plats`."""
    return 1 + sum(map(len, rad[:i])) + i


def csv_fel(e: Exception) -> str:
    """csv-modulens fel på svenska."""
    text = str(e)
    m = re.match(r"field larger than field limit \((\d+)\)", text)
    if m:
        return f"ett fält är längre än {svenskt_tal(int(m.group(1)))} tecken (ett citattecken som aldrig stängs?)"
    if "new-line character seen in unquoted field" in text:
        return "ett radslut mitt i ett fält utan citattecken"
    if "line contains NUL" in text:
        return "raden innehåller ett NUL-tecken (är filen text?)"
    return "raden går inte att läsa som CSV"


def csv_avgransare(rad: str) -> str:
    """Avgränsaren i en rubrikrad: komma, semikolon (svenska Excel) eller tabb – den som står
    flest gånger utanför citattecken; komma när ingen står."""
    antal = {",": 0, ";": 0, "\t": 0}
    i_citat = False
    for c in rad:
        if c == '"':
            i_citat = not i_citat
        elif not i_citat and c in antal:
            antal[c] += 1
    basta = max(antal, key=lambda k: antal[k])
    return basta if antal[basta] else ","


def csv_lasare(rader: CsvRader):
    """`csv.reader` över raderna, med fältgränsen `MAX_CSV_FALT` och avgränsaren ur rubrikraden
    (den första raden som inte är tom; `csv_avgransare`), som också sätts i `rader.avgransare`."""
    import csv
    import itertools

    if csv.field_size_limit() < MAX_CSV_FALT:
        csv.field_size_limit(MAX_CSV_FALT)
    it = iter(rader)
    lasta: list[str] = []
    for rad in it:
        lasta.append(rad)
        if rad.strip():
            rader.avgransare = csv_avgransare(rad)
            break
    return csv.reader(itertools.chain(lasta, it), delimiter=rader.avgransare)


# --- validering mot modeller ----------------------------------------------------------------

_MEDDELANDEN = {
    "missing": "saknas",
    "extra_forbidden": "okänd nyckel",
    "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_parsing_size": "är ett för stort heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "decimal_type": "ska vara ett tal",
    "decimal_parsing": "ska vara ett tal",
    "finite_number": "ska vara ett ändligt tal",
    "string_type": "ska vara text",
    "string_too_short": "är för kort",
    "string_too_long": "är för lång",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "mapping_type": "ska vara en mappning (nyckel: värde)",
    "list_type": "ska vara en lista",
    "tuple_type": "ska vara en lista",
    "set_type": "ska vara en lista",
    "bool_type": "ska vara sant eller falskt",
    "bool_parsing": "ska vara sant eller falskt",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "model_attributes_type": "ska vara en mappning (nyckel: värde)",
    "too_short": "har för få värden",
    "too_long": "har för många värden",
    "none_required": "ska vara tomt",
    "union_tag_invalid": "har en okänd sort",
    "union_tag_not_found": "saknar uppgift om sort",
}


def _pydantic_meddelande(err: dict) -> str:
    """Ett pydantic-fel på svenska; ett feltyp som inte finns här blir "ogiltigt värde", aldrig
    pydantics engelska text."""
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    if typ == "greater_than_equal":
        gr = ctx.get("ge")
        return "får inte vara negativt" if str(gr) == "0" else f"ska vara minst {gr}"
    if typ == "less_than_equal":
        return f"får vara högst {ctx.get('le')}"
    if typ == "greater_than":
        return f"ska vara större än {ctx.get('gt')}"
    if typ == "less_than":
        return f"ska vara mindre än {ctx.get('lt')}"
    if typ == "literal_error":
        return f"ska vara ett av {ctx.get('expected')}".replace(" or ", " eller ")
    if typ == "string_pattern_mismatch":
        return "har fel form (tillåtet: a–z, 0–9 och _, se regelboken §2)"
    if typ in ("value_error", "assertion_error"):
        orsak = ctx.get("error")
        return str(orsak) if orsak is not None else "ogiltigt värde"
    return _MEDDELANDEN.get(typ, "ogiltigt värde")


def _packa_upp(typ: Any) -> Any:
    """`Annotated[X, …]` och `Optional[X]` → X (den första delen som inte är None)."""
    import typing

    while True:
        ursprung = typing.get_origin(typ)
        if ursprung is typing.Annotated:
            typ = typing.get_args(typ)[0]
        elif ursprung is typing.Union or type(typ).__name__ == "UnionType":
            delar = [a for a in typing.get_args(typ) if a is not type(None)]
            if not delar:
                return typ
            typ = delar[0]
        else:
            return typ


def _tillatna_nycklar(modell: type, loc: Sokvag) -> Optional[list[str]]:
    """Nycklarna som modellen tillåter där `loc` (en okänd nyckel) står, om de går att avgöra."""
    import typing

    from pydantic import BaseModel, RootModel

    typ: Any = modell
    for steg in (*loc[:-1], None):
        typ = _packa_upp(typ)
        if isinstance(typ, type) and issubclass(typ, RootModel):
            typ = _packa_upp(typ.model_fields["root"].annotation)
        if steg is None:
            break
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            f = typ.model_fields.get(steg) if isinstance(steg, str) else None
            if f is None:
                return None
            typ = f.annotation
        elif typing.get_origin(typ) is dict:
            typ = typing.get_args(typ)[1]
        elif typing.get_origin(typ) in (list, tuple):
            typ = typing.get_args(typ)[0]
        else:
            return None
    if isinstance(typ, type) and issubclass(typ, BaseModel) and not issubclass(typ, RootModel):
        return list(typ.model_fields)
    return None


@contextmanager
def _utan_pydantic_tillagg() -> Iterator[None]:
    """Pydantic letar efter tillägg (plugins) bland alla installerade paket när en modells validerare
    byggs, vid första valideringen i processen: det tar tid som växer med miljön (många ms i en
    stor Python-miljö) och verktyget använder inga tillägg. Som Typer gör när den bygger sina
    parametrar: stängs av medan valideraren byggs, om användaren inte själv har valt."""
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        yield
        return
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    try:
        yield
    finally:
        os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)


def validera(modell: type, data: Any, pos: Positioner, bas: Sokvag = ()):
    """Data → modell, eller `Inlasningsfel` med en rad per fel och deras positioner. `bas` är
    nyckelvägen till `data` i filen, när modellen bara gäller en del av den."""
    from pydantic import ValidationError

    try:
        with _utan_pydantic_tillagg():
            return modell.model_validate(data)
    except ValidationError as e:
        fel = []
        for err in e.errors(include_url=False):
            loc = tuple(x for x in err["loc"] if x != "[key]")
            # Fel inne i unionsvarianter (t.ex. 'function-plain[...]') är inte nycklar i filen.
            loc = tuple(x for x in loc if not (isinstance(x, str) and ("[" in x and "]" in x)))
            medd = _pydantic_meddelande(err)
            if err.get("type") == "extra_forbidden":
                try:
                    tillatna = _tillatna_nycklar(modell, loc)
                except Exception:   # bara en ledtråd; utan den är felet detsamma
                    tillatna = None
                if tillatna:
                    medd += f" (tillåtna: {', '.join(tillatna)})"
            fel.append(Fel(pos.plats(bas + loc), sokvag_text(bas + loc), medd))
        # En rad per problem, även om pydantic rapporterar samma sak flera gånger.
        unika = list(dict.fromkeys(fel))
        raise begransa(unika) from None


# --- datafilerna -----------------------------------------------------------------------------


def standardfil(namn: str) -> Path:
    """Den medföljande datafilen: i det installerade paketet, annars i källträdets `data/`."""
    i_paketet = Path(__file__).resolve().parent / "data" / namn
    if i_paketet.exists():
        return i_paketet
    return Path(__file__).resolve().parents[2] / "data" / namn


@dataclass(frozen=True)
class Dokument:
    """En validerad modell och var i filen varje värde står."""

    modell: Any
    positioner: Positioner


# --- cache av validerade dokument ---------------------------------------------------------------
#
# Att tolka YAML och validera modellerna tar längre tid än hela beräkningen; ett validerat dokument
# sparas därför i en cache (modulen cache: nyckel, katalog, vilka poster som får läsas, rensning).
# Cachen är bara en genväg; går den inte att läsa eller skriva läses filen som vanligt.


def las_dokument(sokvag: Path, modellnamn: str) -> Dokument:
    """En datafil som modellen `modellnamn` ("Uppdrag" eller "Priser"), via cachen."""
    from vgr_ersattning import cache

    namn, text = las_text(sokvag)
    post = cache.Post(text.encode("utf-8"), modellnamn)
    dok = post.las()
    if isinstance(dok, Dokument):
        dok.positioner.fil = namn
        return dok
    from vgr_ersattning import modell

    data, pos = las_yaml_text(text, namn)
    dok = Dokument(validera(getattr(modell, modellnamn), data, pos), pos)
    post.spara(dok)
    return dok


def las_uppdrag(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, "Uppdrag")


def las_priser(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, "Priser")
