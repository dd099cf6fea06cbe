"""Källorna: att öppna en indatafil eller standard in, läsa dess byte och känna igen formatet.

- `oppna` öppnar en fil binärt (`-` är standard in) och säger dess storlek när den är känd;
  standard in som är en vanlig fil (`< F`) öppnas som en sökväg.
- `las_borjan` och `fortsatt`: de första byten för att känna igen formatet, och sedan hela
  strömmen igen (en fil spolas tillbaka, en pipe läses vidare efter det som redan lästs).
- `avkoda`, `las_byte`, `las_text`: UTF-8 med eller utan BOM, och en gräns för storleken;
  `Begransad`: samma gräns för en ström som läses strömmande.
- `kanna_igen`: CSV, YAML, JSON eller XLSX efter innehållet, inte efter filändelsen.
- `samma_fil_tva_ganger`: samma indatafil angiven två gånger (sökväg, länk, eller innehåll).
- `visningsnamn`, `visbar`: filnamnet som det visas i fel (byte som inte är UTF-8 som `\xe5`).

Fel från operativsystemet blir `Inlasningsfel` med en svensk rad (`filfel`, texterna ur
`vgr_ersattning.filer`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from vgr_ersattning.filer import orsak_vid_lasning
from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats

# En datafil större än så här är inte en uppdragsfil; den vägras innan den läses.
MAX_YAML_BYTE = 8 * 1024 * 1024

# `--utfall -` och `--scenariofil -`: standard in, med det här namnet i felraderna.
STDIN = "-"
STDIN_NAMN = "<stdin>"


def visbar(text: str) -> str:
    """Ett filnamn som går att skriva ut: byte som inte är UTF-8 (på disken, och därmed i sökvägen
    som `\udce5`) visas som `\xe5`."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def visningsnamn(sokvag: Path | str) -> str:
    """Filnamnet som det visas i fel: relativt arbetskatalogen när det går, annars som det angavs
    (`/dev/fd/63` från `<( )` visas så, inte som den pipe länken pekar på). `-` är standard in.
    Byte i namnet som inte är UTF-8 visas som `\xe5`."""
    if str(sokvag) == STDIN:
        return STDIN_NAMN
    p = Path(sokvag)
    absolut, cwd = os.path.abspath(p), os.getcwd()
    if absolut.startswith(cwd.rstrip(os.sep) + os.sep):
        return visbar(os.path.relpath(absolut, cwd))
    try:
        if not p.is_symlink():
            return visbar(str(p.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError):
        pass
    return visbar(str(p))



def samma_fil_tva_ganger(filer: list[Path], flagga: str, vad: str, *, innehall: bool = False) -> list[Fel]:
    """Samma fil två gånger (samma sökväg, `./a.csv` och dess absoluta sökväg, en hård länk eller
    symbolisk länk, eller `-` två gånger): en rad per upprepning som nämner båda namnen. Med
    `innehall` är också två filer med exakt samma innehåll samma fil (en kopia av en beslutsfil
    gäller inte två gånger); en fil större än `MAX_YAML_BYTE` jämförs inte (den vägras när den läses)."""
    sedda: dict[Any, str] = {}
    fel = []
    for s in filer:
        text = str(s)
        nycklar: list[Any] = []
        try:
            if text == STDIN:
                nycklar.append(("stdin",))
                st = os.fstat(0)
            else:
                st = os.stat(s)
                nycklar.append(("sokvag", os.path.realpath(s)))
            nycklar.append(("inod", st.st_dev, st.st_ino))
            if innehall and text != STDIN and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_YAML_BYTE:
                with open(s, "rb") as f:
                    nycklar.append(("innehall", hashlib.sha256(f.read(MAX_YAML_BYTE + 1)).digest()))
        except (OSError, ValueError):
            pass          # filen som inte går att läsa får sitt fel när den läses
        traff = next((n for n in nycklar if n in sedda), None)
        if traff is not None:
            forst, namn = visbar(sedda[traff]), visbar(text) if text != STDIN else "-"
            if traff[0] == "innehall":
                medd = (f"har samma innehåll som {forst} (samma {vad} två gånger med {flagga}); "
                        f"varje {vad} ska anges en gång")
            elif forst == namn:
                medd = f"anges två gånger med {flagga}; varje {vad} ska anges en gång"
            else:
                medd = f"samma fil som {forst} (anges två gånger med {flagga}); varje {vad} ska anges en gång"
            fel.append(Fel(Plats(namn, 0, 0), "", medd))
            continue
        for n in nycklar:
            sedda[n] = text
    return fel


def filfel(namn: str, e: OSError) -> Inlasningsfel:
    """Ett fel från operativsystemet när en fil öppnas eller läses, som en rad till användaren
    (på svenska, utan operativsystemets engelska text). Platsen har ingen rad: `fil: meddelande`."""
    return Inlasningsfel([Fel(Plats(namn, 0, 0), "", orsak_vid_lasning(e))])


class Indatafil(NamedTuple):
    """En öppnad indatafil: visningsnamnet, den binära strömmen och storleken när den är känd (en
    vanlig fil; inte standard in eller en pipe)."""

    namn: str
    strom: BinaryIO
    storlek: int | None


def oppna(sokvag: Path | str) -> Indatafil:
    """Öppnar en indatafil binärt; `-` är standard in. Fel blir `Inlasningsfel` på svenska."""
    namn = visningsnamn(sokvag)
    if str(sokvag) == STDIN:
        strom = sys.stdin.buffer
        try:
            fd = strom.fileno()
            st = os.fstat(fd)
            storlek = st.st_size if stat.S_ISREG(st.st_mode) else None
            # En vanlig fil (`< F`) som ingen läst ur: läses som en sökväg (den går att spola och
            # läsa med os.pread, också av arbetarna), genom en kopia av fildeskriptorn.
            if storlek is not None and os.lseek(fd, 0, os.SEEK_CUR) == 0:
                return Indatafil(namn, open(os.dup(fd), "rb"), storlek)  # noqa: SIM115 - anroparen stänger den
        except (OSError, ValueError, io.UnsupportedOperation):
            storlek = None
        return Indatafil(namn, io.BufferedReader(_Lanad(strom)), storlek)
    try:
        strom = open(sokvag, "rb")     # noqa: SIM115 - strömmen lämnas till anroparen, som stänger den
    except OSError as e:
        raise filfel(namn, e) from None
    try:
        st = os.fstat(strom.fileno())
    except OSError as e:
        strom.close()
        raise filfel(namn, e) from None
    if stat.S_ISDIR(st.st_mode):
        strom.close()
        raise filfel(namn, IsADirectoryError(21, "")) from None
    return Indatafil(namn, strom, st.st_size if stat.S_ISREG(st.st_mode) else None)


def _las_in(strom: BinaryIO, b) -> int:
    """Högst len(b) byte ur strömmen in i `b` med en läsning (utan att vänta på fler när en pipe har
    gett några): direkt in i `b` när strömmen har `readinto1`, utan en kopia i en bytes emellan."""
    las_in = getattr(strom, "readinto1", None)
    if las_in is not None:
        return las_in(b)
    data = strom.read1(len(b)) if hasattr(strom, "read1") else strom.read(len(b))
    b[: len(data)] = data
    return len(data)


class _Lanad(io.RawIOBase):
    """Standard in utan att stänga den när läsningen är klar."""

    def __init__(self, strom: BinaryIO):
        self._strom = strom

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        return _las_in(self._strom, b)

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
        return _las_in(self._strom, b)

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
    return fortsatt_med(borjan, strom)


def fortsatt_med(borjan: bytes, strom: BinaryIO) -> BinaryIO:
    """Byten `borjan` (redan lästa) och sedan resten av strömmen, som en ström."""
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
    """Hela källan, `borjan` (som redan lästs) och resten, högst `max_byte` byte. En fil läses om
    från början i ett stycke (inte `borjan` + resten, som håller filen två gånger i minnet)."""
    if kalla.storlek is not None and kalla.storlek > max_byte:
        raise Inlasningsfel([Fel(Plats(kalla.namn, 1, 1), "", f"filen är för stor ({kalla.storlek} byte, "
                                                               f"högst {max_byte} byte)")])
    try:
        strom = kalla.strom
        if borjan and strom.seekable():
            strom.seek(-len(borjan), io.SEEK_CUR)
            data = strom.read(max_byte + 1)
        else:
            data = borjan + strom.read(max_byte + 1 - len(borjan))
    except OSError as e:
        raise filfel(kalla.namn, e) from None
    if len(data) > max_byte:
        raise Inlasningsfel([Fel(Plats(kalla.namn, 1, 1), "", f"filen är för stor (mer än {max_byte} byte)")])
    return data


class Begransad:
    """En binär ström som läses strömmande, högst `max_byte` byte: läses mer är det ett
    `Inlasningsfel` ("filen är för stor"), där läsningen är (standard in har ingen känd storlek)."""

    def __init__(self, strom: BinaryIO, max_byte: int, namn: str):
        self._strom, self._kvar, self.max_byte, self.namn = strom, max_byte, max_byte, namn

    def _rakna(self, data: bytes) -> bytes:
        self._kvar -= len(data)
        if self._kvar < 0:
            raise Inlasningsfel([Fel(Plats(self.namn, 1, 1), "", f"filen är för stor (mer än {self.max_byte} byte)")])
        return data

    def read(self, n: int = -1) -> bytes:
        return self._rakna(self._strom.read(self._kvar + 1 if n is None or n < 0 else min(n, self._kvar + 1)))

    def readline(self, n: int = -1) -> bytes:
        return self._rakna(self._strom.readline(self._kvar + 1 if n is None or n < 0 else min(n, self._kvar + 1)))


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
# första byten och lämnas till `utfall.xlsx` (som säger vad som är fel med en .xls).
ZIP_BORJAN = b"PK\x03\x04"
OLE2_BORJAN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_JSON_BORJAN = re.compile(r'[\s\[{]*("|[\]}]|-?[0-9]|true\b|false\b|null\b|$)')


def kanna_igen(borjan: bytes, sokvag: Path | str, kolumner: tuple[str, ...], *, xlsx: bool = False) -> str:
    """CSV, YAML eller JSON (och med `xlsx` även XLSX) efter innehållet, inte efter filändelsen
    (standard in, `<( )` och en CSV sparad som .txt har ingen eller fel ändelse). XLSX: filen är en
    zip-fil (`PK\\x03\\x04`) eller en gammal .xls. CSV: första raden som inte är tom är en rubrikrad
    med någon av `kolumner` (i valfritt skiftläge) åtskilda med komma, semikolon eller tabb. JSON:
    filen börjar med `[` eller `{` följt av en sträng i citattecken, ett tal eller en stängande
    klammer. Ändelsen avgör bara när innehållet inte säger något (en tom fil, en rubrikrad med helt
    fel kolumner)."""
    if xlsx and borjan.startswith((ZIP_BORJAN, OLE2_BORJAN)):
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
