"""En arbetsbok (xlsx) granskad innan python-calamine läser den: bladens namn och delar, och gränser
som håller minne och tid i proportion till det som godtas.

python-calamine (Rust) läser ett blad till ett tätt rutnät över de använda cellerna: en cell i A1
och en i XFD1048576 skulle bli sjutton miljarder celler. Därför granskas de delar calamine läser
först, strömmande och med kompilerade byte-reguljära uttryck (inget XML-träd byggs):

- bladen: paketets och arbetsbokens relationer och arbetsboken (bladens namn och ordning) tolkas
  med expat, högst `MAX_XLSX_ELEMENT_DEL` element var och utan DTD;
- de andra delarna calamine läser när arbetsboken öppnas (delade texter, formatmallar): högst
  `MAX_XLSX_DEL` byte uppackade var, och högst `MAX_XLSX_TEXTER` delade texter;
- det valda bladet: högst `MAX_XLSX_LAST` byte uppackat (den verkliga storleken, inte den angivna),
  ingen DTD, högst `MAX_XLSX_CELLER` celler, och rutnätet (raderna gånger kolumnerna fram till den
  sista använda cellen) högst `MAX_XLSX_CELLER` celler, rader till och med `MAX_XLSX_RADER` och
  kolumner till och med `MAX_XLSX_KOLUMNER` (Excels egna gränser).

Bladets `<dimension ref=…>` litas inte på: den vanliga vägen prövar med ett enda reguljärt uttryck
att varje cell har en giltig referens (`r`) inom en gräns som följer av dimensionen (lika många
bokstäver och siffror och ett första tecken som inte är större, när det rutnätet håller sig inom
gränserna; annars dimensionen själv), och med sökningar efter delsträngar att bladet inte har några
formler, felvärden, sammanfogade celler eller prefix. Annars (ingen dimension, en cell utan giltig
referens inom gränsen, ett prefix på elementen, en formel, en sammanfogad cell) läses
bladet en gång till cell för cell som calamine gör, och varje cells plats räknas ut. Där hittas också
det calamine visar som en tom cell: en formel utan sparat värde (ett fel med cellens plats) och ett
felvärde som `#N/A` (som då läses som sin text).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from vgr_ersattning.inlasning.tal import svenskt_tal

# Bladet uppackat (den verkliga storleken). En miljon celler är runt 40 MB XML.
MAX_XLSX_LAST = 256 * 1024 * 1024
# Var och en av de andra delarna calamine läser (delade texter, formatmallar, arbetsboken).
MAX_XLSX_DEL = 64 * 1024 * 1024
MAX_XLSX_TEXTER = 1_000_000
MAX_XLSX_RADER = 1_048_576
MAX_XLSX_KOLUMNER = 16_384
# Celler i bladet och i rutnätet calamine bygger: med dem en läsning på några sekunder. Ett större
# uttag sparas som CSV, som läses strömmande i alla storlekar.
MAX_XLSX_CELLER = 2_000_000
MAX_XLSX_SAMMANFOGADE = 100_000
MAX_XLSX_ELEMENT_DEL = 500_000

_BLOCK = 8 * 1024 * 1024
_PAKETETS_RELATIONER = "_rels/.rels"

class Arbetsboksfel(Exception):
    """En arbetsbok som inte går att läsa eller går över en gräns: en svensk rad, och raden i
    bladet där det hände (0: inte i ett blad)."""

    def __init__(self, meddelande: str, rad: int = 0, kolumn: int = 0):
        super().__init__(meddelande)
        self.rad, self.kolumn = rad, kolumn


def _lokalt(namn: str) -> str:
    """Elementets eller attributets namn utan prefix (`x:sheet` → `sheet`, `r:id` → `id`)."""
    return namn.rpartition(":")[2]


def _attribut(attrs: dict[str, str], lokalt: str) -> str | None:
    for k, v in attrs.items():
        if _lokalt(k) == lokalt:
            return v
    return None


class _Zip:
    """Zip-filens delar, uppackade i block medan de tolkas, med den sammanlagda gränsen."""

    def __init__(self, z: zipfile.ZipFile):
        self.z = z
        self.namn = set(z.namelist())
        self.uppackat = 0

    def tolka(self, del_: str, start: Callable, slut: Callable | None = None,
              text: Callable | None = None) -> None:
        """Tolkar hela delen med expat: `start(namn, attribut)`, `slut(namn)` och `text(data)`
        (None: anropas inte alls, vilket är snabbast)."""
        for _ in self.stegvis(del_, start, slut, text):
            pass

    def stegvis(self, del_: str, start: Callable, slut: Callable | None = None,
                text: Callable | None = None) -> Iterator[None]:
        """Som `tolka`, men en generator som stannar efter varje uppackat block (högst en MiB), så
        att det som tolkats kan lämnas vidare innan nästa block packas upp."""
        p = expat.ParserCreate()
        p.buffer_text = True
        p.StartDoctypeDeclHandler = _ingen_dtd
        p.EntityDeclHandler = _ingen_dtd
        p.StartElementHandler = start
        if slut is not None:
            p.EndElementHandler = slut
        if text is not None:
            p.CharacterDataHandler = text
        try:
            with self.z.open(del_) as f:
                while True:
                    bit = f.read(_BLOCK)
                    self.uppackat += len(bit)
                    if self.uppackat > MAX_XLSX_DEL:
                        raise Arbetsboksfel(f"{del_} packas upp till mer än {svenskt_tal(MAX_XLSX_DEL)} byte; "
                                            "spara bladet som CSV")
                    p.Parse(bit, not bit)
                    yield
                    if not bit:
                        return
        except expat.ExpatError as e:
            raise Arbetsboksfel(f"arbetsboken går inte att läsa: {del_} är inte giltig XML (rad {e.lineno}: "
                                f"{expat.ErrorString(e.code)}); spara om den i Excel eller som CSV") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
            raise Arbetsboksfel(f"arbetsboken går inte att läsa: {del_} går inte att packa upp "
                                f"({type(e).__name__}); är filen hel?") from None


def _ingen_dtd(*_: Any) -> None:
    raise Arbetsboksfel("arbetsboken innehåller en DTD (<!DOCTYPE>), som en xlsx-fil aldrig har")


class _Raknare:
    """Antalet element i en del, med gränsen."""

    def __init__(self, del_: str, grans: int):
        self.del_, self.grans, self.antal = del_, grans, 0

    def __call__(self) -> None:
        self.antal += 1
        if self.antal > self.grans:
            raise Arbetsboksfel(f"{self.del_} har fler än {svenskt_tal(self.grans)} element; spara bladet som CSV")


def _relationer(zf: _Zip, del_: str) -> dict[str, tuple[str, str]]:
    """Relationerna för en del: id → (typens sista led, målet som sökväg i zip-filen)."""
    katalog, fil = posixpath.split(del_)
    rels = posixpath.join(katalog, "_rels", fil + ".rels") if del_ else _PAKETETS_RELATIONER
    ut: dict[str, tuple[str, str]] = {}
    if rels not in zf.namn:
        return ut
    rakna = _Raknare(rels, MAX_XLSX_ELEMENT_DEL)

    def start(namn: str, attrs: dict[str, str]) -> None:
        rakna()
        if _lokalt(namn) == "Relationship" and attrs.get("TargetMode") != "External":
            mal = attrs.get("Target", "")
            mal = mal[1:] if mal.startswith("/") else posixpath.normpath(posixpath.join(katalog, mal))
            ut[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], mal)

    zf.tolka(rels, start)
    return ut


class Arbetsbok:
    """En öppnad arbetsbok: bladens namn (i arbetsbokens ordning), och `rader(namn)` för ett blad."""

    def __init__(self, z: zipfile.ZipFile):
        self._zf = zf = _Zip(z)
        paket = _relationer(zf, "")
        bok = next((mal for typ, mal in paket.values() if typ == "officeDocument"), "xl/workbook.xml")
        if bok not in zf.namn:
            raise Arbetsboksfel("filen är en zip-fil men ingen Excel-arbetsbok (xlsx)")
        relationer = _relationer(zf, bok)
        self.blad: dict[str, str] = {}
        self._1904 = False
        rakna = _Raknare(bok, MAX_XLSX_ELEMENT_DEL)

        def start(namn: str, attrs: dict[str, str]) -> None:
            rakna()
            lokalt = _lokalt(namn)
            if lokalt == "sheet":
                typ, mal = relationer.get(_attribut(attrs, "id") or "", ("", ""))
                if typ == "worksheet" and mal in zf.namn and attrs.get("name") is not None:
                    self.blad.setdefault(attrs["name"], mal)
            elif lokalt == "workbookPr":
                self._1904 = attrs.get("date1904", "").lower() in ("1", "true")

        zf.tolka(bok, start)
        self._texter_del = next((mal for typ, mal in relationer.values() if typ == "sharedStrings"), None)
        self._format_del = next((mal for typ, mal in relationer.values() if typ == "styles"), None)

    def granska_delarna(self) -> None:
        """De delar calamine läser när arbetsboken öppnas: de delade texterna och formatmallarna
        (den verkliga uppackade storleken och antalet texter)."""
        for del_ in (self._texter_del, self._format_del):
            if del_ is None or del_ not in self._zf.namn:
                continue
            texter = 0
            for data in _block(self._zf.z, del_, MAX_XLSX_DEL):
                if del_ == self._texter_del:
                    texter += data.count(b"<si>") + data.count(b"<si ")
                    if texter > MAX_XLSX_TEXTER:
                        raise Arbetsboksfel(f"arbetsboken har fler än {svenskt_tal(MAX_XLSX_TEXTER)} delade "
                                            "texter; spara bladet som CSV")

    def granska_blad(self, blad: str) -> dict[tuple[int, int], str]:
        """Granskar bladet innan calamine läser det (modulens gränser). Ger felvärdena (`#N/A`) per
        (rad, kolumn) från 0, som calamine visar som tomma celler."""
        del_ = self.blad[blad]
        if _vanlig_vag(self._zf.z, del_):
            return {}
        return _cell_for_cell(self._zf.z, del_)


def _block(z: zipfile.ZipFile, del_: str, grans: int) -> Iterator[bytes]:
    """Delen uppackad i block som slutar före ett `<` (ett element delas aldrig mellan två block),
    med gränsen för den verkliga uppackade storleken."""
    rest = b""
    storlek = 0
    try:
        with z.open(del_) as f:
            while True:
                bit = f.read(_BLOCK)
                storlek += len(bit)
                if storlek > grans:
                    raise Arbetsboksfel(f"{del_} packas upp till mer än {svenskt_tal(grans)} byte; spara bladet "
                                        "som CSV")
                if not bit:
                    if rest:
                        yield rest
                    return
                data = rest + bit if rest else bit
                klipp = data.rfind(b"<")
                if klipp <= 0:
                    rest = data
                    continue
                rest = data[klipp:]
                yield data[:klipp]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise Arbetsboksfel(f"arbetsboken går inte att läsa: {del_} går inte att packa upp "
                            f"({type(e).__name__}); är filen hel?") from None


def kolumnnummer(text: bytes) -> int:
    """`A` → 1, `XFD` → 16 384 (bokstäverna i en cellreferens, också gemener som calamine)."""
    n = 0
    for c in text.upper():
        n = n * 26 + c - 64
    return n


def kolumnbokstaver(n: int) -> str:
    """1 → `A`, 16 384 → `XFD`."""
    ut = ""
    while n:
        n, r = divmod(n - 1, 26)
        ut = chr(65 + r) + ut
    return ut


_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})([1-9][0-9]{0,6})(?::([A-Z]{1,3})([1-9][0-9]{0,6}))?"')
_DTD = re.compile(rb"<!DOCTYPE", re.I)


def _storre_an(grans: str, tecken: str) -> str:
    """Ett reguljärt uttryck för strängar av `tecken` (`A-Z` eller `0-9`) som är större än `grans`
    jämförda som tal i sin bas: längre, eller lika långa och större tecken för tecken."""
    alternativ = [f"[{tecken}]{{{len(grans) + 1},}}"]
    for i, c in enumerate(grans):
        if c != tecken[-1]:
            nasta = chr(ord(c) + 1)
            alternativ.append(re.escape(grans[:i]) + f"[{nasta}-{tecken[-1]}]" + f"[{tecken}]{{{len(grans) - i - 1}}}")
    return "(?:" + "|".join(alternativ) + ")"


def _inom(kolumner: int, rader: int) -> bool:
    return kolumner * rader <= MAX_XLSX_CELLER and kolumner <= MAX_XLSX_KOLUMNER and rader <= MAX_XLSX_RADER


def _referenser(kolumn: str, rad: str) -> re.Pattern[bytes] | None:
    """Ett reguljärt uttryck för en cell utan giltig referens (eller med referensen efter ett annat
    attribut) eller utanför en gräns, när dimensionen (sista kolumnen `kolumn`, raden `rad`) håller
    sig inom gränserna; annars None. Gränsen beror helst bara på det första tecknet i kolumnen och
    raden: lika många bokstäver och siffror och ett första tecken som inte är större (`D200001` ger
    kolumner till D och rader till 299 999), ett uttryck utan jämförelser tecken för tecken, som är
    snabbt. Har det rutnätet för många celler är gränsen dimensionen själv."""
    k, r = kolumn[0], rad[0]
    if _inom(kolumnnummer((k + "Z" * (len(kolumn) - 1)).encode()), int(r + "9" * (len(rad) - 1))):
        kolumner = f"[A-{k}]" + (f"[A-Z]{{{len(kolumn) - 1}}}|[A-Z]{{1,{len(kolumn) - 1}}}" if len(kolumn) > 1 else "")
        rader = f"[1-{r}][0-9]{{{len(rad) - 1}}}" + (f"|[1-9][0-9]{{0,{len(rad) - 2}}}" if len(rad) > 1 else "")
        return re.compile(f'<c(?! r="(?:{kolumner})(?:{rader})")[ >/]'.encode())
    if _inom(kolumnnummer(kolumn.encode()), int(rad)):
        storre_k, storre_r = _storre_an(kolumn, "A-Z"), _storre_an(rad, "0-9")
        return re.compile(('<c(?:[ >/](?!r=")| r="(?:' + storre_k + "[0-9]|[A-Z]+" + storre_r
                           + '"|(?![A-Z]{1,3}[1-9][0-9]{0,6}")))').encode())
    return None


# Ett prefix på cellernas och radernas element.
_PREFIX = re.compile(rb":(?:c|row|f|v|is)[ >/]")


def _larm(data: bytes, referenser: re.Pattern[bytes]) -> bool:
    """Om blocket ska läsas cell för cell: en formel, ett felvärde, en sammanfogad cell, ett prefix,
    en cell utan giltig referens inom gränsen. Först delsträngar (en sökning i C var), de reguljära
    uttrycken sist."""
    return (b"<f" in data or b't="e"' in data or b"<mergeCell" in data or _PREFIX.search(data) is not None
            or referenser.search(data) is not None)


def _vanlig_vag(z: zipfile.ZipFile, del_: str) -> bool:
    """True när bladet håller sig inom gränserna utan att läsas cell för cell (modulens text);
    False när det ska läsas cell för cell. Kastar `Arbetsboksfel` för det som alltid är fel."""
    referenser: re.Pattern[bytes] | None = None
    celler = 0
    forsta = True
    vanlig = True
    for data in _block(z, del_, MAX_XLSX_LAST):
        if forsta:
            forsta = False
            if _DTD.search(data, 0, 64 * 1024):
                raise Arbetsboksfel("arbetsboken innehåller en DTD (<!DOCTYPE>), som en xlsx-fil aldrig har", 1)
            m = _DIMENSION.search(data, 0, 64 * 1024)
            if m is None:
                vanlig = False
            else:
                kolumn, rad = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
                referenser = _referenser(kolumn.decode(), rad.decode())
        celler += data.count(b"</c>")
        if celler > MAX_XLSX_CELLER:
            raise Arbetsboksfel(f"bladet har fler än {svenskt_tal(MAX_XLSX_CELLER)} celler; spara bladet som CSV "
                                "(CSV läses i alla storlekar)")
        if vanlig and (referenser is None or _larm(data, referenser)):
            vanlig = False
    return vanlig


_ELEMENT = re.compile(rb'<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c|f|v|is|mergeCell)(?=[\s/>])([^>]*?)(/?)>')
_R = re.compile(rb'\sr="([^"]*)"')
_T = re.compile(rb'\st="([^"]*)"')
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")


def _cell_for_cell(z: zipfile.ZipFile, del_: str) -> dict[tuple[int, int], str]:
    """Bladet cell för cell som calamine läser det: varje cells plats (från referensen, annars efter
    föregående cell och rad), rutnätet, formler utan sparat värde och felvärdena."""
    felvarden: dict[tuple[int, int], str] = {}
    rad = kol = 0                     # calamine: nästa rad och kolumn för en cell utan referens
    i_cell = False
    plats = (0, 0)
    formel = varde = felvarde = False
    rmin = kmin = 1 << 40
    rmax = kmax = -1
    sammanfogade = 0
    for data in _block(z, del_, MAX_XLSX_LAST):
        for m in _ELEMENT.finditer(data):
            slut, namn, attr, tom = m.groups()
            if namn == b"c":
                if slut:
                    if i_cell:
                        if formel and not varde:
                            raise Arbetsboksfel("cellen har en formel utan sparat värde (arbetsboken är inte "
                                                "beräknad); öppna och spara den i Excel, eller spara bladet som CSV",
                                                plats[0] + 1, plats[1] + 1)
                        if varde:
                            rmin, rmax = min(rmin, plats[0]), max(rmax, plats[0])
                            kmin, kmax = min(kmin, plats[1]), max(kmax, plats[1])
                            if (rmax - rmin + 1) * (kmax - kmin + 1) > MAX_XLSX_CELLER:
                                raise Arbetsboksfel(f"bladet har fler än {svenskt_tal(MAX_XLSX_CELLER)} celler "
                                                    "(raderna gånger kolumnerna fram till den sista cellen); spara "
                                                    "bladet som CSV (CSV läses i alla storlekar)", plats[0] + 1, 1)
                    i_cell = False
                    continue
                if tom:                   # <c/>: calamine hoppar över den
                    continue
                r = _R.search(attr)
                if r is not None:
                    ref = _REF.fullmatch(r.group(1))
                    if ref is None:
                        raise Arbetsboksfel(f"cellen har en ogiltig referens {r.group(1)[:20].decode('utf-8', 'replace')!r}",
                                            rad + 1, 1)
                    plats = (int(ref.group(2)) - 1, kolumnnummer(ref.group(1)) - 1)
                    if plats[0] < 0:
                        raise Arbetsboksfel(f"cellen har en ogiltig referens {r.group(1).decode()!r}", rad + 1, 1)
                    kol = plats[1]
                else:
                    plats = (rad, kol)
                if plats[1] >= MAX_XLSX_KOLUMNER:
                    raise Arbetsboksfel(f"en cell ligger bortom kolumn XFD ({svenskt_tal(MAX_XLSX_KOLUMNER)}), Excels "
                                        "sista", plats[0] + 1, 1)
                if plats[0] >= MAX_XLSX_RADER:
                    raise Arbetsboksfel(f"bladet har rader efter rad {svenskt_tal(MAX_XLSX_RADER)}, Excels sista",
                                        MAX_XLSX_RADER + 1, 1)
                kol += 1
                t = _T.search(attr)
                felvarde = t is not None and t.group(1) == b"e"
                i_cell, formel, varde = True, False, False
            elif namn == b"row":
                if slut:
                    rad, kol = rad + 1, 0
                elif not tom:
                    r = _R.search(attr)
                    if r is not None:
                        if not r.group(1).isdigit() or len(r.group(1)) > 7 or int(r.group(1)) < 1:
                            raise Arbetsboksfel(f"raden har ett ogiltigt nummer {r.group(1)[:20].decode('utf-8', 'replace')!r}",
                                                rad + 1, 1)
                        rad = int(r.group(1)) - 1
                        if rad >= MAX_XLSX_RADER:
                            raise Arbetsboksfel(f"bladet har rader efter rad {svenskt_tal(MAX_XLSX_RADER)}, Excels "
                                                "sista", MAX_XLSX_RADER + 1, 1)
            elif not i_cell or slut:
                if namn == b"mergeCell" and not slut:
                    sammanfogade += 1
                    if sammanfogade > MAX_XLSX_SAMMANFOGADE:
                        raise Arbetsboksfel(f"bladet har fler än {svenskt_tal(MAX_XLSX_SAMMANFOGADE)} sammanfogade "
                                            "celler; spara bladet som CSV")
            elif namn == b"f":
                formel = True
            elif not tom:                 # <v> eller <is> med innehåll
                text = data[m.end():data.find(b"<", m.end())] if namn == b"v" else b"x"
                if text:
                    varde = True
                    if felvarde and namn == b"v":
                        felvarden[plats] = text.decode("utf-8", "replace")[:50]
    return felvarden
