"""Cache av validerade dokument (uppdrags- och prisfilen).

Att tolka YAML och validera modellerna tar längre tid än hela beräkningen. Ett validerat dokument
sparas därför under en nyckel som är SHA-256 av:

- filens byte (efter en eventuell BOM) och modellens namn,
- paketets version, pydantics version och Python-versionen,
- källkoden till inläsningen själv (modell.py, laddning.py och den här filen), så att en ändrad
  inläsare aldrig läser ett dokument som en äldre inläsare sparade.

Cachen är bara en genväg: allt som inte stämmer (saknad, trasig, gammal eller misstänkt post)
gör att filen läses som vanligt, utan meddelande.

Katalogen är användarens egen cachekatalog, underkatalogen `vgr-ersattning`: `$XDG_CACHE_HOME`
eller `~/.cache` i Linux, `~/Library/Caches` i macOS, `%LOCALAPPDATA%` i Windows.
`VGR_ERSATTNING_CACHE=av` (eller 0, nej, off) stänger av cachen; `=KATALOG` flyttar den.

En post är en pickle, och en pickle kan köra kod när den läses. Därför (POSIX):
- katalogen skapas med läge 0700, och en katalog eller post som inte ägs av användaren eller som
  grupp eller andra kan skriva i används inte alls;
- posten börjar med sin egen nyckel, så en post som kopierats eller döpts om till en annan nyckel
  aldrig läses;
- avpicklingen tillåter bara klasserna som ett dokument består av (modellerna, `Dokument`,
  `Positioner`, `Decimal`), så en planterad pickle kan inte anropa något annat.

Gamla poster rensas när en ny post skrivs (högst `MAX_POSTER` poster, ingen som inte använts på
`MAX_ALDER_DAGAR` dagar). Modulen importerar bara standardbiblioteket.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any, Optional

MILJOVARIABEL = "VGR_ERSATTNING_CACHE"
AV = ("av", "0", "nej", "off")
UNDERKATALOG = "vgr-ersattning"

MAX_POSTER = 64
MAX_ALDER_DAGAR = 30
# En träff förnyar postens ändringstid (som rensningen går efter) högst en gång per dygn.
_FORNYA_EFTER_S = 24 * 3600
# En temporär fil som ligger kvar så här länge kommer från en avbruten skrivning.
_GAMMAL_TEMPORAR_S = 3600

ANDELSE = ".pickle"
_HUVUD = b"vgr-ersattning-cache 1\n"

# Källfilerna vars innehåll ingår i nyckeln: allt som bestämmer hur ett dokument ser ut.
KALLFILER = ("modell.py", "laddning.py", "cache.py")

_POSIX = os.name == "posix"


# --- katalogen ---------------------------------------------------------------------------------


def katalog() -> Optional[Path]:
    """Cachekatalogen enligt miljön, eller None när cachen är avstängd eller saknar plats."""
    val = os.environ.get(MILJOVARIABEL, "").strip()
    if val.lower() in AV:
        return None
    if val:
        return Path(val)
    if sys.platform == "win32":
        bas = os.environ.get("LOCALAPPDATA", "")
    elif sys.platform == "darwin":
        bas = os.path.join(os.path.expanduser("~"), "Library", "Caches")
    else:
        bas = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(bas):       # XDG: en relativ sökväg ska ignoreras
            bas = os.path.join(os.path.expanduser("~"), ".cache")
    if not bas or not os.path.isabs(bas):   # t.ex. HOME saknas: ingen cache hellre än en i cwd
        return None
    return Path(bas) / UNDERKATALOG


def _egen_och_skyddad(st: os.stat_result) -> bool:
    """Ägs av användaren och kan inte skrivas av grupp eller andra. Windows: ingen ägarkontroll."""
    if not _POSIX:
        return True
    return st.st_uid == os.geteuid() and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _saker_katalog(k: Path, skapa: bool) -> bool:
    try:
        st = os.stat(k)
    except FileNotFoundError:
        if not skapa:
            return False
        try:
            k.mkdir(mode=0o700, parents=True, exist_ok=True)
            st = os.stat(k)
        except OSError:
            return False
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(st.st_mode) and _egen_och_skyddad(st)


# --- nyckeln ------------------------------------------------------------------------------------

_inlasarens_version: Optional[bytes] = None


def _inlasare() -> Optional[bytes]:
    """SHA-256 av inläsarens källkod och versionerna, en gång per process. None om en källfil inte
    går att läsa (då används ingen cache: nyckeln skulle inte följa koden)."""
    global _inlasarens_version
    if _inlasarens_version is None:
        from vgr_ersattning import __version__

        h = hashlib.sha256(b"vgr-ersattning\0" + __version__.encode() + b"\0")
        h.update(f"{sys.version_info[0]}.{sys.version_info[1]}\0{_pydantic_version()}\0".encode())
        mapp = Path(__file__).resolve().parent
        try:
            for namn in KALLFILER:
                data = (mapp / namn).read_bytes()
                h.update(f"{namn}\0{len(data)}\0".encode())
                h.update(data)
        except OSError:
            return None
        _inlasarens_version = h.digest()
    return _inlasarens_version


def _pydantic_version() -> str:
    try:
        from pydantic.version import VERSION   # liten modul; själva pydantic behövs ändå vid träff
    except Exception:   # pragma: no cover
        return "?"
    return str(VERSION)


def nyckel(data: bytes, modellnamn: str) -> Optional[str]:
    """Nyckeln för filinnehållet `data` validerat som `modellnamn` (64 hex-tecken)."""
    inlasare = _inlasare()
    if inlasare is None:
        return None
    h = hashlib.sha256(inlasare)
    h.update(modellnamn.encode() + b"\0")
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


# --- avpickling med en vitlista -------------------------------------------------------------------


def _tillaten_klass(modul: str, namn: str):
    import pickle

    if "." not in namn:
        if (modul, namn) == ("decimal", "Decimal"):
            from decimal import Decimal
            return Decimal
        if modul == "vgr_ersattning.laddning" and namn in ("Dokument", "Positioner"):
            from vgr_ersattning import laddning
            return getattr(laddning, namn)
        if modul == "vgr_ersattning.modell":
            from vgr_ersattning import modell
            klass = modell.__dict__.get(namn)
            if (isinstance(klass, type) and issubclass(klass, modell.Modell)
                    and klass.__module__ == modell.__name__):
                return klass
    raise pickle.UnpicklingError(f"{modul}.{namn} är inte tillåten i cachen")


def _avpickla(data: bytes) -> Any:
    import io
    import pickle

    class _Lasare(pickle.Unpickler):
        def find_class(self, modul, namn):
            return _tillaten_klass(modul, namn)

    return _Lasare(io.BytesIO(data)).load()


# --- förberedda poster i paketet ---------------------------------------------------------------------
#
# När hjulet byggs (hatch_build.py) valideras de medföljande datafilerna en gång och deras poster läggs
# i paketet, `vgr_ersattning/data/forberedd/`, så att den första körningen efter installationen inte
# behöver tolka YAML och bygga pydantics validerare (issue 17: uppstarten, också första gången).
# Posterna har samma nyckel som cachen: en annan pydantic- eller Pythonversion vid körningen än vid
# bygget, en ändrad datafil eller inläsare, och de används inte (filen läses som vanligt). De läses
# bara när cachen är på, med samma vitlista vid avpicklingen; ägarkontrollen gäller inte dem, de är
# paketets egna filer som koden bredvid.

FORBEREDD = "forberedd"


def forberedd_katalog() -> Optional[Path]:
    """Katalogen med paketets förberedda poster, eller None (källträdet och en redigerbar
    installation har ingen)."""
    k = Path(__file__).resolve().parent / "data" / FORBEREDD
    return k if k.is_dir() else None


def forbered(datafiler: list[tuple[Path, str]], katalog: Path) -> list[Path]:
    """Validerar varje (datafil, modellnamn) och skriver dess post i `katalog` (som hjulet sedan
    bär). Ger posternas sökvägar. Används av byggkroken, inte av kommandona."""
    from vgr_ersattning import laddning

    tidigare = os.environ.get(MILJOVARIABEL)
    os.environ[MILJOVARIABEL] = str(katalog)
    try:
        for fil, modellnamn in datafiler:
            laddning.las_dokument(fil, modellnamn)
    finally:
        if tidigare is None:
            os.environ.pop(MILJOVARIABEL, None)
        else:
            os.environ[MILJOVARIABEL] = tidigare
    return sorted(p for p in katalog.iterdir() if _ar_post(p.name))


# --- läsa och skriva -----------------------------------------------------------------------------


class Post:
    """Cacheposten för ett filinnehåll. `las()` ger det sparade dokumentet eller None;
    `spara(dok)` sparar det. Båda tysta: cachen är bara en genväg."""

    def __init__(self, data: bytes, modellnamn: str):
        self.katalog = katalog()
        self.nyckel = nyckel(data, modellnamn) if self.katalog is not None else None

    @property
    def aktiv(self) -> bool:
        return self.katalog is not None and self.nyckel is not None

    @property
    def sokvag(self) -> Path:
        assert self.katalog is not None and self.nyckel is not None
        return self.katalog / f"{self.nyckel}{ANDELSE}"

    def _huvud(self) -> bytes:
        assert self.nyckel is not None
        return _HUVUD + self.nyckel.encode("ascii") + b"\n"

    def las(self) -> Any:
        if not self.aktiv:
            return None
        if not _saker_katalog(self.katalog, skapa=False):
            return self._las_forberedd()
        try:
            data, st = _las_egen_fil(self.sokvag)
            dok = self._dokument(data)
        except Exception:   # saknad, trasig, främmande eller gammal post: läs filen i stället
            return self._las_forberedd()
        if time.time() - st.st_mtime > _FORNYA_EFTER_S:
            try:
                os.utime(self.sokvag)    # använd nyss: rensas inte
            except OSError:
                pass
        return dok

    def _dokument(self, data: bytes) -> Any:
        """Postens dokument; ValueError när posten inte börjar med sin egen nyckel."""
        huvud = self._huvud()
        if not data.startswith(huvud):
            raise ValueError("posten hör till en annan nyckel")
        return _avpickla(data[len(huvud):])

    def _las_forberedd(self) -> Any:
        """Paketets förberedda post för samma nyckel, eller None (se `forberedd_katalog`)."""
        k = forberedd_katalog()
        if k is None or self.nyckel is None:
            return None
        try:
            return self._dokument((k / f"{self.nyckel}{ANDELSE}").read_bytes())
        except Exception:
            return None

    def spara(self, dok: Any) -> None:
        if not self.aktiv or not _saker_katalog(self.katalog, skapa=True):
            return
        try:
            import pickle

            innehall = self._huvud() + pickle.dumps(dok, protocol=pickle.HIGHEST_PROTOCOL)
            # En ny fil med läge 0600 som ingen annan kan ha skapat (O_EXCL); som tempfile.mkstemp,
            # utan att importera tempfile (och random) vid varje första körning.
            tmp = str(self.katalog / f".{os.getpid()}.{os.urandom(8).hex()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
        except Exception:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(innehall)
            os.replace(tmp, self.sokvag)
        except Exception:   # t.ex. full disk: ingen halvskriven post eller temporär fil blir kvar
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return
        rensa(self.katalog)


def _las_egen_fil(sokvag: Path) -> tuple[bytes, os.stat_result]:
    """Läser en post som är en vanlig fil som användaren äger och bara hon kan skriva i."""
    flaggor = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(sokvag, flaggor)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or not _egen_och_skyddad(st):
            raise PermissionError(f"{sokvag}: inte en egen, skyddad fil")
        return f.read(), st


def _ar_post(namn: str) -> bool:
    stam = namn[: -len(ANDELSE)]
    return namn.endswith(ANDELSE) and len(stam) == 64 and all(c in "0123456789abcdef" for c in stam)


def rensa(k: Path, nu: Optional[float] = None) -> None:
    """Tar bort poster som inte använts på `MAX_ALDER_DAGAR` dagar, alla utom de `MAX_POSTER`
    senast använda, och gamla temporära filer. Rör bara cachens egna filer (katalogen kan vara en
    som användaren valt med VGR_ERSATTNING_CACHE)."""
    nu = time.time() if nu is None else nu
    grans = nu - MAX_ALDER_DAGAR * 24 * 3600
    poster: list[tuple[float, str]] = []
    try:
        with os.scandir(k) as it:
            for e in it:
                try:
                    if not e.is_file(follow_symlinks=False):
                        continue
                    if _ar_post(e.name):
                        poster.append((e.stat(follow_symlinks=False).st_mtime, e.path))
                    elif (e.name.startswith(".") and e.name.endswith(".tmp")
                          and e.stat(follow_symlinks=False).st_mtime < nu - _GAMMAL_TEMPORAR_S):
                        os.unlink(e.path)
                except OSError:
                    continue
    except OSError:
        return
    poster.sort(reverse=True)   # senast använda först
    for i, (mtid, sokvag) in enumerate(poster):
        if i >= MAX_POSTER or mtid < grans:
            try:
                os.unlink(sokvag)
            except OSError:
                pass
