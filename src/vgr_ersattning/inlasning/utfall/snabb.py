"""Snabbvägen för utfall i CSV: rader räknas som byte, och varje distinkt rad (eller nyckel) tolkas
och kontrolleras en gång.

Ett radnivåuttag upprepar några tusen distinkta rader miljontals gånger. Snabbvägen räknar raderna
som byte i block (`raknare.Raknare`: identiska rader, eller summor per nyckel när raderna är många
olika), tolkar och kontrollerar varje distinkt rad och nyckel en gång med samma regler och
felmeddelanden som `tabell.las_tabell` (`tolkning`), och multiplicerar med antalet förekomster.
Varje distinkt rads och nyckels första radnummer noteras när den dyker upp första gången (för
`kallor` och felens plats); raderna med fel letas upp i filen igen först när felen rapporteras, så
att varje fel har sin fil:rad:kolumn. En fil som inte går att spola tillbaka (en pipe) läses av
`strom` i stället, som tolkar medan den läser. Allt snabbvägen inte förstår – en rubrik med
citattecken, fel eller annat än ASCII följt av Windows-1252, en post över flera rader, ett ensamt
\\r, NUL, en byte som inte går att avkoda, en mycket lång rad, fler distinkta rader än minnet räcker
till – läses i stället av hela CSV-läsaren från början; inget läggs in i utfallet innan snabbvägen
vet att den förstår hela filen.

Var tiden går (benchmarks/utfall_csv.py, benchmarks/utfall_distinkta.py): bytes.split och räknaren
kostar ~110 ns per rad och kärna i radläget, delningen per nyckel ~250 ns; allt annat är per block
eller per distinkt rad och nyckel. Därför finns bara en räknare per process (ingen sammanslagning
per block), och filer från _SNABB_PARALLELL_BYTE räknas av en process per processor
(`parallell.samla`) som tar nästa lediga del av filen.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter

from vgr_ersattning.inlasning.csvlasare import CsvRader, csv_lasare, csv_rubrik
from vgr_ersattning.inlasning.fel import Felsamlare, Inlasningsfel, Plats
from vgr_ersattning.inlasning.tal import MAX_CSV_FALT
from vgr_ersattning.inlasning.utfall.raknare import Hoppa, Raknare, sla_ihop
from vgr_ersattning.inlasning.utfall.tabell import CSV_KOLUMNER, lagg_in_summor
from vgr_ersattning.inlasning.utfall.tolkning import Tolkare, poster, radens_fel, summera
from vgr_ersattning.modell import Uppdrag

_SNABB_BLOCK = 64 * 1024        # block som ryms i cacheminnet: snabbare än större block
_SNABB_MAX_TOMMA = 1000

_Hoppa = Hoppa


def kan_spolas(strom) -> bool:
    """Om strömmen går att spola tillbaka (en vanlig fil; inte en pipe)."""
    try:
        return bool(strom.seekable())
    except (AttributeError, OSError, ValueError):
        return False


class Block:
    """Raderna (utan b"\\n") i det `las(n)` ger, en lista per block om högst `_SNABB_BLOCK` byte:
    ett block delas vid varje b"\\n" och den ofullständiga sista raden läggs till nästa blocks
    första (den sista raden i filen räknas också utan radslut). En rad längre än `MAX_CSV_FALT`, och
    från en pipe (`pipe`) ett block som hela läsaren skulle dela vid ett ensamt \\r: `_Hoppa`. Ger
    (rader, lästa byte i blocket). `lasta()`: det senaste blockets byte från dess första rad, som (den
    påbörjade raden från förra läsningen, den senaste läsningen) – för den som läser vidare med hela
    CSV-läsaren."""

    def __init__(self, las: Callable[[int], bytes], pipe: bool = False):
        self._las, self._rest, self._forra, self._data, self._pipe = las, b"", b"", b"", pipe

    def __iter__(self):
        las, storlek = self._las, _SNABB_BLOCK
        while True:
            data = las(storlek)
            if not data:
                break
            rest = self._rest
            self._forra, self._data = rest, data
            # Ett ensamt \r efter blockets sista \n är ett radslut för hela läsaren, som då delar
            # blocket där: från en pipe tar den vid vid det här blockets början, så att blocken blir
            # desamma. (En fil läses om från början.)
            if self._pipe and (data.rfind(b"\r", 0, len(data) - 1) > data.rfind(b"\n")
                               or (b"\r" in rest and b"\n" not in data)):
                raise _Hoppa
            rader = data.split(b"\n")
            if rest:
                rader[0] = rest + rader[0]
            self._rest = rest = rader.pop()
            if len(rest) > MAX_CSV_FALT:
                raise _Hoppa        # csv-modulens fel (ett fält längre än gränsen) i hela läsaren
            yield rader, len(data)
        if self._rest:
            self._forra, self._data, self._rest = self._rest, b"", b""
            yield [self._forra], 0

    def lasta(self) -> tuple[bytes, bytes]:
        return self._forra, self._data


def _snabb_block(las: Callable[[int], bytes]):
    return iter(Block(las))


def _pread(fd: int, pos: int, slut: int | None = None) -> Callable[[int], bytes]:
    """`las(n)` för byte pos…slut i filen (None: till filens slut, också om den inte står i
    storleken), med os.pread (filens position delas inte med någon)."""
    def las(n: int) -> bytes:
        nonlocal pos
        if slut is not None:
            if pos >= slut:
                return b""
            n = min(n, slut - pos)
        data = os.pread(fd, n, pos)
        pos += len(data)
        return data
    return las


class Rubrik:
    """Rubrikraden (och de tomma raderna före den) som hela CSV-läsaren läser den: kolumnernas index,
    rubrikens antal kolumner, avgränsaren, antal lästa rader, om allt hittills är ASCII (då kan filen
    vara Windows-1252), om filen börjar med en BOM, och de lästa byten."""

    def __init__(self, index: tuple[int, int, int, int], ncol: int, avgransare: str, rader: int, data: bytes):
        self.index, self.ncol, self.avgransare, self.rader, self.data = index, ncol, avgransare, rader, data
        self.ascii = data.isascii()
        self.bom = data.startswith(b"\xef\xbb\xbf")

    @property
    def nyckla(self) -> bool:
        """Om antalet är den sista kolumnen: då kan räknaren summera per nyckel."""
        return self.index[3] == self.ncol - 1


class RubrikHoppa(Hoppa):
    """Rubriken förstås inte: hela läsaren läser filen (`data`: byten som redan lästs)."""

    def __init__(self, data: bytes):
        super().__init__()
        self.data = data


def las_rubrik(namn: str, strom) -> Rubrik:
    """Rubrikraden och de tomma raderna före den, lästa med `csv_lasare` och `csv_rubrik` som i hela
    CSV-läsaren. En rubrik med fel eller något ovanligt: `RubrikHoppa` (hela läsaren ger samma fel)."""
    data, n = b"", 0
    while True:
        rad = strom.readline(MAX_CSV_FALT)
        if not rad:
            break
        data += rad
        n += 1
        if not rad.endswith(b"\n") and len(rad) >= MAX_CSV_FALT:
            raise RubrikHoppa(data)
        try:
            text = rad.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError:
            raise RubrikHoppa(data) from None
        if text.strip():
            break
        if n > _SNABB_MAX_TOMMA:
            raise RubrikHoppa(data)
    if b'"' in data or b"\0" in data or b"\r" in data.replace(b"\r\n", b""):
        raise RubrikHoppa(data)
    rader = CsvRader(namn, io.BytesIO(data))
    lasare = csv_lasare(rader)
    try:
        index, ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
    except (Inlasningsfel, csv.Error):
        raise RubrikHoppa(data) from None
    if lasare.line_num != n:
        raise RubrikHoppa(data)
    return Rubrik(index, ncol, rader.avgransare, n, data)  # type: ignore[arg-type]


Rakning = tuple[dict[bytes, int], dict[bytes, int], dict[bytes, list[int]]]


def _snabb_rakna(strom, nr: int, rubrik: Rubrik, rapport) -> Rakning:
    """Räkningen (`Raknare.resultat`) av filen från strömmens position; `nr` är antalet rader före
    den. Radnumren är filens."""
    borjan = strom.tell()
    delar = _snabb_delar(strom, borjan)
    if delar is not None:
        return _snabb_rakna_parallellt(*delar, nr, rubrik, rapport)
    try:
        las = _pread(strom.fileno(), borjan) if hasattr(os, "pread") else strom.read
    except (AttributeError, OSError, ValueError):
        las = strom.read
    raknare = Raknare(rubrik.avgransare, rubrik.nyckla)
    _snabb_rakna_del(las, nr, borjan, rapport, raknare)
    return raknare.resultat()

# Filer med minst så många byte efter rubriken räknas av flera processer (`parallell.samla`: den här
# och arbetare, en process per processor) när processen får använda fler än en processor. Varje MiB
# kostar ~2,7 ms i en process; att dela kostar ~12 ms i en hel körning (importen av concurrent.futures
# och multiprocessing ~6 ms, att starta arbetaren, resultaten och avslutet ~6 ms). Mätt på en maskin
# med två kärnor, läsaren i processen: 8 MiB 1,1×, 16 MiB 1,3× och 40 MiB 1,65× så snabbt som en
# process; som hela processer lika snabbt vid 8 MiB och 1,15× vid 42 MB. Processerna tar nästa
# lediga del efter hand: filen delas i högst _SNABB_DELAR delar om minst _SNABB_DEL_BYTE, så alla
# blir klara nästan samtidigt också när någon får mindre tid av maskinen.
_SNABB_PARALLELL_BYTE = 8 * 1024 * 1024
_SNABB_DEL_BYTE = 256 * 1024
_SNABB_DELAR = 64


def _snabb_delar(strom, borjan: int) -> tuple[int, list[int]] | None:
    """(fd, gränserna) när filen ska räknas av flera processer, annars None: filen från `borjan`
    delad i högst ~`_SNABB_DELAR` delar om minst `_SNABB_DEL_BYTE` byte, varje gräns direkt efter ett
    radslut (gränserna börjar med `borjan` och slutar med filens slut)."""
    if not hasattr(os, "pread"):
        return None
    try:
        fd = strom.fileno()
        slut = os.fstat(fd).st_size
    except (AttributeError, OSError, ValueError):
        return None
    if slut - borjan < max(_SNABB_PARALLELL_BYTE, 1):
        return None
    from vgr_ersattning import parallell

    if parallell.processer() < 2:
        return None
    storlek = max(_SNABB_DEL_BYTE, (slut - borjan) // max(_SNABB_DELAR, 1) + 1, 1)
    granser, pos = [borjan], borjan + storlek
    try:
        while pos < slut:
            bit = os.pread(fd, 4096, pos)
            if not bit:
                break
            i = bit.find(b"\n")
            if i < 0:           # en mycket lång rad: leta vidare
                pos += len(bit)
                continue
            if pos + i + 1 < slut:
                granser.append(pos + i + 1)
            pos += i + 1 + storlek
    except OSError:
        return None
    granser.append(slut)
    if len(granser) < 3:        # en enda del: inget att dela på
        return None
    return fd, granser


def _snabb_rakna_parallellt(fd: int, granser: list[int], nr: int, rubrik: Rubrik, rapport) -> Rakning:
    """Delarna mellan `granser` räknade av flera processer (`parallell.samla`): var och en tar nästa
    lediga del och räknar allt den tar med en räknare, så varje del räknas av precis en process. En
    rads och en nyckels första plats noteras som (del << 32) + rad i delen och blir ett radnummer när
    alla är klara. En process som ger upp (`_Hoppa`: för många distinkta rader) tar resten av delarna
    (de andra slutar då också) och ger None: `_Hoppa`."""
    from vgr_ersattning import parallell

    ndelar = len(granser) - 1

    def rakna_delar(nummer) -> tuple[Rakning, dict[int, int]] | None:
        raknare = Raknare(rubrik.avgransare, rubrik.nyckla)
        rader: dict[int, int] = {}
        try:
            for i in nummer:
                las = _pread(fd, granser[i], granser[i + 1] if i + 1 < ndelar else None)  # den sista: till filens slut
                rader[i] = _snabb_rakna_del(las, i << 32, 0, None, raknare)
        except _Hoppa:
            for _ in nummer:
                pass
            return None
        return raknare.resultat(), rader

    svar = parallell.samla(rakna_delar, ndelar, None if rapport is None else (lambda klara: rapport(granser[klara])))
    if any(s is None for s in svar):
        raise _Hoppa
    rakning, rader = svar[0]                # type: ignore[misc]
    for rakning2, rader2 in svar[1:]:       # type: ignore[misc]
        if not rader.keys().isdisjoint(rader2):
            raise _Hoppa            # kan inte hända: varje del räknas av precis en process
        rader.update(rader2)
        sla_ihop(rakning, rakning2)
    if len(rader) != ndelar:
        raise _Hoppa                # kan inte hända: alla delar räknas
    fore = [nr] * ndelar            # raderna före varje del
    for i in range(1, ndelar):
        fore[i] = fore[i - 1] + rader[i - 1]
    antal, forsta, nycklar = rakning
    forsta = {k: fore[v >> 32] + (v & 0xFFFFFFFF) for k, v in forsta.items()}
    for post in nycklar.values():
        post[2] = fore[post[2] >> 32] + (post[2] & 0xFFFFFFFF)
    return antal, forsta, nycklar


def _snabb_rakna_del(las: Callable[[int], bytes], nr: int, lasta: int, rapport, raknare: Raknare) -> int:
    """Räknar raderna som `las` ger med `raknare`; `nr` rader före dem och `lasta` byte före dem (för
    `rapport`). Ger antalet rader."""
    nr0, rakna = nr, raknare.rakna
    for rader, n in _snabb_block(las):
        rakna(rader, nr)
        nr += len(rader)
        if n:
            lasta += n
            if rapport is not None:
                rapport(lasta)
    return nr - nr0


def _snabb_forekomster(strom, trasiga_rader: dict, trasiga_nycklar: dict, sep: bytes, nr: int):
    """(radnummer, felen) för varje rad med fel (`tolkning.radens_fel`), i filens ordning."""
    forsta_delen = itemgetter(0)
    for rader, _ in _snabb_block(strom.read):
        if not trasiga_rader.keys().isdisjoint(rader) or (
                trasiga_nycklar and not trasiga_nycklar.keys().isdisjoint(
                    map(forsta_delen, map(bytes.rpartition, rader, repeat(sep))))):
            for i, k in enumerate(rader):
                fel = radens_fel(k, trasiga_rader, trasiga_nycklar, sep)
                if fel is not None:
                    yield nr + i + 1, fel
        nr += len(rader)


def las_csv_snabb(namn: str, strom, uppdrag: Uppdrag, ut, rapport) -> bool:
    """Snabbvägen för en fil som går att spola tillbaka: False (utan att något lagts in i `ut`) när
    filen ska läsas av hela CSV-läsaren; annars True, eller `Inlasningsfel` med samma fel som hela
    läsaren ger. `ut` är utfallet (`Utfall`)."""
    try:
        rubrik = las_rubrik(namn, strom)
        kropp = strom.tell()
        antal, forsta, nycklar = _snabb_rakna(strom, rubrik.rader, rubrik, rapport)
        tolkare = Tolkare(namn, rubrik.index, rubrik.ncol, rubrik.avgransare, rubrik.ascii, uppdrag, ut.ar)
        summor, forsta_plats, trasiga_rader, trasiga_nycklar, antal_fel = summera(
            tolkare, poster(antal, forsta, nycklar, tolkare.sep, rubrik.nyckla))
    except _Hoppa:
        return False
    fel = Felsamlare()
    if antal_fel:
        # Felen i filens ordning, som hela läsaren samlar dem: de första MAX_FEL visas, resten räknas.
        strom.seek(kropp)
        lagda = 0
        for rnr, radfel in _snabb_forekomster(strom, trasiga_rader, trasiga_nycklar, tolkare.sep, rubrik.rader):
            for f in radfel:
                fel(Plats(namn, rnr, f.plats.kolumn), f.sokvag, f.meddelande)
            lagda += len(radfel)
            if len(fel.fel) >= fel.max_fel:
                break
        fel.overskjutande += antal_fel - lagda
    lagg_in_summor(ut, summor, forsta_plats, fel, tolkare.kodningsfel)
    return True
