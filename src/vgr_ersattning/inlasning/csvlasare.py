"""CSV-läsaren: en binär ström som rader för `csv.reader`, med kodningen, avgränsaren och platsen
för varje fel (fil:rad:kolumn, räknat med citattecken och poster över flera rader), och
rubrikraden med kolumner i valfri ordning och valfritt skiftläge (regelboken §20).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.tal import MAX_CSV_FALT, MAX_CSV_KOLUMNER, MAX_CSV_RAD, svenskt_tal, visa

# Blocken `CsvRader` läser (byte). Snabbvägen för en pipe läser i samma block, räknat från filens
# början, så att hela läsaren kan ta över mitt i filen med samma block (`CsvRader.fortsatt_fran`).
BLOCK = 1 << 16


def rader_i(text: str) -> list[str]:
    """Texten i rader med sina radslut, som csv-modulen väntar sig av en fil öppnad med newline=""."""
    return io.StringIO(text, newline="").readlines()


class _Blocktext:
    """Ett blocks rader som en text (`CsvRader.som_text`), uppdelad i rader först när en rad behövs."""

    __slots__ = ("text", "_rader", "antal")

    def __init__(self, text: str):
        self.text, self._rader = text, None
        t = text
        # Radsluten (\n, \r, \r\n), och en sista rad utan radslut (filens slut).
        antal = t.count("\n") + (t.count("\r") - t.count("\r\n") if "\r" in t else 0)
        self.antal = antal + (1 if t and t[-1] not in "\r\n" else 0)

    def _lista(self) -> list[str]:
        if self._rader is None:
            self._rader = rader_i(self.text)
        return self._rader

    def __len__(self) -> int:
        return len(self._lista())

    def __getitem__(self, i: int) -> str:
        return self._lista()[i]


class CsvRader:
    """Raderna i en binär CSV-ström för `csv.reader`, lästa och avkodade i block om 64 KiB som
    slutar efter ett radslut, så att inget görs per rad utöver det csv-modulen gör. En rad längre
    än `MAX_CSV_RAD` är ett fel på sin rad; minnet är högst några sådana rader.

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

    def __init__(self, namn: str, strom: BinaryIO, framsteg=None, blockstorlek: int | None = None):
        blockstorlek = blockstorlek or BLOCK
        self.namn = namn
        self._strom, self._storlek, self._framsteg = strom, blockstorlek, framsteg
        self._avkodare = codecs.getincrementaldecoder("utf-8-sig")()
        self.kodning = "utf-8"
        self.inte_utf8: tuple[Plats, int] | None = None    # (platsen, byten) där UTF-8 tog slut
        self._bara_ascii = True                               # allt läst hittills är ASCII
        self._bom = False                                     # filen börjar med en UTF-8-BOM
        self.avgransare = ","
        self.citat = False                                    # ett citattecken i det lästa
        # Med `som_text` ger läsaren varje följande block som en enda text (alla dess rader), inte rad för
        # rad (`Scenarioflode` i block); raderna delas upp först när en rad behövs för en felplats.
        self.som_text = False
        # (radnumret, 0-baserat, för blockets första rad; blockets rader), de senaste blocken.
        self._block: Any = deque(maxlen=MAX_CSV_FALT // blockstorlek + 2)
        self._nasta = 0
        self._rest = b""
        self._forsta_block = blockstorlek
        self.lasta_byte = 0
        self._nasta_rapport = 1 << 20

    def fortsatt_fran(self, rader: int, rest: bytes, forsta_block: int, kodning: str | None, bara_ascii: bool,
                      bom: bool) -> None:
        """Läsningen tar vid mitt i en fil, där en annan läsare slutade (före den första läsningen):
        `rader` rader före `rest`, den påbörjade raden som hela läsaren hade burit över från förra
        blocket, `forsta_block` byte i den första läsningen (resten av blocket som hela läsaren hade
        läst), kodningen som den avgjorts (None: bara ASCII hittills), om allt hittills är ASCII och
        om filen började med en BOM."""
        self._nasta, self._rest, self._forsta_block, self.lasta_byte = rader, rest, forsta_block, 1
        self._bara_ascii, self._bom = bara_ascii, bom
        self.kodning = kodning or "utf-8"
        self._avkodare = codecs.getincrementaldecoder(self.kodning)()

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._blocken())

    def _blocken(self) -> Iterator[list[str]]:
        rest = self._rest   # en påbörjad rad i slutet av det senaste blocket: den hör till nästa
        storlek = self._forsta_block
        while True:
            bit = self._strom.read(storlek)
            storlek = self._storlek
            slut = not bit
            data, rest = (rest + bit if rest else bit), b""
            if not slut:
                # Blocket slutar efter ett radslut (ett \r sist kan vara början av \r\n): en rad
                # delas aldrig mellan två block, och en rad längre än MAX_CSV_RAD är ett fel, en
                # gång, på sin rad (inte sjutton fel på bitarna av den).
                sista = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1))
                data, rest = data[: sista + 1], data[sista + 1:]
                if not data:
                    if len(rest) > MAX_CSV_RAD:
                        raise self._for_lang_rad()
                    continue
            rader = self._rader(data, slut)
            if rader is None:
                return
            yield rader
            if len(rest) > MAX_CSV_RAD:
                raise self._for_lang_rad()
            if slut:
                return

    def _for_lang_rad(self) -> Inlasningsfel:
        return Inlasningsfel([Fel(Plats(self.namn, self._nasta + 1, 1), "",
                                  f"raden är längre än {svenskt_tal(MAX_CSV_RAD)} byte; en rad i en CSV-fil "
                                  "har några få fält (är filen CSV?)")])

    def _rader(self, data: bytes, slut: bool) -> list[str] | None:
        """Ett blocks hela rader som text (None när filen är slut), och var de står."""
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
            return None
        if not self.citat and '"' in text:
            self.citat = True
        if self.som_text:
            blocktext = _Blocktext(text)
            self._block.append((self._nasta, blocktext))
            self._nasta += blocktext.antal
            return [text]
        rader = rader_i(text)
        self._block.append((self._nasta, rader))
        self._nasta += len(rader)
        return rader

    def _avkoda(self, data: bytes, slut: bool) -> str:
        return self._avkodare.decode(data, final=slut)

    def kodningsfel(self) -> Fel | None:
        """En upplysning för felraderna när filen inte var UTF-8 utan lästes som Windows-1252."""
        if self.inte_utf8 is None:
            return None
        plats, byte = self.inte_utf8
        return Fel(plats, "", f"filen är inte UTF-8 (byte 0x{byte:02x}); den lästes som Windows-1252 (cp1252)")

    def senaste_block(self) -> tuple[int, Sequence[str]]:
        """(radnumret före det senast lästa blockets första rad, dess rader)."""
        return self._block[-1] if self._block else (self._nasta, [])

    def rad(self, nr: int) -> str | None:
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
        rad, kol = faltets_borjan("".join(rader), i, self.avgransare)   # type: ignore[arg-type]
        return Plats(self.namn, start + rad, kol)

    def platser(self, slutrad: int, falt: list[str]) -> list[Plats]:
        """Platsen där varje fält börjar i posten som slutade på rad `slutrad`, i en genomläsning
        av postens text (`plats` för varje fält läser texten om från början)."""
        start = self.postens_forsta_rad(slutrad, falt)
        rader = [self.rad(n) for n in range(start, slutrad + 1)]
        if any(r is None for r in rader):
            kol, ut = 1, []
            for f in falt:
                ut.append(Plats(self.namn, start, kol))
                kol += len(f) + 1
            return ut
        return [Plats(self.namn, start + rad, kol)
                for rad, kol in faltens_borjan("".join(rader), len(falt), self.avgransare)]   # type: ignore[arg-type]

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
            i_citat = citat_efter(text, i_citat, self.avgransare)
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


