"""Utfall ur Excel (regelboken §20): ett blad i en arbetsbok (xlsx) som rader av text, med samma
gränssnitt som CSV-läsningen (`tabell.las_tabell`), så att reglerna för kolumner, rad-id,
månader och antal är desamma och bara finns på ett ställe.

- Bladet: det första, eller det som `--blad NAMN` anger (exakt, annars utan hänsyn till skiftläge).
- Platserna i felen namnger blad och cell: `utfall.xlsx:Blad1!D17` (`Cellplats`).
- Celler: text som den står; tal som heltal när de är heltal (Excel har bara flyttal: 12 och 12,0
  är samma tal), annars som decimaltal (`12.5`, som då vägras som antal); ett datum som är den
  första i en månad (Excel gör `2026-01` till 2026-01-01) som `ÅÅÅÅ-MM`; tomma celler som tomma.
- Formler läses som sina senast beräknade värden.
- En .xls (Excel 97–2003), en trasig zip-fil, en arbetsbok som packas upp till orimligt mycket och
  ett blad över gränserna i `xlsxlasare` vägras med en rad, aldrig en traceback.

Arbetsboken läses strömmande med gränser (`xlsxlasare`); xlsxwriter (kolumnbokstaven i en
cellplats) importeras först när ett fel i en arbetsbok visas.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import OLE2_BORJAN, Indatafil, filfel, fortsatt
from vgr_ersattning.inlasning.tal import visa
from vgr_ersattning.inlasning.utfall.tabell import las_tabell
from vgr_ersattning.inlasning.utfall.xlsxlasare import Arbetsbok, Arbetsboksfel
from vgr_ersattning.modell import Uppdrag

# En arbetsbok läses i minnet när den kommer från standard in eller en pipe; en fil läses direkt.
MAX_XLSX_BYTE = 512 * 1024 * 1024
# Uppackad (summan av delarnas angivna storlek; zipfile läser aldrig mer än den angivna). Mer är en
# zip-bomb eller fel fil. Det som faktiskt packas upp och läses räknas i `xlsxlasare.MAX_XLSX_LAST`.
MAX_XLSX_UPPACKAT = 2 * 1024 ** 3
MAX_XLSX_DELAR = 10_000

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
        from xlsxwriter.utility import xl_col_to_name

        return f"{self.fil}!{xl_col_to_name(self.kolumn - 1)}{self.rad}"


def celltext(v: Any) -> str:
    """Ett cellvärde som text, som CSV-läsningen tolkar det."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
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
    platserna (`plats`) för `tabell.las_tabell`. Tomma celler sist på en rad finns inte i bladet;
    `fyll` säger åt läsaren att fylla ut raden till rubrikens bredd (en tom cell blir då "saknas" i
    rätt cell)."""

    fyll = True
    avgransare = ""

    def __init__(self, namn: str, rader: Iterator[tuple]):
        self.namn = namn
        self.line_num = 0
        self._rader = rader

    def __iter__(self) -> Bladrader:
        return self

    def __next__(self) -> list[str]:
        try:
            varden = next(self._rader)
        except StopIteration:
            raise
        except Arbetsboksfel as e:  # en gräns, eller trasig XML mitt i bladet
            rad = e.rad if e.rad > 0 else self.line_num + 1
            raise Inlasningsfel([Fel(Cellplats(self.namn, rad, max(e.kolumn, 1)), "", str(e))]) from None
        except Exception as e:      # noqa: BLE001 - något läsaren inte känner igen: aldrig en traceback
            raise Inlasningsfel([Fel(Cellplats(self.namn, self.line_num + 1, 1), "",
                                     f"bladet går inte att läsa efter rad {self.line_num} "
                                     f"({type(e).__name__})")]) from None
        self.line_num += 1
        sista = len(varden)
        while sista and varden[sista - 1] is None:
            sista -= 1
        rad = [celltext(v) for v in varden[:sista]]
        while rad and not rad[-1]:
            rad.pop()
        return rad

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Cellplats:
        return Cellplats(self.namn, slutrad, i + 1)

    def trasig_posts_forsta_rad(self, slutrad: int) -> int:
        return slutrad

    def kodningsfel(self) -> Fel | None:
        return None


def _fel(namn: str, medd: str) -> Inlasningsfel:
    """Ett fel i hela arbetsboken, på platsen fil:1:1 som andra fel som gäller hela filen."""
    return Inlasningsfel([Fel(Plats(namn, 1, 1), "", medd)])


def _kontrollera_zip(namn: str, strom) -> None:
    """Vägrar en zip-fil som inte är en arbetsbok eller som packas upp till orimligt mycket."""
    try:
        with zipfile.ZipFile(strom) as z:
            delar = z.infolist()
            if len(delar) > MAX_XLSX_DELAR:
                raise _fel(namn, f"arbetsboken har {len(delar)} delar (högst {MAX_XLSX_DELAR}); är filen en xlsx?")
            uppackat = sum(d.file_size for d in delar)
            if uppackat > MAX_XLSX_UPPACKAT:
                raise _fel(namn, f"arbetsboken är för stor uppackad ({uppackat} byte, högst "
                                 f"{MAX_XLSX_UPPACKAT} byte)")
            namnen = {d.filename for d in delar}
            if "[Content_Types].xml" not in namnen or not any(n.startswith("xl/") for n in namnen):
                raise _fel(namn, "filen är en zip-fil men ingen Excel-arbetsbok (xlsx)")
    except Inlasningsfel:
        raise
    except Exception:   # noqa: BLE001 - BadZipFile, okänd packning, trasig katalog: aldrig en traceback
        raise _fel(namn, "filen ser ut som en zip-fil (xlsx) men går inte att läsa; är den hel?") from None
    finally:
        strom.seek(0)


@contextmanager
def las_blad(kalla: Indatafil, borjan: bytes, blad: str | None = None) -> Iterator[Bladrader]:
    """Öppnar bladet `blad` (standard: det första) i arbetsboken `kalla` (vars första byte redan
    lästs som `borjan`). Kastar `Inlasningsfel` med filens namn."""
    namn = kalla.namn
    if borjan.startswith(OLE2_BORJAN):
        raise _fel(namn, "filen är en .xls (Excel 97–2003); spara den som Excel-arbetsbok (.xlsx) "
                         "eller som CSV och läs den igen")
    strom = fortsatt(kalla, borjan)
    if not strom.seekable():       # standard in eller en pipe: en zip-fil läses från slutet
        if kalla.storlek is not None and kalla.storlek > MAX_XLSX_BYTE:
            raise _fel(namn, f"filen är för stor ({kalla.storlek} byte, högst {MAX_XLSX_BYTE} byte)")
        try:
            data = strom.read(MAX_XLSX_BYTE + 1)
        except OSError as e:
            raise filfel(namn, e) from None
        if len(data) > MAX_XLSX_BYTE:
            raise _fel(namn, f"filen är för stor (mer än {MAX_XLSX_BYTE} byte)")
        strom = io.BytesIO(data)
    _kontrollera_zip(namn, strom)
    try:
        z = zipfile.ZipFile(strom)
    except Exception:   # noqa: BLE001 - som i _kontrollera_zip: aldrig en traceback
        raise _fel(namn, "filen ser ut som en zip-fil (xlsx) men går inte att läsa; är den hel?") from None
    with z:
        try:
            bok = Arbetsbok(z)
        except Arbetsboksfel as e:
            raise _fel(namn, str(e)) from None
        except Exception as e:   # noqa: BLE001 - något läsaren inte känner igen: aldrig en traceback
            raise _fel(namn, f"arbetsboken går inte att läsa ({type(e).__name__}); spara om den i Excel "
                             "eller som CSV") from None
        if not bok.blad:
            raise _fel(namn, "arbetsboken har inget blad med celler")
        titlar = list(bok.blad)
        if blad is None:
            valt = titlar[0]
        else:
            valt = next((b for b in titlar if b == blad), None) or next(
                (b for b in titlar if b.casefold() == blad.strip().casefold()), None)
            if valt is None:
                raise _fel(namn, f"bladet {visa(blad)} finns inte (bladen: {', '.join(titlar)}; --blad)")
        try:
            rader = bok.rader(valt)
        except Arbetsboksfel as e:
            raise _fel(namn, str(e)) from None
        except Exception as e:   # noqa: BLE001 - något läsaren inte känner igen: aldrig en traceback
            raise _fel(namn, f"arbetsboken går inte att läsa ({type(e).__name__}); spara om den i Excel "
                             "eller som CSV") from None
        yield Bladrader(f"{namn}:{bladref(valt)}", rader)


def las_xlsx(kalla: Indatafil, borjan: bytes, blad: str | None, uppdrag: Uppdrag, ut) -> None:
    """Produktionen ur ett blad i en arbetsbok (xlsx) in i utfallet `ut` (`Utfall`): samma kolumner
    och regler som CSV, och fel med blad och cell (`utfall.xlsx:Blad1!D17: antal: …`)."""
    with las_blad(kalla, borjan, blad) as rader:
        las_tabell(rader.namn, rader, lambda: rader, uppdrag, ut)
