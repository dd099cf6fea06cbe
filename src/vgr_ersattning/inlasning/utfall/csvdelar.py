"""Det snabbvägen för CSV-utfall (`snabb`) gör med filens byte innan något tolkas: rubriken
(`las_rubrik`), blocken av rader (`Block`), delarna för flera processer (`delningsgranser`) och
räkningen av delarna (`rakna_delar`, med `raknare.Raknare`).

Modulen importerar varken kärnan, pydantic eller Typer: förstarten (`forstart`) räknar med den i en
process som startar innan kommandot har startat, och de andra processerna med samma funktioner.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator

from vgr_ersattning.inlasning.csvlasare import CsvRader, csv_lasare, csv_rubrik
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.tal import MAX_CSV_FALT
from vgr_ersattning.inlasning.utfall.raknare import Hoppa, Raknare

CSV_KOLUMNER = ("utforare", "rad", "manad", "antal")

BLOCK = 64 * 1024        # block som ryms i cacheminnet: snabbare än större block
RUBRIK_BYTE = 1024 * 1024   # förstarten letar rubriken i filens första byte (annars: ingen förstart)
MAX_TOMMA = 1000

# En fil som räknas av flera processer (från `forstart.CSV_FRAN` byte, `snabb`: varför) delas i högst
# DELAR delar om minst DEL_BYTE byte.
DEL_BYTE = 256 * 1024
DELAR = 64

Rakning = tuple[dict[bytes, int], dict[bytes, int], dict[bytes, list[int]]]


class Block:
    """Raderna (utan b"\\n") i det `las(n)` ger, en lista per block om högst `BLOCK` byte:
    ett block delas vid varje b"\\n" och den ofullständiga sista raden läggs till nästa blocks
    första (den sista raden i filen räknas också utan radslut). En rad längre än `MAX_CSV_FALT`, och
    från en pipe (`pipe`) ett block som hela läsaren skulle dela vid ett ensamt \\r: `Hoppa`. Ger
    (rader, lästa byte i blocket). `lasta()`: det senaste blockets byte från dess första rad, som (den
    påbörjade raden från förra läsningen, den senaste läsningen) – för den som läser vidare med hela
    CSV-läsaren."""

    def __init__(self, las: Callable[[int], bytes], pipe: bool = False):
        self._las, self._rest, self._forra, self._data, self._pipe = las, b"", b"", b"", pipe

    def __iter__(self):
        las, storlek = self._las, BLOCK
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
                raise Hoppa
            rader = data.split(b"\n")
            if rest:
                rader[0] = rest + rader[0]
            self._rest = rest = rader.pop()
            if len(rest) > MAX_CSV_FALT:
                raise Hoppa        # csv-modulens fel (ett fält längre än gränsen) i hela läsaren
            yield rader, len(data)
        if self._rest:
            self._forra, self._data, self._rest = self._rest, b"", b""
            yield [self._forra], 0

    def lasta(self) -> tuple[bytes, bytes]:
        return self._forra, self._data


def block_av(las: Callable[[int], bytes]):
    return iter(Block(las))


def pread(fd: int, pos: int, slut: int | None = None) -> Callable[[int], bytes]:
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
        if n > MAX_TOMMA:
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


def rakna_del(las: Callable[[int], bytes], nr: int, lasta: int, rapport, raknare: Raknare) -> int:
    """Räknar raderna som `las` ger med `raknare`; `nr` rader före dem och `lasta` byte före dem (för
    `rapport`). Ger antalet rader."""
    nr0, rakna = nr, raknare.rakna
    for rader, n in block_av(las):
        rakna(rader, nr)
        nr += len(rader)
        if n:
            lasta += n
            if rapport is not None:
                rapport(lasta)
    return nr - nr0


def delningsgranser(fd: int, borjan: int, slut: int, del_byte: int | None = None,
                    delar: int | None = None) -> list[int] | None:
    """Filen från `borjan` till `slut` delad i högst ~`delar` delar (standard `DELAR`) om minst
    `del_byte` byte (`DEL_BYTE`), varje gräns direkt efter ett radslut: gränserna, som börjar med
    `borjan` och slutar med `slut`. None när det blir en enda del eller filen inte går att läsa."""
    del_byte = DEL_BYTE if del_byte is None else del_byte
    delar = DELAR if delar is None else delar
    storlek = max(del_byte, (slut - borjan) // max(delar, 1) + 1, 1)
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
    return granser


def rakna_delar(fd: int, granser: list[int], avgransare: str, nyckla: bool, nummer: Iterator[int],
                rakna: Callable[..., int] = rakna_del) -> tuple[Rakning, dict[int, int]] | None:
    """Delarna mellan `granser` som `nummer` ger, räknade med en räknare: (räkningen, antalet rader
    per del). En rads och en nyckels första plats är (del << 32) + rad i delen. None när räknaren ger
    upp (`Hoppa`: för många distinkta rader); då tas resten av delarna (de andra processerna slutar
    också)."""
    ndelar = len(granser) - 1
    raknare = Raknare(avgransare, nyckla)
    rader: dict[int, int] = {}
    try:
        for i in nummer:
            las = pread(fd, granser[i], granser[i + 1] if i + 1 < ndelar else None)  # den sista: till filens slut
            rader[i] = rakna(las, i << 32, 0, None, raknare)
    except Hoppa:
        for _ in nummer:
            pass
        return None
    return raknare.resultat(), rader


def nyckel(fd: int, rubrik: Rubrik, granser: list[int]) -> tuple:
    """Det som bestämmer räkningen av en fil med `granser`: förstartens nyckel (`forstart.ta`)."""
    st = os.fstat(fd)
    return ("csv", st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, rubrik.avgransare, rubrik.nyckla,
            tuple(granser))


def forstart_csv(fd: int, kanal) -> None:
    """Förstartens uppgift för en CSV-fil (`forstart`) i den öppna filen `fd` (en sökväg eller
    standard in som är en fil; läst med os.pread, så att filens position inte rörs): rubriken och
    delarna som snabbvägen läser och delar dem, nyckeln, och sedan räkningen av de delar processen
    hinner ta (`rakna_delar`)."""
    try:
        rubrik = las_rubrik("", io.BytesIO(os.pread(fd, RUBRIK_BYTE, 0)))
    except Hoppa:
        kanal.nyckel(None)
        return
    granser = delningsgranser(fd, len(rubrik.data), os.fstat(fd).st_size)
    if granser is None or len(granser) > 256:
        kanal.nyckel(None)
        return
    kanal.dela_ut(len(granser) - 1)
    kanal.nyckel(nyckel(fd, rubrik, granser))
    kanal.resultat(rakna_delar(fd, granser, rubrik.avgransare, rubrik.nyckla, kanal.delar()))
