"""Snabbvägen för utfall i CSV: identiska rader räknas som byte, och varje distinkt rad tolkas och
kontrolleras en gång.

Ett radnivåuttag upprepar några tusen distinkta rader miljontals gånger. Snabbvägen räknar
identiska råa rader som byte (bytes.split och collections.Counter:s räknare i C, i block), tolkar
och kontrollerar varje distinkt rad en gång med samma regler och felmeddelanden som
`tabell.las_tabell`, och multiplicerar med antalet förekomster. Varje distinkt rads första
radnummer noteras när raden dyker upp första gången (för `kallor` och felens plats); raderna med
fel letas upp i filen igen först när felen rapporteras, så att varje fel har sin fil:rad:kolumn. En
rad med citattecken tolkas av csv-modulen. Kodningen avgörs som i `CsvRader` (regelboken §20): den
första distinkta raden (i filens ordning) som inte är ASCII avgör om filen är UTF-8 eller
Windows-1252. Allt snabbvägen inte förstår – en fil som inte går att spola tillbaka (standard in,
en pipe), en rubrik med citattecken, fel eller annat än ASCII följt av Windows-1252, en post över
flera rader, ett ensamt \\r, NUL, en byte som inte går att avkoda, en mycket lång rad, fler än
_SNABB_MAX_DISTINKTA distinkta rader – läses i stället av hela CSV-läsaren från början; inget
läggs in i utfallet innan snabbvägen vet att den förstår hela filen.

Var tiden går (benchmarks/utfall_csv.py): bytes.split och räknaren kostar ~110 ns per rad och
kärna; allt annat är per block eller per distinkt rad. Därför finns bara en räknare per process
(ingen sammanslagning per block), de nya raderna i ett block är de sista nycklarna i räknaren (ett
dict behåller insättningsordningen), och filer från _SNABB_PARALLELL_BYTE räknas av en process per
processor (`parallell.samla`) som tar nästa lediga del av filen.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable
from itertools import islice
from typing import Any

from vgr_ersattning.inlasning.csvlasare import (
    CsvRader,
    citat_efter,
    csv_lasare,
    csv_rubrik,
    faltets_borjan,
    tom_csv_rad,
)
from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Inlasningsfel, Plats
from vgr_ersattning.inlasning.tal import MAX_CSV_FALT, heltal_ur_text
from vgr_ersattning.inlasning.utfall.kontroll import kontrollera_rad
from vgr_ersattning.inlasning.utfall.tabell import (
    CSV_KOLUMNER,
    lagg_in_summor,
    svenskt_antal,
)
from vgr_ersattning.modell import Uppdrag

_SNABB_BLOCK = 64 * 1024        # block som ryms i cacheminnet: snabbare än större block
_SNABB_MAX_DISTINKTA = 200_000
_SNABB_MAX_TOMMA = 1000

try:
    from _collections import (
        _count_elements as _rakna,  # det Counter.update använder (i C)
    )
except ImportError:                                         # pragma: no cover - andra Python än CPython
    def _rakna(antal: dict, rader) -> None:
        for k in rader:
            antal[k] = antal.get(k, 0) + 1


class _Hoppa(Exception):
    """Snabbvägen förstår inte filen: den läses med hela CSV-läsaren."""


def kan_spolas(strom) -> bool:
    """Om strömmen går att spola tillbaka (en vanlig fil; inte standard in eller en pipe)."""
    try:
        return bool(strom.seekable())
    except (AttributeError, OSError, ValueError):
        return False


class _Radtext:
    """`rader` för `kontrollera_rad` i snabbvägen: platsen för ett fält i en post på en enda rad
    (`text` utan radslut), som `CsvRader.plats` ger den. Radnumret sätts in när felet rapporteras."""

    def __init__(self, namn: str, avgransare: str):
        self.namn, self.avgransare, self.text, self._borjan = namn, avgransare, "", faltets_borjan

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Plats:
        if i == 0:
            return Plats(self.namn, slutrad, 1)
        return Plats(self.namn, slutrad, self._borjan(self.text, i, self.avgransare)[1])


def _snabb_block(las: Callable[[int], bytes]):
    """Raderna (utan b"\\n") i det `las(n)` ger, en lista per block om högst `_SNABB_BLOCK` byte:
    ett block delas vid varje b"\\n" och den ofullständiga sista raden läggs till nästa blocks
    första (den sista raden i filen räknas också utan radslut). En rad längre än `MAX_CSV_FALT`:
    `_Hoppa`. Ger (rader, lästa byte i blocket)."""
    rest, storlek = b"", _SNABB_BLOCK
    while True:
        data = las(storlek)
        if not data:
            break
        rader = data.split(b"\n")
        if rest:
            rader[0] = rest + rader[0]
        rest = rader.pop()
        if len(rest) > MAX_CSV_FALT:
            raise _Hoppa        # csv-modulens fel (ett fält längre än gränsen) i hela läsaren
        yield rader, len(data)
    if rest:
        yield [rest], 0


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


def _snabb_rubrik(namn: str, strom) -> tuple[tuple[int, int, int, int], int, str, int, bool]:
    """Rubrikraden och de tomma raderna före den, lästa med `csv_lasare` och `csv_rubrik` som i hela
    CSV-läsaren: (kolumnernas index, rubrikens antal kolumner, avgränsaren, antal lästa rader, om
    allt hittills är ASCII – då kan filen vara Windows-1252). En rubrik med fel eller något
    ovanligt: `_Hoppa` (hela läsaren ger samma fel)."""
    data, n = b"", 0
    while True:
        rad = strom.readline(MAX_CSV_FALT)
        if not rad:
            break
        if not rad.endswith(b"\n") and len(rad) >= MAX_CSV_FALT:
            raise _Hoppa
        data += rad
        n += 1
        try:
            text = rad.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError:
            raise _Hoppa from None
        if text.strip():
            break
        if n > _SNABB_MAX_TOMMA:
            raise _Hoppa
    if b'"' in data or b"\0" in data or b"\r" in data.replace(b"\r\n", b""):
        raise _Hoppa
    rader = CsvRader(namn, io.BytesIO(data))
    lasare = csv_lasare(rader)
    try:
        index, ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
    except (Inlasningsfel, csv.Error):
        raise _Hoppa from None
    if lasare.line_num != n:
        raise _Hoppa
    return index, ncol, rader.avgransare, n, data.isascii()  # type: ignore[return-value]


def _snabb_rakna(strom, nr: int, rapport) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Varje distinkt rå rad (utan b"\\n") → antal förekomster, och → radnumret där den står första
    gången; `nr` är antalet rader före strömmens position. Båda i filens ordning (varje rads första
    förekomst)."""
    borjan = strom.tell()
    delar = _snabb_delar(strom, borjan)
    if delar is not None:
        return _snabb_rakna_parallellt(*delar, nr, rapport)
    try:
        las = _pread(strom.fileno(), borjan) if hasattr(os, "pread") else strom.read
    except (AttributeError, OSError, ValueError):
        las = strom.read
    antal: dict[bytes, int] = {}
    forsta: dict[bytes, int] = {}
    _snabb_rakna_del(las, nr, borjan, rapport, antal, forsta)
    return antal, forsta


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


