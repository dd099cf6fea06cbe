"""Utdata: resultatet till standard ut eller till en ny fil, och en skyddad körning av kommandot.

- `skriv(data, ut)` skriver till standard ut (`ut=None`) eller atomiskt till en ny fil: en temporär
  fil i målets katalog, flush + fsync, sedan en hård länk till målet. En läsare ser aldrig en
  halvskriven fil och en befintlig fil skrivs aldrig över. Filen får samma rättigheter som
  `open(..., "w")` skulle ge (0666 minus umask).
- Varje fel blir `Utskriftsfel` med en svensk rad som namnger filen; CLI:t skriver raden och
  avslutar med kod 2. Operativsystemets engelska feltexter visas aldrig.
- `kor_skyddat(app)` kör kommandot: bruten pipe (`| head`) ger slutkod 141 (128 + SIGPIPE) utan
  traceback, Ctrl-C ger "avbrutet" och 130, och standard ut töms kontrollerat innan processen
  avslutas så att Python aldrig skriver "Exception ignored" vid avslutningen.

Modulen importerar bara standardbiblioteket (uppstartstiden).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from typing import Callable, NoReturn, Union

SLUTKOD_FEL = 2
SLUTKOD_AVBRUTET = 130          # 128 + SIGINT
SLUTKOD_BRUTEN_PIPE = 141       # 128 + SIGPIPE, skalets konvention

STANDARD_UT = "standard ut"

Mal = Union[str, "os.PathLike[str]", None]


class Utskriftsfel(Exception):
    """Resultatet kunde inte skrivas. `meddelande` är en svensk rad som namnger filen."""

    def __init__(self, meddelande: str):
        super().__init__(meddelande)
        self.meddelande = meddelande

    def __str__(self) -> str:
        return self.meddelande


class BrutenPipe(Exception):
    """Läsaren av standard ut har stängt (t.ex. `ersattning berakna | head -1`).

    Medvetet inte en `OSError`: click/typer gör om `OSError(EPIPE)` till slutkod 1, men det här
    undantaget passerar dem orört till `kor_skyddat`, som avslutar med 141."""


class Avbrutet(BaseException):
    """Ctrl-C under `kor_skyddat`. Inte en `KeyboardInterrupt`, som typer gör om till en tyst
    slutkod 130 och äldre click till "Aborted!" och slutkod 1."""


# --- felen på svenska -------------------------------------------------------------------------

# errno-namn → orsak. Namn som plattformen saknar hoppas över.
_ORSAKER = {
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EFBIG": "filen blir större än gränsen för filstorlek",
    "EACCES": "behörighet saknas",
    "EPERM": "åtgärden är inte tillåten",
    "ENOENT": "filen eller katalogen finns inte",
    "ENOTDIR": "en del av sökvägen är inte en katalog",
    "EISDIR": "är en katalog; ange ett filnamn",
    "EROFS": "filsystemet är skrivskyddat",
    "ENAMETOOLONG": "filnamnet är för långt",
    "ELOOP": "för många symboliska länkar i sökvägen",
    "EIO": "in- eller utmatningsfel på enheten",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer i systemet",
    "ENOMEM": "minnet räcker inte",
    "EBUSY": "enheten eller filen är upptagen",
    "ETXTBSY": "filen är upptagen",
    "ENXIO": "enheten finns inte",
    "ENODEV": "enheten finns inte",
    "ESTALE": "nätverksfilen är inte längre tillgänglig",
    "EINVAL": "ogiltigt filnamn eller ogiltig åtgärd för filsystemet",
    "EMLINK": "katalogen har för många länkar",
    "EXDEV": "filen kan inte flyttas mellan filsystem",
    "EPIPE": "läsaren har stängt",
    "EAGAIN": "enheten är tillfälligt upptagen",
    "EINTR": "skrivningen avbröts",
}
ORSAK = {getattr(errno, namn): text for namn, text in _ORSAKER.items() if hasattr(errno, namn)}

FINNS_REDAN = "finns redan; välj ett nytt filnamn (befintliga filer skrivs aldrig över)"


def orsak(e: OSError, allmant: str = "kunde inte skriva") -> str:
    """Felets orsak på svenska, utan filnamn. Okända fel: `allmant` och errno-namnet."""
    if e.errno in ORSAK:
        return ORSAK[e.errno]
    namn = errno.errorcode.get(e.errno, str(e.errno)) if e.errno is not None else type(e).__name__
    return f"{allmant} ({namn})"


def meddelande(namn: str, e: OSError, allmant: str = "kunde inte skriva") -> str:
    """En rad till användaren: `rapport.json: disken är full`."""
    if e.errno == errno.EEXIST:
        return f"{namn} {FINNS_REDAN}"
    return f"{namn}: {orsak(e, allmant)}"


def _stderr(text: str) -> None:
    """En rad på standard fel; ett fel där (stängd eller full) tystas, det finns ingen annan kanal."""
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


# --- förberedelse -------------------------------------------------------------------------------


def forbered() -> None:
    """Anropas en gång när kommandot startar (`kor` gör det själv). Ignorerar SIGXFSZ där
    plattformen har den: med en gräns för filstorlek (`ulimit -f`) dödar kärnan annars processen
    mitt i skrivningen, men ignorerad blir den en `OSError(EFBIG)` som `skriv` gör om till en
    svensk rad. CPython ignorerar redan SIGXFSZ när tolken startar; det här gäller även när
    signalen har återställts (en inbäddad tolk, ett bibliotek, en förälder som återställt den)."""
    sigxfsz = getattr(signal, "SIGXFSZ", None)
    if sigxfsz is not None:
        try:
            signal.signal(sigxfsz, signal.SIG_IGN)
        except (OSError, ValueError):   # ValueError: inte i huvudtråden
            pass


# --- målet ----------------------------------------------------------------------------------


def _slutar_med_avgransare(text: str) -> bool:
    return text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep))


def kontrollera_mal(ut: Mal) -> None:
    """Vägrar ett mål som inte kan bli en ny fil, innan något räknas ut: en katalog (även `ny/`
    med avslutande snedstreck), en befintlig fil, en saknad katalog. Kastar `Utskriftsfel`.
    `skriv` gör samma kontroll; att anropa den här tidigt ger bara felet snabbare."""
    if ut is None:
        return
    text = os.fspath(ut)
    if text == "":
        raise Utskriftsfel("--ut: ange ett filnamn")
    if os.path.isdir(text):
        raise Utskriftsfel(f"{text}: är en katalog; ange ett filnamn")
    if _slutar_med_avgransare(text):
        raise Utskriftsfel(f"{text}: anger en katalog (slutar med snedstreck); ange ett filnamn")
    if os.path.lexists(text):
        raise Utskriftsfel(f"{text} {FINNS_REDAN}")
    katalog = os.path.dirname(text) or os.curdir
    if not os.path.isdir(katalog):
        if os.path.lexists(katalog) and not os.path.exists(katalog):
            raise Utskriftsfel(f"{text}: katalogen {katalog} är en trasig symbolisk länk")
        if os.path.exists(katalog):
            raise Utskriftsfel(f"{text}: {katalog} är inte en katalog")
        raise Utskriftsfel(f"{text}: katalogen {katalog} finns inte; skapa den först")


# --- skrivningen -------------------------------------------------------------------------------


def skriv(data: Union[str, bytes], ut: Mal) -> None:
    """Skriver `data` (text som UTF-8) till standard ut eller till en ny fil `ut`.

    `ut` bör vara strängen som användaren skrev: ett `Path` har redan tappat ett avslutande
    snedstreck, så `--ut ny/` går då inte att skilja från `--ut ny`.
    Kastar `Utskriftsfel` (en svensk rad; ingen målfil och ingen temporär fil finns kvar) och,
    för standard ut, `BrutenPipe` när läsaren har stängt."""
    if ut is None:
        _skriv_standard_ut(data)
        return
    kontrollera_mal(ut)
    _skriv_atomiskt(os.fspath(ut), data.encode("utf-8") if isinstance(data, str) else data)


def _skriv_standard_ut(data: Union[str, bytes]) -> None:
    ut = sys.stdout
    try:
        binar = getattr(ut, "buffer", None)
        if binar is None:            # ersatt av en ren textström (t.ex. io.StringIO)
            ut.write(data if isinstance(data, str) else data.decode("utf-8", errors="replace"))
            ut.flush()
            return
        if isinstance(data, str):
            kodning = getattr(ut, "encoding", None) or "utf-8"
            try:
                data = data.encode(kodning)
            except LookupError:
                data = data.encode("utf-8")
            except UnicodeEncodeError:   # t.ex. teckentabell 1252 i Windows: ≠ blir ?
                data = data.encode(kodning, errors="replace")
        ut.flush()                   # det som redan skrivits som text kommer först
        _skriv_alla_till(binar, data)
        binar.flush()
    except OSError as e:
        _fel_pa_standard_ut(e)


def _fel_pa_standard_ut(e: OSError) -> NoReturn:
    """Ett fel på standard ut: bruten pipe (`BrutenPipe`, slutkod 141) eller en svensk rad (`Utskriftsfel`).
    Standard ut tystas först, så att Python inte skriver något mer vid avslutningen."""
    _tysta_standard_ut()
    if isinstance(e, BrokenPipeError):
        raise BrutenPipe() from None
    raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None


def _skriv_alla_till(binar, data: bytes) -> None:
    """Skriver allt. Med PYTHONUNBUFFERED=1 (eller `python -u`) är sys.stdout.buffer en rå FileIO
    vars write() gör ett enda systemanrop och kan skriva bara en del: resten skulle då tappas
    tyst, och en pipe som stängs mitt i en stor skrivning gav slutkod 0 med halva utdata."""
    vy = memoryview(data)
    while vy:
        n = binar.write(vy)
        if n is None:                # icke-blockerande och full: vänta lite och försök igen
            time.sleep(0.001)
            continue
        vy = vy[n:]


def _tysta_standard_ut() -> None:
    """Pekar om standard ut (fildeskriptorn) till devnull: det som ligger kvar i bufferten töms då
    utan fel när Python avslutas, i stället för "Exception ignored ... BrokenPipeError" och kod 120.
    (Pythons dokumentation för SIGPIPE rekommenderar just detta.)"""
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):   # io.UnsupportedOperation är en OSError
        pass


def _skapa_temporar(katalog: str, namn: str) -> tuple[int, str]:
    """En ny temporär fil i `katalog`, skapad med läge 0666 så att kärnan drar av umask (och
    tillämpar katalogens standard-ACL) precis som för `open(..., "w")`; mkstemp ger alltid 0600."""
    import secrets

    flaggor = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(katalog, f".{namn[:100]}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flaggor, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "ingen ledig temporär fil", katalog)


def _skriv_alla(fd: int, data: bytes) -> None:
    vy = memoryview(data)
    while vy:
        n = os.write(fd, vy)
        vy = vy[n:]


def _skriv_atomiskt(mal: str, data: bytes) -> None:
    katalog = os.path.dirname(mal) or os.curdir
    try:
        fd, tmp = _skapa_temporar(katalog, os.path.basename(mal))
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EPERM):
            raise Utskriftsfel(f"{mal}: behörighet saknas att skapa filer i katalogen {katalog}") from None
        raise Utskriftsfel(meddelande(mal, e)) from None
    try:
        try:
            _skriv_alla(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _lanka_utan_att_skriva_over(tmp, mal)
    except OSError as e:
        raise Utskriftsfel(meddelande(mal, e)) from None
    finally:
        # Alltid, även vid Ctrl-C: efter länken är den temporära filen en andra länk till målets
        # innehåll, före länken är den det enda som finns. Ingen temporär fil blir kvar.
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _synka_katalog(katalog)


# Fel från os.link när filsystemet inte har hårda länkar (FAT, vissa nätverks- och FUSE-system).
_INGA_HARDA_LANKAR = {getattr(errno, n) for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK", "EXDEV")
                      if hasattr(errno, n)}


def _lanka_utan_att_skriva_over(tmp: str, mal: str) -> None:
    """Gör den färdiga temporära filen till målet. `os.link` misslyckas om målet finns (även om det
    skapats efter kontrollen): en befintlig fil skrivs aldrig över."""
    try:
        os.link(tmp, mal)
        return
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in _INGA_HARDA_LANKAR:
            raise
    # Utan hårda länkar: os.rename skriver inte över i Windows; i POSIX finns ett litet fönster
    # mellan kontrollen och namnbytet (samma som förut med os.replace, men med kontrollen).
    if os.path.lexists(mal):
        raise FileExistsError(errno.EEXIST, "finns redan", mal)
    os.rename(tmp, mal)


def _synka_katalog(katalog: str) -> None:
    """Katalogposten till disken också (POSIX); ett fel här ändrar inget för användaren."""
    if os.name != "posix":
        return
    try:
        fd = os.open(katalog, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


# --- strömmad skrivning ------------------------------------------------------------------------


class Strommad:
    """Ett resultat som skrivs medan det räknas (scenariobatchar), med samma löften som `skriv`:
    ingen ser något förrän allt är klart, och ett fel lämnar ingenting efter sig.

    - `ut` en fil: en temporär fil i målets katalog (som `skriv`), flush + fsync, sedan en hård länk
      till målet; en befintlig fil skrivs aldrig över.
    - `ut=None`, standard ut: en temporär fil (i minnet upp till `I_MINNET` byte, sedan på disk i
      TMPDIR) som kopieras till standard ut när allt är klart, så att inget resultat skrivs ut förrän
      hela indata är granskad. Texten skrivs i standard uts kodning som `skriv` gör.

    Används som `with Strommad(ut) as f: f.write(byte)`: när blocket slutar utan undantag blir filen
    synlig (eller kopieras till standard ut); med ett undantag, också Ctrl-C, tas den temporära filen
    bort. `borja_om()` kastar det som skrivits hittills. Fel blir `Utskriftsfel` (en svensk rad) och,
    för standard ut, `BrutenPipe`."""

    I_MINNET = 4 * 1024 * 1024

    def __init__(self, ut: Mal):
        self.ut = None if ut is None else os.fspath(ut)
        self._fd = None           # den temporära filen (--ut)
        self._tmp = None
        self._spool = None        # standard ut

    def __enter__(self) -> "Strommad":
        if self.ut is None:
            import tempfile

            self._spool = tempfile.SpooledTemporaryFile(max_size=self.I_MINNET)
            return self
        kontrollera_mal(self.ut)
        katalog = os.path.dirname(self.ut) or os.curdir
        try:
            self._fd, self._tmp = _skapa_temporar(katalog, os.path.basename(self.ut))
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EPERM):
                raise Utskriftsfel(f"{self.ut}: behörighet saknas att skapa filer i katalogen {katalog}") from None
            raise Utskriftsfel(meddelande(self.ut, e)) from None
        return self

    def write(self, data: bytes) -> None:
        try:
            if self._spool is not None:
                self._spool.write(data)
            else:
                _skriv_alla(self._fd, data)     # type: ignore[arg-type]
        except OSError as e:
            raise Utskriftsfel(meddelande(self.ut or STANDARD_UT, e)) from None

    def borja_om(self) -> None:
        try:
            if self._spool is not None:
                self._spool.seek(0)
                self._spool.truncate()
            else:
                os.lseek(self._fd, 0, os.SEEK_SET)   # type: ignore[arg-type]
                os.ftruncate(self._fd, 0)            # type: ignore[arg-type]
        except OSError as e:
            raise Utskriftsfel(meddelande(self.ut or STANDARD_UT, e)) from None

    def __exit__(self, typ, varde, tb) -> None:
        if self._spool is not None:
            try:
                if typ is None:
                    self._till_standard_ut()
            finally:
                self._spool.close()
            return
        try:
            if typ is None:
                try:
                    try:
                        os.fsync(self._fd)     # type: ignore[arg-type]
                    finally:
                        os.close(self._fd)     # type: ignore[arg-type]
                        self._fd = None
                    _lanka_utan_att_skriva_over(self._tmp, self.ut)   # type: ignore[arg-type]
                except OSError as e:
                    raise Utskriftsfel(meddelande(self.ut, e)) from None    # type: ignore[arg-type]
                _synka_katalog(os.path.dirname(self.ut) or os.curdir)      # type: ignore[arg-type]
        finally:
            # Alltid, som i `skriv`: efter länken är den temporära filen en andra länk till målet,
            # före länken är den det enda som finns. Ingen temporär fil blir kvar.
            if self._fd is not None:
                try:
                    os.close(self._fd)
                except OSError:
                    pass
            try:
                os.unlink(self._tmp)     # type: ignore[arg-type]
            except OSError:
                pass

    def _till_standard_ut(self) -> None:
        import codecs

        spool = self._spool
        try:
            spool.seek(0)
        except OSError as e:
            raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None
        kodning = getattr(sys.stdout, "encoding", None) or "utf-8"
        try:
            utf8 = codecs.lookup(kodning).name == "utf-8"
        except LookupError:
            utf8 = True
        binar = utf8 and getattr(sys.stdout, "buffer", None) is not None
        avkodare = codecs.getincrementaldecoder("utf-8")()
        while True:
            try:
                bit = spool.read(1 << 20)
            except OSError as e:
                raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None
            if binar:
                if not bit:
                    break
                _skriv_standard_ut(bit)
            else:
                text = avkodare.decode(bit, final=not bit)
                if text:
                    _skriv_standard_ut(text)
                if not bit:
                    break


# --- körningen -------------------------------------------------------------------------------


def _vid_ctrl_c(signum, frame) -> NoReturn:
    raise Avbrutet()


def _slutkod(kod: object) -> int:
    if kod is None:
        return 0
    if isinstance(kod, bool):
        return int(kod)
    if isinstance(kod, int):
        return kod
    _stderr(str(kod))           # sys.exit("text") skriver texten och ger kod 1
    return 1


def _tom_standard_ut() -> None:
    """Tömmer standard ut medan fel fortfarande kan hanteras (inte först vid avslutningen)."""
    try:
        sys.stdout.flush()
    except OSError as e:
        _fel_pa_standard_ut(e)
    except (ValueError, AttributeError):   # stängd eller ersatt ström
        pass


def _click_tystade_bruten_pipe() -> bool:
    """click/typer har fångat en `OSError(EPIPE)` själv (t.ex. från `--help`): de byter då
    sys.stdout mot en PacifyFlushWrapper och avslutar med 1."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def kor(app: Callable[[], object]) -> int:
    """Kör `app` och returnerar slutkoden; skriver felraden själv. Se `kor_skyddat`."""
    forbered()
    tidigare = None
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:   # inte om SIGINT ignoreras
        try:
            tidigare = signal.signal(signal.SIGINT, _vid_ctrl_c)
        except (OSError, ValueError):
            tidigare = None
    try:
        try:
            try:
                kod = _slutkod(app())
            except SystemExit as e:
                kod = _slutkod(e.code)
            if kod == 1 and _click_tystade_bruten_pipe():
                _tysta_standard_ut()
                return SLUTKOD_BRUTEN_PIPE
            _tom_standard_ut()
            return kod
        except (BrutenPipe, BrokenPipeError):
            _tysta_standard_ut()
            return SLUTKOD_BRUTEN_PIPE
        except Utskriftsfel as e:
            _stderr(str(e))
            return SLUTKOD_FEL
        except (Avbrutet, KeyboardInterrupt):
            _stderr("avbrutet")
            _tom_tyst()
            return SLUTKOD_AVBRUTET
        except OSError as e:     # ett fel från operativsystemet som kommandot inte fångade
            namn = os.fsdecode(e.filename) if isinstance(e.filename, (str, bytes, os.PathLike)) else "ersattning"
            _stderr(meddelande(namn, e, "fel från operativsystemet"))
            _tom_tyst()
            return SLUTKOD_FEL
    finally:
        if tidigare is not None:
            try:
                signal.signal(signal.SIGINT, tidigare)
            except (OSError, ValueError):
                pass


def _tom_tyst() -> None:
    try:
        _tom_standard_ut()
    except (BrutenPipe, Utskriftsfel):
        pass


def kor_skyddat(app: Callable[[], object]) -> NoReturn:
    """Ingången för konsolskriptet: `def main(): utskrift.kor_skyddat(app)`.

    Slutkoder: kommandots egen (0, 1, 2), 2 för `Utskriftsfel` och andra fel från
    operativsystemet (en svensk rad), 141 när läsaren av standard ut har stängt (`| head`),
    130 efter Ctrl-C ("avbrutet"). Aldrig en traceback för något av dem."""
    raise SystemExit(kor(app))