def citat_efter(text: str, i_citat: bool, avgransare: str = ",") -> bool:
    """Om en rad slutar inne i ett fält med citattecken."""
    tillstand = _CITAT if i_citat else _START
    for c in text.rstrip("\r\n") if not i_citat else text:
        if c in "\r\n" and tillstand != _CITAT:
            break
        tillstand = _nasta_tillstand(tillstand, c, avgransare)
    return tillstand == _CITAT


# Ett fält i en posts råa text, med csv-modulens regler (som `_nasta_tillstand`): ett fält som börjar
# med " läses till nästa ensamma " ("" inne i det är ett citattecken) och sedan till nästa avgränsare;
# annars till nästa avgränsare eller radslut. Reguljära uttryck i C: en lång rad kostar inte en
# Python-loop per tecken för varje fel på den.
_FALT: dict[str, re.Pattern[str]] = {}


def _faltstarter(text: str, antal: int, avgransare: str) -> tuple[list[int], int]:
    """Index där de (högst) `antal` första fälten börjar, och indexet där posten tar slut."""
    monster = _FALT.get(avgransare)
    if monster is None:
        d = re.escape(avgransare)
        monster = _FALT[avgransare] = re.compile(f'"[^"]*(?:""[^"]*)*(?:"[^{d}\\r\\n]*)?|[^{d}\\r\\n]*')
    starter, p, n = [0], 0, len(text)
    while len(starter) < antal:
        p = monster.match(text, p).end()  # type: ignore[union-attr]
        if p >= n or text[p] != avgransare:
            break
        p += 1
        starter.append(p)
    return starter, p


