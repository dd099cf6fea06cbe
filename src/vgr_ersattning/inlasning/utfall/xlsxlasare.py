"""En arbetsbok (xlsx) läst strömmande och med gränser: bladen, de delade texterna, talformaten och
ett blads rader, ur zip-filens delar med expat (C), en del i taget.

Bara de delar som behövs läses: paketets relationer, arbetsboken (bladens namn och ordning),
arbetsbokens relationer, formatmallarna (vilka celler som är datum), de delade texterna och det
valda bladet. Varje del packas upp i block och tolkas medan den packas upp; inget XML-träd byggs,
och det som hålls i minnet är det som behövs (bladens namn, texterna, en rad i taget). Gränserna
kontrolleras medan delarna läses, och det första som går över en gräns ger ett fel direkt:

- uppackat: högst `MAX_XLSX_LAST` byte sammanlagt i de delar som läses (zip-filens angivna
  storlekar kontrolleras före, i `xlsx`; en del ger aldrig mer än sin angivna storlek);
- delade texter: högst `MAX_XLSX_TEXTER` texter, `MAX_XLSX_TEXTTECKEN` tecken och
  `MAX_XLSX_ELEMENT` element;
- bladet: rader till och med `MAX_XLSX_RADER` och kolumner till och med `MAX_XLSX_KOLUMNER`
  (Excels egna gränser), högst `MAX_XLSX_CELLER` celler (tomma celler före radens sista räknas:
  de blir värden i raden) och `MAX_XLSX_ELEMENT` element, högst `MAX_CSV_RAD` tecken text på en rad;
- de små delarna (relationer, arbetsboken, formatmallarna): högst `MAX_XLSX_ELEMENT_DEL` element var;
- en DTD (`<!DOCTYPE`, som kan definiera entiteter som växer) vägras i alla delar.

Värdena blir som openpyxl (läst med `data_only`) ger dem: text, heltal eller flyttal, sant/falskt,
datum och tider för celler med datumformat (openpyxl:s regler för talformat och datum), och för
en formel dess senast beräknade värde. openpyxl importeras bara för talformaten och datumen.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from vgr_ersattning.inlasning.tal import MAX_CSV_RAD, svenskt_tal

# Uppackat sammanlagt i de delar som läses. Ett blad med en miljon celler är runt 50 MB XML.
MAX_XLSX_LAST = 512 * 1024 * 1024
MAX_XLSX_TEXTER = 1_000_000
MAX_XLSX_TEXTTECKEN = 32 * 1024 * 1024
MAX_XLSX_RADER = 1_048_576
MAX_XLSX_KOLUMNER = 16_384
# Celler i bladet: med dem en läsning på några sekunder. Ett större uttag sparas som CSV, som läses
# strömmande i alla storlekar.
MAX_XLSX_CELLER = 2_000_000
MAX_XLSX_ELEMENT = 8_000_000
MAX_XLSX_ELEMENT_DEL = 500_000

_BLOCK = 1024 * 1024
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
                    if self.uppackat > MAX_XLSX_LAST:
                        raise Arbetsboksfel(f"arbetsboken packas upp till mer än {svenskt_tal(MAX_XLSX_LAST)} byte; "
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

    def rader(self, blad: str) -> Iterator[tuple]:
        """Bladets rader som tupler av värden, som openpyxl:s `iter_rows(values_only=True)`: en
        saknad rad är en tom tupel, en rad är så lång som dess sista cell."""
        texter = self._texter()
        datum, tidsskillnad = self._datumformat()
        return _Blad(self._zf, self.blad[blad], texter, datum, tidsskillnad, self._1904).rader()

    def _texter(self) -> list[str]:
        """De delade texterna (`sharedStrings`), med gränserna."""
        del_ = self._texter_del
        texter: list[str] = []
        if del_ is None or del_ not in self._zf.namn:
            return texter
        delar: list[str] = []
        lage = {"t": 0, "fonetisk": 0, "tecken": 0}
        rakna = _Raknare(del_, MAX_XLSX_ELEMENT)

        def start(namn: str, attrs: dict[str, str]) -> None:
            rakna()
            lokalt = _lokalt(namn)
            if lokalt == "t":
                lage["t"] += 1
            elif lokalt == "rPh":
                lage["fonetisk"] += 1
            elif lokalt == "si":
                delar.clear()

        def slut(namn: str) -> None:
            lokalt = _lokalt(namn)
            if lokalt == "t":
                lage["t"] -= 1
            elif lokalt == "rPh":
                lage["fonetisk"] -= 1
            elif lokalt == "si":
                if len(texter) >= MAX_XLSX_TEXTER:
                    raise Arbetsboksfel(f"arbetsboken har fler än {svenskt_tal(MAX_XLSX_TEXTER)} delade texter; "
                                        "spara bladet som CSV")
                texter.append("".join(delar))

        def text(data: str) -> None:
            if lage["t"] and not lage["fonetisk"]:
                lage["tecken"] += len(data)
                if lage["tecken"] > MAX_XLSX_TEXTTECKEN:
                    raise Arbetsboksfel(f"arbetsbokens delade texter har fler än {svenskt_tal(MAX_XLSX_TEXTTECKEN)} "
                                        "tecken; spara bladet som CSV")
                delar.append(data)

        self._zf.tolka(del_, start, slut, text)
        return texter

    def _datumformat(self) -> tuple[set[int], set[int]]:
        """Cellformaten (index i `cellXfs`) som är datum och som är tidsskillnader, med openpyxl:s
        regler för talformat."""
        del_ = self._format_del
        if del_ is None or del_ not in self._zf.namn:
            return set(), set()
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        egna: dict[int, str] = {}
        format_id: list[int] = []
        lage = {"cellXfs": 0}
        rakna = _Raknare(del_, MAX_XLSX_ELEMENT_DEL)

        def tal(text: str | None) -> int:
            return int(text) if text is not None and text.strip().isdigit() and len(text) < 10 else 0

        def start(namn: str, attrs: dict[str, str]) -> None:
            rakna()
            lokalt = _lokalt(namn)
            if lokalt == "numFmt":
                egna[tal(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif lokalt == "cellXfs":
                lage["cellXfs"] += 1
            elif lokalt == "xf" and lage["cellXfs"]:
                format_id.append(tal(attrs.get("numFmtId")))

        def slut(namn: str) -> None:
            if _lokalt(namn) == "cellXfs":
                lage["cellXfs"] -= 1

        self._zf.tolka(del_, start, slut)
        datum, tidsskillnad = set(), set()
        for i, fid in enumerate(format_id):
            fmt = egna.get(fid, BUILTIN_FORMATS.get(fid))
            if is_date_format(fmt):
                datum.add(i)
            if is_timedelta_format(fmt):
                tidsskillnad.add(i)
        return datum, tidsskillnad


def kolumnnummer(text: str) -> int:
    """`A` → 1, `XFD` → 16 384 (bokstäverna i en cellreferens)."""
    n = 0
    for c in text.upper():
        n = n * 26 + ord(c) - 64
    return n


# Elementen i ett blad som läsaren bryr sig om, efter namnet utan prefix.
_CELL, _VARDE, _TEXT, _RAD, _FONETISK, _ANNAT = range(6)
_SLAG = {"c": _CELL, "v": _VARDE, "t": _TEXT, "row": _RAD, "rPh": _FONETISK}


class _Blad:
    """Ett blads rader, tolkade medan delen packas upp; de färdiga raderna lämnas vidare efter
    varje block. Hanterarna anropas för varje element och är skrivna för att vara snabba: namnen
    slås upp i ordböcker (`_slag`, `_kolumner`), och en cells format jämförs som text."""

    def __init__(self, zf: _Zip, del_: str, texter: list[str], datum: set[int], tidsskillnad: set[int],
                 ar_1904: bool):
        self.zf, self.del_, self.texter = zf, del_, texter
        self.datum = {str(i) for i in datum}
        self.tidsskillnad = {str(i) for i in tidsskillnad}
        self.ar_1904 = ar_1904
        self.klara: list[tuple[int, tuple]] = []      # (radnummer, värden) sedan förra blocket
        self._slag: dict[str, int] = {}
        self._kolumner: dict[str, int] = {}
        self.radnr = self.kol = self.antal_celler = self.element = self.radtext = self.fonetisk = 0
        self.celler: list[tuple[int, Any]] = []
        self.i_rad = False
        self.i_cell = False
        self.typ, self.format = "n", "0"               # cellen som läses: t och s
        self.v: list[str] | None = None                # dit texten i <v> eller <is><t> går just nu
        self.varde: list[str] = []

    def fel(self, medd: str, kolumn: int = 0) -> Arbetsboksfel:
        return Arbetsboksfel(medd, self.radnr, kolumn)

    def slag(self, namn: str) -> int:
        s = _SLAG.get(namn.rpartition(":")[2], _ANNAT)
        if len(self._slag) < 1000:
            self._slag[namn] = s
        return s

    def kolumn(self, r: str) -> int:
        bokstaver = r.rstrip("0123456789")
        kol = self._kolumner.get(bokstaver)
        if kol is None:
            if not (0 < len(bokstaver) <= 3 and bokstaver.isascii() and bokstaver.isalpha()):
                raise self.fel(f"cellen har en ogiltig referens {r[:20]!r}")
            kol = kolumnnummer(bokstaver)
            if kol > MAX_XLSX_KOLUMNER:
                raise self.fel(f"en cell ligger bortom kolumn XFD ({svenskt_tal(MAX_XLSX_KOLUMNER)}), Excels sista")
            self._kolumner[bokstaver] = kol
        return kol

    def start(self, namn: str, attrs: dict[str, str]) -> None:
        self.element += 1
        if self.element > MAX_XLSX_ELEMENT:
            raise self.fel(f"bladet har fler än {svenskt_tal(MAX_XLSX_ELEMENT)} element; spara bladet som CSV")
        s = self._slag.get(namn)
        if s is None:
            s = self.slag(namn)
        if s == _CELL:
            if self.i_rad:
                r = attrs.get("r")
                kol = self.kolumn(r) if r is not None else self.kol + 1
                if kol > MAX_XLSX_KOLUMNER:
                    raise self.fel(f"en cell ligger bortom kolumn XFD ({svenskt_tal(MAX_XLSX_KOLUMNER)}), Excels sista")
                self.kol = kol
                self.typ = attrs.get("t", "n")
                self.format = attrs.get("s", "0")
                self.i_cell = True
                self.varde = []
        elif s == _VARDE:
            if self.i_cell:
                self.v = self.varde
        elif s == _TEXT:
            if self.i_cell and self.typ == "inlineStr" and not self.fonetisk:
                self.v = self.varde
        elif s == _RAD:
            r = attrs.get("r")
            if r is None:
                self.radnr += 1
            else:
                try:
                    self.radnr = int(r) if len(r) < 12 else MAX_XLSX_RADER + 1
                except ValueError:
                    raise self.fel(f"raden har ett ogiltigt nummer {r[:20]!r}") from None
            if self.radnr > MAX_XLSX_RADER:
                raise Arbetsboksfel(f"bladet har rader efter rad {svenskt_tal(MAX_XLSX_RADER)}, Excels sista",
                                    MAX_XLSX_RADER + 1)
            self.i_rad, self.kol, self.celler, self.radtext = True, 0, [], 0
        elif s == _FONETISK:
            self.fonetisk += 1

    def slut(self, namn: str) -> None:
        s = self._slag.get(namn)
        if s is None:
            s = self.slag(namn)
        if s == _CELL:
            if self.i_cell:
                self.celler.append((self.kol, self.cellvarde()))
                self.i_cell, self.v = False, None
        elif s == _VARDE or s == _TEXT:
            self.v = None
        elif s == _RAD:
            if self.i_rad:
                self.i_rad = False
                celler = self.celler
                bredd = max(k for k, _ in celler) if celler else 0
                self.antal_celler += bredd
                if self.antal_celler > MAX_XLSX_CELLER:
                    raise self.fel(f"bladet har fler än {svenskt_tal(MAX_XLSX_CELLER)} celler; spara bladet som "
                                   "CSV (CSV läses i alla storlekar)")
                if len(celler) == bredd and all(k == i for i, (k, _) in enumerate(celler, 1)):
                    self.klara.append((self.radnr, tuple(v for _, v in celler)))
                else:
                    varden: list[Any] = [None] * bredd
                    for k, v in celler:
                        varden[k - 1] = v
                    self.klara.append((self.radnr, tuple(varden)))
        elif s == _FONETISK:
            self.fonetisk -= 1

    def text(self, data: str) -> None:
        v = self.v
        if v is not None:
            self.radtext += len(data)
            if self.radtext > MAX_CSV_RAD:
                raise self.fel(f"raden har mer än {svenskt_tal(MAX_CSV_RAD)} tecken text")
            v.append(data)

    def cellvarde(self) -> Any:
        """Cellens värde som openpyxl ger det (`data_only`)."""
        typ, varde = self.typ, self.varde
        text = varde[0] if len(varde) == 1 else "".join(varde)
        if typ == "s" and text:
            try:
                return self.texter[int(text)]
            except (ValueError, IndexError):
                raise self.fel(f"cellen pekar på en delad text som inte finns ({text[:20]!r})", self.kol) from None
        if typ == "inlineStr":
            return text
        if not text:
            return None
        try:
            if typ == "n":
                if len(text) > 400:
                    raise ValueError
                tal: Any = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
                if self.format in self.datum:
                    from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel

                    try:
                        return from_excel(tal, CALENDAR_MAC_1904 if self.ar_1904 else WINDOWS_EPOCH,
                                          timedelta=self.format in self.tidsskillnad)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return tal
            if typ == "b":
                return bool(int(text))
            if typ == "d":
                from openpyxl.utils.datetime import from_ISO8601

                return from_ISO8601(text)
            return text               # "str" (en formels text), "e" (ett fel som #N/A)
        except (ValueError, OverflowError):
            raise self.fel(f"cellen har ett ogiltigt värde {text[:20]!r} (typ {typ!r})", self.kol) from None

    def rader(self) -> Iterator[tuple]:
        """Raderna i ordning; en rad som saknas (ett hopp i radnumren) är en tom tupel, och en rad
        med ett nummer som redan passerats hoppas över (som openpyxl gör)."""
        nasta = 1
        for _ in self.zf.stegvis(self.del_, self.start, self.slut, self.text):
            klara, self.klara = self.klara, []
            for radnr, varden in klara:
                if radnr < nasta:
                    continue
                while nasta < radnr:
                    yield ()
                    nasta += 1
                yield varden
                nasta += 1