def _snabb_rakna_parallellt(fd: int, granser: list[int], nr: int,
                            rapport) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Delarna mellan `granser` räknade av flera processer (`parallell.samla`): var och en tar nästa
    lediga del och räknar allt den tar i en räknare, så varje del räknas av precis en process. En
    rads första plats noteras som (del << 32) + rad i delen och blir ett radnummer när alla är
    klara. En process som ser för många distinkta rader tar resten av delarna (de andra slutar då
    också) och ger None: `_Hoppa`."""
    from vgr_ersattning import parallell

    ndelar = len(granser) - 1

    def rakna_delar(nummer) -> tuple[dict[bytes, int], dict[bytes, int], dict[int, int]] | None:
        antal: dict[bytes, int] = {}
        forsta: dict[bytes, int] = {}
        rader: dict[int, int] = {}
        try:
            for i in nummer:
                las = _pread(fd, granser[i], granser[i + 1] if i + 1 < ndelar else None)  # den sista: till filens slut
                rader[i] = _snabb_rakna_del(las, i << 32, 0, None, antal, forsta)
        except _Hoppa:
            for _ in nummer:
                pass
            return None
        return antal, forsta, rader

    svar = parallell.samla(rakna_delar, ndelar, None if rapport is None else (lambda klara: rapport(granser[klara])))
    if any(s is None for s in svar):
        raise _Hoppa
    antal, forsta, rader = svar[0]          # type: ignore[misc]
    for antal2, forsta2, rader2 in svar[1:]:  # type: ignore[misc]
        if not rader.keys().isdisjoint(rader2):
            raise _Hoppa            # kan inte hända: varje del räknas av precis en process
        rader.update(rader2)
        for k, m in antal2.items():
            if k in antal:
                antal[k] += m
                forsta[k] = min(forsta[k], forsta2[k])
            else:
                antal[k] = m
                forsta[k] = forsta2[k]
    if len(rader) != ndelar:
        raise _Hoppa                # kan inte hända: alla delar räknas
    if len(antal) > _SNABB_MAX_DISTINKTA:
        raise _Hoppa
    fore = [nr] * ndelar            # raderna före varje del
    for i in range(1, ndelar):
        fore[i] = fore[i - 1] + rader[i - 1]
    ordning = sorted(forsta.items(), key=lambda kv: kv[1])
    forsta = {k: fore[v >> 32] + (v & 0xFFFFFFFF) for k, v in ordning}
    antal = {k: antal[k] for k in forsta}
    return antal, forsta


def _snabb_rakna_del(las: Callable[[int], bytes], nr: int, lasta: int, rapport,
                     antal: dict[bytes, int], forsta: dict[bytes, int]) -> int:
    """Räknar raderna som `las` ger in i `antal` och noterar nya raders radnummer i `forsta`; `nr`
    rader före dem och `lasta` byte före dem (för `rapport`). Ger antalet rader. En räknare för
    allt: `_rakna` (C) lägger till nya rader sist, så blockets nya rader är räknarens sista
    nycklar, i den ordning de står i blocket."""
    nr0, rakna, max_distinkta = nr, _rakna, _SNABB_MAX_DISTINKTA
    for rader, n in _snabb_block(las):
        fore = len(antal)
        rakna(antal, rader)
        if len(antal) != fore:
            if len(antal) > max_distinkta:
                raise _Hoppa        # inte ett radnivåuttag: hela läsaren håller bara summorna
            nya = list(islice(reversed(antal), len(antal) - fore))
            i = -1
            for k in reversed(nya):
                i = rader.index(k, i + 1)
                forsta[k] = nr + i + 1
        nr += len(rader)
        if n:
            lasta += n
            if rapport is not None:
                rapport(lasta)
    return nr - nr0


def _snabb_forekomster(strom, trasiga: dict[bytes, Any], nr: int):
    """(radnummer, rad) för varje förekomst av en rad i `trasiga`, i filens ordning."""
    for rader, _ in _snabb_block(strom.read):
        if not trasiga.keys().isdisjoint(rader):
            for i, k in enumerate(rader):
                if k in trasiga:
                    yield nr + i + 1, k
        nr += len(rader)


def las_csv_snabb(namn: str, strom, uppdrag: Uppdrag, ut, rapport) -> bool:
    """Snabbvägen: False (utan att något lagts in i `ut`) när filen ska läsas av hela CSV-läsaren;
    annars True, eller `Inlasningsfel` med samma fel som hela läsaren ger. `ut` är utfallet
    (`Utfall`)."""
    try:
        index, ncol, avgransare, nr, ascii_rubrik = _snabb_rubrik(namn, strom)
        kropp = strom.tell()
        antal, forsta = _snabb_rakna(strom, nr, rapport)
    except _Hoppa:
        return False
    iu, ir, im, ia = index
    tolka_antal = svenskt_antal if avgransare == ";" else heltal_ur_text
    radtext = _Radtext(namn, avgransare)
    summor: dict[tuple[str, str, int], int] = {}
    forsta_plats: dict[tuple[str, str, int], Plats] = {}
    giltiga: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    trasiga: dict[bytes, list[Fel]] = {}      # rad → dess fel (radnummer 0), för varje förekomst
    antal_fel = 0
    # Kodningen: None tills den första raden som inte är ASCII har avgjort den (som i CsvRader).
    kodning: str | None = None
    kodningsfel: Fel | None = None
    # I filens ordning (varje rads första förekomst): summorna får samma ordning som i hela läsaren.
    for b, n in antal.items():
        if len(b) >= MAX_CSV_FALT or b"\0" in b:
            return False
        if b.isascii():
            text = b.decode("ascii")
        elif kodning is None:
            try:
                text = b.decode("utf-8")
                kodning = "utf-8"
            except UnicodeDecodeError as e:
                # Allt före den första byten som inte är UTF-8 är ASCII (och ingen BOM): Windows-1252.
                if not ascii_rubrik or not b[: e.start].isascii():
                    return False
                try:
                    text = b.decode("cp1252")
                except UnicodeDecodeError:
                    return False
                kodning = "cp1252"
                kodningsfel = Fel(Plats(namn, forsta[b], e.start + 1), "",
                                  f"filen är inte UTF-8 (byte 0x{b[e.start]:02x}); den lästes som Windows-1252 "
                                  "(cp1252)")
        else:
            try:
                text = b.decode(kodning)
            except UnicodeDecodeError:
                return False            # hela läsaren ger felet med sin plats
        text = text.removesuffix("\r")
        if "\r" in text:
            return False            # ett ensamt \r är ett radslut för csv-modulen
        if '"' in text:
            if citat_efter(text, False, avgransare):
                return False        # en post över flera rader
            try:
                poster = list(csv.reader([text], delimiter=avgransare))
            except csv.Error:
                return False
            if len(poster) != 1:
                return False
            rad = poster[0]
        else:
            rad = text.split(avgransare) if text else []
        if len(rad) != ncol:
            if tom_csv_rad(rad):
                continue
            trasiga[b] = [Fel(Plats(namn, 0, 1), "", f"raden har {len(rad)} kolumner, rubriken {ncol} "
                                                     "(en kolumn saknas eller är för mycket)")]
            antal_fel += n
            continue
        antal_text = rad[ia]
        if antal_text.isdigit() and antal_text.isascii() and len(antal_text) < 8:
            v: int | None = int(antal_text)
        else:
            v, _ = tolka_antal(antal_text)
        nyckel = (rad[iu], rad[ir], rad[im])
        giltig = giltiga.get(nyckel)
        if giltig is None or v is None:
            radfel = Felsamlare(max_fel=sys.maxsize)
            radtext.text = text
            giltig = kontrollera_rad(rad, index, v is None, 0, radtext, uppdrag, ut.ar, radfel, tolka_antal)
            if radfel.fel:
                trasiga[b] = radfel.fel
                antal_fel += len(radfel.fel) * n
            if giltig is None or v is None:
                continue
            giltiga[nyckel] = giltig
        if giltig in summor:
            summor[giltig] += v * n
        else:
            summor[giltig] = v * n
            forsta_plats[giltig] = Plats(namn, forsta[b], 1)
    fel = Felsamlare()
    if antal_fel:
        # Felen i filens ordning, som hela läsaren samlar dem: de första MAX_FEL visas, resten räknas.
        strom.seek(kropp)
        lagda = 0
        for rnr, b in _snabb_forekomster(strom, trasiga, nr):
            for f in trasiga[b]:
                fel(Plats(namn, rnr, f.plats.kolumn), f.sokvag, f.meddelande)
            lagda += len(trasiga[b])
            if len(fel.fel) >= fel.max_fel:
                break
        fel.overskjutande += antal_fel - lagda
    lagg_in_summor(ut, summor, forsta_plats, fel, kodningsfel)
    return True
