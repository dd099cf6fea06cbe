"""En arbetsbok (xlsx) öppnad och ett blad läst av python-calamine: det `xlsx` läser utfallet med,
och det förstartens process (`forstart`) gör innan kommandot har startat (`forstart_xlsx`: bladet
läst och de distinkta raderna räknade, under arbetarens minnestak).

Modulen importerar varken kärnan, pydantic eller Typer (calamine först när ett blad läses).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, BinaryIO, NamedTuple

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import OLE2_BORJAN, Indatafil, filfel, fortsatt, las_borjan
from vgr_ersattning.inlasning.tal import visa
from vgr_ersattning.inlasning.utfall.xlsxlasare import Arbetsbok, Arbetsboksfel, kolumnbokstaver

# En arbetsbok läses i minnet när den kommer från standard in eller en pipe; en fil läses direkt.
MAX_XLSX_BYTE = 512 * 1024 * 1024
# Uppackad (summan av delarnas angivna storlek; zipfile läser aldrig mer än den angivna). Mer är en
# zip-bomb eller fel fil. Det som faktiskt packas upp och läses räknas i `xlsxlasare.MAX_XLSX_LAST`.
MAX_XLSX_UPPACKAT = 2 * 1024 ** 3
MAX_XLSX_DELAR = 10_000
# En arbetare som läser bladet med calamine medan det granskas får högst så mycket mer adressrymd
# (och tre gånger arbetsbokens storlek): ett blad inom gränserna (två miljoner celler) tar långt mindre.
ARBETARENS_MINNE = 1024 ** 3

_ENKELT_BLADNAMN = re.compile(r"[0-9A-Za-zÅÄÖåäö_]+")


def bladref(blad: str) -> str:
    """Bladets namn som i en cellreferens: `Blad1`, `'Mitt blad'`."""
    if _ENKELT_BLADNAMN.fullmatch(blad):
        return blad
    return "'" + blad.replace("'", "''") + "'"


class Cellplats(Plats):
    """En plats i en arbetsbok: `fil` är `utfall.xlsx:Blad1`, `rad` och `kolumn` cellens (1-baserade).
    Visas som `utfall.xlsx:Blad1!D17`; sorteras som en `Plats`."""

    __slots__ = ()

    def __str__(self) -> str:
        if self.rad <= 0:
            return self.fil
        return f"{self.fil}!{kolumnbokstaver(max(self.kolumn, 1))}{self.rad}"


def celltext(v: Any) -> str:
    """Ett cellvärde som text, som CSV-läsningen tolkar det."""
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "SANT" if v else "FALSKT"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        if v.day == 1 and v.time() == time(0):
            return f"{v.year:04d}-{v.month:02d}"
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return f"{v.year:04d}-{v.month:02d}" if v.day == 1 else v.isoformat()
    return str(v)


class Bladrader:
    """Raderna i ett blad som listor av text: både läsaren (`line_num`, iteration) och källan till
    platserna (`plats`) för `tabell.las_tabell`. `rader` ger (radnummer från 1, cellvärden från
    kolumn A); tomma celler sist på en rad tas bort, och `fyll` säger åt läsaren att fylla ut raden
    till rubrikens bredd (en tom cell blir då "saknas" i rätt cell)."""

    fyll = True
    avgransare = ""

    def __init__(self, namn: str, rader: Iterator[tuple[int, Iterable[Any]]]):
        self.namn = namn
        self.line_num = 0
        self._rader = rader

    def __iter__(self) -> Bladrader:
        return self

    def __next__(self) -> list[str]:
        self.line_num, varden = next(self._rader)
        rad = [celltext(v) for v in varden]
        while rad and not rad[-1]:
            rad.pop()
        return rad

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Cellplats:
        return Cellplats(self.namn, slutrad, i + 1)

    def trasig_posts_forsta_rad(self, slutrad: int) -> int:
        return slutrad

    def kodningsfel(self) -> Fel | None:
        return None


class Blad:
    """Ett blad som calamine läst: namnet som i platserna (`utfall.xlsx:Blad1`), raderna i
    ordning (`rader`) och de distinkta raderna med antalet förekomster (`distinkta`)."""

    def __init__(self, namn: str, ark: Any, felvarden: dict[tuple[int, int], str]):
        self.namn = namn
        self._ark = ark
        self._felvarden = felvarden
        start = ark.start
        self._vanster = start[1] if start else 0      # kolumnerna före den första använda

    def _varden(self) -> Iterator[tuple]:
        """Raderna från rad 1 som tupler av calamines värden från kolumn A."""
        if self._ark.start is None:
            return iter(())
        rader: Iterator = map(tuple, self._ark.iter_rows())
        if self._vanster:
            tomma = ("",) * self._vanster
            rader = (tomma + r for r in rader)
        if self._felvarden:
            rader = self._med_felvarden(rader)
        return rader

    def _med_felvarden(self, rader: Iterator[tuple]) -> Iterator[tuple]:
        per_rad: dict[int, dict[int, str]] = {}
        for (r, k), text in self._felvarden.items():
            per_rad.setdefault(r, {})[k] = text
        for r, varden in enumerate(rader):
            if r in per_rad:
                lista = list(varden)
                for k, text in per_rad[r].items():
                    lista[k] = text
                varden = tuple(lista)
            yield varden

    def rader(self) -> Bladrader:
        return Bladrader(self.namn, enumerate(self._varden(), 1))

    def __iter__(self) -> Bladrader:
        return self.rader()

    def distinkta(self) -> list[tuple[int, list[str]]] | None:
        """De distinkta raderna i ordningen för varje rads första förekomst, med antalet (kolumnen
        `antal` i rubriken) gånger förekomsterna, och radnumret för den första förekomsten. None när
        den vägen inte räcker: ett sant/falskt (lika med 1 och 0 som nyckel), en rubrik som står
        flera gånger, ett antal som inte är ett heltal i siffror."""
        varden = list(self._varden())
        antal = Counter(varden)
        ordning = list(antal)           # (en Counter har nycklarna i ordningen de först räknades)
        forsta = _forsta_radnummer(varden, len(ordning))
        rubrik = next((r for r in ordning if any(v != "" for v in r)), None)
        if rubrik is None or antal[rubrik] > 1:
            return None
        namn = [celltext(v).strip().casefold() for v in rubrik]
        if namn.count("antal") != 1:
            return None
        ia = namn.index("antal")
        ut: list[tuple[int, list[str]]] = []
        for rad in ordning:
            if any(isinstance(v, bool) for v in rad):
                return None
            text = [celltext(v) for v in rad]
            n = antal[rad]
            if n > 1 and rad is not rubrik and len(text) > ia and text[ia].strip():
                a = text[ia]
                if not (a.isdigit() and a.isascii()):
                    return None
                text[ia] = str(int(a) * n)
            ut.append((forsta[rad], text))
        return ut


def _forsta_radnummer(varden: list[tuple], distinkta: int) -> dict[tuple, int]:
    """Varje distinkt rads första radnummer (från 1). Raderna gås igenom tills alla `distinkta` har
    setts: i ett radnivåuttag har de oftast det efter några tusen rader."""
    forsta: dict[tuple, int] = {}
    for nr, rad in enumerate(varden, 1):
        if rad not in forsta:
            forsta[rad] = nr
            if len(forsta) == distinkta:
                break
    return forsta


def fel_i_boken(namn: str, medd: str) -> Inlasningsfel:
    """Ett fel i hela arbetsboken, på platsen fil:1:1 som andra fel som gäller hela filen."""
    return Inlasningsfel([Fel(Plats(namn, 1, 1), "", medd)])


def kontrollera_zip(namn: str, strom) -> None:
    """Vägrar en zip-fil som inte är en arbetsbok eller som packas upp till orimligt mycket."""
    try:
        with zipfile.ZipFile(strom) as z:
            delar = z.infolist()
            if len(delar) > MAX_XLSX_DELAR:
                raise fel_i_boken(namn, f"arbetsboken har {len(delar)} delar (högst {MAX_XLSX_DELAR}); är filen en xlsx?")
            uppackat = sum(d.file_size for d in delar)
            if uppackat > MAX_XLSX_UPPACKAT:
                raise fel_i_boken(namn, f"arbetsboken är för stor uppackad ({uppackat} byte, högst "
                                 f"{MAX_XLSX_UPPACKAT} byte)")
            namnen = {d.filename for d in delar}
            if "[Content_Types].xml" not in namnen or not any(n.startswith("xl/") for n in namnen):
                raise fel_i_boken(namn, "filen är en zip-fil men ingen Excel-arbetsbok (xlsx)")
    except Inlasningsfel:
        raise
    except Exception:   # noqa: BLE001 - BadZipFile, okänd packning, trasig katalog: aldrig en traceback
        raise fel_i_boken(namn, "filen ser ut som en zip-fil (xlsx) men går inte att läsa; är den hel?") from None
    finally:
        strom.seek(0)


class Oppnad(NamedTuple):
    """En öppnad arbetsbok med det valda bladet, innan bladet granskats och lästs."""

    namn: str           # filens, som i felen
    bladnamn: str       # `utfall.xlsx:Blad1`, platsernas fil
    valt: str           # bladets namn i arbetsboken
    strom: BinaryIO     # hela arbetsboken: en fil eller (standard in, en pipe) i minnet
    bok: Arbetsbok


@contextmanager
def oppna_bok(kalla: Indatafil, borjan: bytes, blad: str | None) -> Iterator[Oppnad]:
    """Arbetsboken `kalla` (vars första byte redan lästs som `borjan`) öppnad, med bladet `blad`
    (standard: det första) valt. Kastar `Inlasningsfel` med filens namn."""
    namn = kalla.namn
    if borjan.startswith(OLE2_BORJAN):
        raise fel_i_boken(namn, "filen är en .xls (Excel 97–2003); spara den som Excel-arbetsbok (.xlsx) "
                         "eller som CSV och läs den igen")
    strom = fortsatt(kalla, borjan)
    if not strom.seekable():       # standard in eller en pipe: en zip-fil läses från slutet
        if kalla.storlek is not None and kalla.storlek > MAX_XLSX_BYTE:
            raise fel_i_boken(namn, f"filen är för stor ({kalla.storlek} byte, högst {MAX_XLSX_BYTE} byte)")
        try:
            data = strom.read(MAX_XLSX_BYTE + 1)
        except OSError as e:
            raise filfel(namn, e) from None
        if len(data) > MAX_XLSX_BYTE:
            raise fel_i_boken(namn, f"filen är för stor (mer än {MAX_XLSX_BYTE} byte)")
        strom = io.BytesIO(data)
    kontrollera_zip(namn, strom)
    try:
        z = zipfile.ZipFile(strom)
    except Exception:   # noqa: BLE001 - som i kontrollera_zip: aldrig en traceback
        raise fel_i_boken(namn, "filen ser ut som en zip-fil (xlsx) men går inte att läsa; är den hel?") from None
    with z:
        try:
            bok = Arbetsbok(z)
        except Arbetsboksfel as e:
            raise fel_i_boken(namn, str(e)) from None
        except Exception as e:   # noqa: BLE001 - något läsaren inte känner igen: aldrig en traceback
            raise fel_i_boken(namn, f"arbetsboken går inte att läsa ({type(e).__name__}); spara om den i Excel "
                             "eller som CSV") from None
        if not bok.blad:
            raise fel_i_boken(namn, "arbetsboken har inget blad med celler")
        titlar = list(bok.blad)
        if blad is None:
            valt = titlar[0]
        else:
            valt = next((b for b in titlar if b == blad), None) or next(
                (b for b in titlar if b.casefold() == blad.strip().casefold()), None)
            if valt is None:
                raise fel_i_boken(namn, f"bladet {visa(blad)} finns inte (bladen: {', '.join(titlar)}; --blad)")
        yield Oppnad(namn, f"{namn}:{bladref(valt)}", valt, strom, bok)


def las_ark(o: Oppnad, strom: BinaryIO) -> Any:
    """Bladet läst av calamine ur arbetsboken i `strom` (från början). Bara efter `_granska`, eller
    i en arbetare med ett minnestak (`i_arbetaren`)."""
    strom.seek(0)
    try:
        from python_calamine import CalamineWorkbook

        return CalamineWorkbook.from_filelike(strom).get_sheet_by_name(o.valt)
    except Exception as e:   # noqa: BLE001 - calamine vägrar (trasig XML, okänd celltyp): aldrig en traceback
        raise fel_i_boken(o.namn, f"arbetsboken går inte att läsa ({type(e).__name__}: {str(e)[:200]}); spara om den "
                           "i Excel eller som CSV") from None


def i_arbetaren(o: Oppnad) -> BinaryIO:
    """I en arbetare, innan calamine läser: ett minnestak (adressrymden nu, `ARBETARENS_MINNE` och tre
    gånger arbetsboken), så att ett blad som granskningen ännu inte hunnit vägra (ett rutnät med
    miljarder celler) stoppar arbetaren i stället för att ta maskinens minne; calamine avbryter då
    processen, och dess rad om minnet går inte till standard fel. Ger arbetsboken att läsa (en fil
    läses med os.pread, eftersom filens position delas med processen som granskar; det som lästs i
    minnet är arbetarens egen kopia)."""
    storlek = bokens_storlek(o.strom)
    try:
        tyst = os.open(os.devnull, os.O_WRONLY)
        os.dup2(tyst, 2)
        os.close(tyst)
        import resource

        with open("/proc/self/statm", "rb") as f:
            tak = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + ARBETARENS_MINNE + 3 * storlek
        mjuk, hard = resource.getrlimit(resource.RLIMIT_AS)
        for grans in (mjuk, hard):
            if grans != resource.RLIM_INFINITY:
                tak = min(tak, grans)
        resource.setrlimit(resource.RLIMIT_AS, (tak, hard))
    except (ImportError, OSError, ValueError):   # inget /proc, ingen resource: granskningen skyddar ändå
        pass
    if isinstance(o.strom, io.BytesIO):
        return o.strom
    fd = o.strom.fileno()
    bitar, pos = [], 0
    while pos < storlek and (bit := os.pread(fd, min(16 * 1024 * 1024, storlek - pos), pos)):
        bitar.append(bit)
        pos += len(bit)
    return io.BytesIO(b"".join(bitar))


def bokens_storlek(strom: BinaryIO) -> int:
    if isinstance(strom, io.BytesIO):
        return len(strom.getbuffer())
    return os.fstat(strom.fileno()).st_size


def delbar(strom: BinaryIO) -> bool:
    """Om en arbetare kan läsa arbetsboken (högst `MAX_XLSX_BYTE`) utan att röra strömmens position
    här."""
    try:
        return (isinstance(strom, io.BytesIO) or hasattr(os, "pread")) and bokens_storlek(strom) <= MAX_XLSX_BYTE
    except (AttributeError, OSError, ValueError):
        return False


def nyckel(st: os.stat_result, valt: str) -> tuple:
    """Det som bestämmer bladet som läses (filens `st` och bladet): förstartens nyckel (`forstart.ta`)."""
    return ("xlsx", st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, valt)


class _Pread(io.RawIOBase):
    """Den öppna filen `fd` läst med os.pread från en egen position: filens position (som kan delas
    med en annan process, standard in) rörs inte."""

    def __init__(self, fd: int):
        self._fd, self._pos = fd, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = os.pread(self._fd, len(b), self._pos)
        b[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        bas = (0, self._pos, os.fstat(self._fd).st_size)[whence]
        self._pos = max(0, bas + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def fileno(self) -> int:
        return self._fd


def forstart_xlsx(fd: int, blad: str | None, kanal) -> None:
    """Förstartens uppgift för en arbetsbok (`forstart`) i den öppna filen `fd` (en sökväg eller
    standard in som är en fil; läst med os.pread, så att filens position inte rörs): arbetsboken
    öppnad och bladet valt som läsaren gör det, nyckeln (innan bladet läses), och sedan bladet läst av
    calamine med arbetarens minnestak och de distinkta raderna (`Blad.distinkta`)."""
    st = os.fstat(fd)
    kalla = Indatafil("", io.BufferedReader(_Pread(fd)), st.st_size)
    try:
        with oppna_bok(kalla, las_borjan(kalla), blad) as o:
            if not delbar(o.strom):
                kanal.nyckel(None)
                return
            kanal.nyckel(nyckel(st, o.valt))
            kanal.resultat(Blad(o.bladnamn, las_ark(o, i_arbetaren(o)), {}).distinkta())
    except Inlasningsfel:
        kanal.nyckel(None)