def _rad_och_kolumn(text: str, p: int) -> tuple[int, int]:
    """(radförskjutning, kolumn) för index `p` i en posts råa text (\\r\\n är ett radslut)."""
    rad = text.count("\n", 0, p) + text.count("\r", 0, p) - text.count("\r\n", 0, p)
    return rad, p - max(text.rfind("\n", 0, p), text.rfind("\r", 0, p))


def faltets_borjan(text: str, i: int, avgransare: str = ",") -> tuple[int, int]:
    """(radförskjutning, kolumn) där fält `i` börjar i en posts råa text (som kan gå över flera
    rader): en avgränsare (komma, semikolon) inne i citattecken skiljer inte fält. Har posten färre
    fält: platsen där den tar slut."""
    starter, slut = _faltstarter(text, i + 1, avgransare)
    return _rad_och_kolumn(text, starter[i] if i < len(starter) else slut)


def faltens_borjan(text: str, antal: int, avgransare: str = ",") -> list[tuple[int, int]]:
    """(radförskjutning, kolumn) där vart och ett av de `antal` första fälten börjar i en posts råa
    text, i en genomläsning (som `faltets_borjan` för varje fält)."""
    starter, slut = _faltstarter(text, antal, avgransare)
    ut = [_rad_och_kolumn(text, p) for p in starter]
    return ut + [_rad_och_kolumn(text, slut)] * (antal - len(ut))


def tom_csv_rad(rad: list[str]) -> bool:
    """En rad utan något på (också en rad med bara blanksteg i det enda fältet)."""
    return not rad or (len(rad) == 1 and not rad[0].strip())


def csv_rubrik(lasare, namn: str, kolumner: tuple[str, ...],
               rader: CsvRader | None = None) -> tuple[tuple[int, ...], int]:
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
    platser: list[Plats] = []

    def plats(i: int) -> Plats:
        # Alla fältens platser på en gång, när det första felet ska visas: en genomläsning av raden.
        if not platser:
            if isinstance(rader, CsvRader):
                platser.extend(rader.platser(slutrad, rubrik))
            elif rader is not None:
                platser.extend(rader.plats(slutrad, rubrik, j) for j in range(len(rubrik)))
            else:
                start, kol = CsvRader.postens_forsta_rad(slutrad, rubrik), 1
                for f in rubrik:
                    platser.append(Plats(namn, start, kol))
                    kol += len(f) + 1
        return platser[i]

    forvantat = ",".join(kolumner)
    if len(rubrik) > MAX_CSV_KOLUMNER:
        forsta = rader.plats(slutrad, rubrik, 0) if rader is not None else Plats(namn, slutrad, 1)
        raise Inlasningsfel([Fel(forsta, "", f"rubrikraden har {svenskt_tal(len(rubrik))} kolumner (högst "
                                             f"{MAX_CSV_KOLUMNER}); kolumnerna är {forvantat}")])
    namnen = [r.strip().casefold() for r in rubrik]
    kolumner_cf = tuple(k.casefold() for k in kolumner)
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


def csv_lasare(rader: CsvRader, avgransare: str | None = None):
    """`csv.reader` över raderna, med fältgränsen `MAX_CSV_FALT` och avgränsaren ur rubrikraden
    (den första raden som inte är tom; `csv_avgransare`), som också sätts i `rader.avgransare`.
    `avgransare`: den redan kända (för en läsning som tar vid mitt i filen)."""
    if csv.field_size_limit() < MAX_CSV_FALT:
        csv.field_size_limit(MAX_CSV_FALT)
    if avgransare is not None:
        rader.avgransare = avgransare
        return csv.reader(rader, delimiter=avgransare)
    return csv.reader(med_avgransare(rader), delimiter=rader.avgransare)


def med_avgransare(rader: CsvRader) -> Iterator[str]:
    """Raderna, sedan avgränsaren ur rubrikraden (den första raden som inte är tom) satts i
    `rader.avgransare`; raderna fram till rubriken läses här och ges igen först."""
    if csv.field_size_limit() < MAX_CSV_FALT:
        csv.field_size_limit(MAX_CSV_FALT)
    it = iter(rader)
    lasta: list[str] = []
    for rad in it:
        lasta.append(rad)
        if rad.strip():
            rader.avgransare = csv_avgransare(rad)
            break
    return itertools.chain(lasta, it)
