"""Utdata: resultatet till standard ut eller till en ny fil, och en skyddad körning av kommandot.

- `Utdata(ut)` samlar ett resultat (helt eller strömmat) i en temporär fil, bredvid målet
  (`--ut`, via `filer`) eller i minnet och TMPDIR (standard ut), och gör det synligt först med
  `publicera()`: en läsare ser aldrig en halvskriven fil, en befintlig fil skrivs aldrig över, och
  ett fel eller `kasta()` lämnar ingenting efter sig. Standard ut som är en fil (`> FIL`) skrivs
  direkt och kortas igen vid ett fel (se klassen).
- `skriv(data, ut)` är samma sak i ett steg.
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

from vgr_ersattning import direktfil, filer
from vgr_ersattning.filer import FINNS_REDAN, ORSAK, kopiera, meddelande, orsak, skicka  # noqa: F401 (en del av modulens gränssnitt)

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




# --- målet och filerna ------------------------------------------------------------------------


def kontrollera_mal(ut: Mal) -> None:
    """Vägrar ett mål som inte kan bli en ny fil, innan något räknas ut (`filer.kontrollera_mal`).
    Kastar `Utskriftsfel`."""
    if ut is None:
        return
    try:
        filer.kontrollera_mal(ut)
    except filer.Filfel as e:
        raise Utskriftsfel(str(e)) from None


def skriv(data: Union[str, bytes], ut: Mal) -> None:
    """Skriver `data` (text som UTF-8) till standard ut eller till en ny fil `ut`.

    `ut` bör vara strängen som användaren skrev: ett `Path` har redan tappat ett avslutande
    snedstreck, så `--ut ny/` går då inte att skilja från `--ut ny`.
    Kastar `Utskriftsfel` (en svensk rad; ingen målfil och ingen temporär fil finns kvar) och,
    för standard ut, `BrutenPipe` när läsaren har stängt."""
    if ut is None:
        _skriv_standard_ut(data)
        return
    try:
        filer.skriv_ny(ut, data.encode("utf-8") if isinstance(data, str) else data)
    except filer.Filfel as e:
        raise Utskriftsfel(str(e)) from None


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


def _standard_ut_ar_utf8() -> bool:
    """Om standard uts kodning är UTF-8 (eller okänd): då är utdatans byte dess byte."""
    import codecs

    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        return True


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


# --- utdata som blir synlig först när allt är klart ------------------------------------------------


class Utdata:
    """Ett resultat som skrivs (helt eller medan det räknas) men blir synligt först med
    `publicera()`; `kasta()` (eller ett fel) lämnar ingenting efter sig.

    - `ut` en fil: en temporär fil i målets katalog (`filer`), flush + fsync, sedan en hård länk
      till målet; en befintlig fil skrivs aldrig över.
    - `ut=None`, standard ut: en temporär fil (i minnet upp till `I_MINNET` byte, sedan på disk i
      TMPDIR) som kopieras till standard ut vid `publicera()` (från disk med `os.sendfile` när standard ut
      tar emot det). Texten skrivs i standard uts kodning.
    - `ut=None` när standard ut är en vanlig fil (`> FIL`, inte `>>`) som står vid sitt slut och tar
      UTF-8: direkt i filen, och `kasta()` (ett fel, Ctrl-C, en effekt som inte gick) liksom SIGTERM
      och SIGHUP kortar filen till där den stod. Filen får samma innehåll som med den temporära
      filen, utan att utdata skrivs två gånger (en miljon scenarier är ~390 MB, som annars skrivs och
      kopieras igen). Skillnaderna: medan kommandot räknar syns det som skrivits hittills, en process
      som dödas med SIGKILL lämnar det kvar, och två kommandon som skriver till samma `> FIL`
      samtidigt blandar sina utdata.

    `write(byte)` lägger till, `borja_om()` kastar det skrivna hittills. Fel blir `Utskriftsfel`
    (en svensk rad) och, för standard ut, `BrutenPipe`. Som `with`-block publiceras utdata när
    blocket slutar utan undantag och kastas annars."""

    I_MINNET = 4 * 1024 * 1024

    def __init__(self, ut: Mal):
        self.ut = None if ut is None else os.fspath(ut)
        self._fd = None           # den temporära filen (--ut)
        self._tmp = None
        self._spool = None        # standard ut
        # Filer som läggs till standard ut vid publicera(): (platsen i spoolen, fd, start, längd).
        self._bifogat: list[tuple[int, int, int, int]] = []
        self._start = 0           # var utdata börjar i filen `_fd`
        self._direkt = False      # `_fd` är standard ut, en vanlig fil (se klassen)
        self._signaler: list = []
        if self.ut is None:
            fil = direktfil.oppna() if _standard_ut_ar_utf8() and getattr(sys.stdout, "buffer", None) else None
            if fil is not None:
                self._fd, self._start = fil
                self._direkt = True
                self._signaler = direktfil.kortas_vid_signal(self._fd, self._start)
                return
            import tempfile

            self._spool = tempfile.SpooledTemporaryFile(max_size=self.I_MINNET)
            return
        try:
            filer.kontrollera_mal(self.ut)
            self._fd, self._tmp = filer.temporar_bredvid(self.ut)
        except filer.Filfel as e:
            raise Utskriftsfel(str(e)) from None

    @property
    def namn(self) -> str:
        return self.ut or STANDARD_UT

    def write(self, data: bytes) -> None:
        try:
            if self._spool is not None:
                self._spool.write(data)
            else:
                filer.skriv_alla(self._fd, data)     # type: ignore[arg-type]
        except OSError as e:
            raise Utskriftsfel(meddelande(self.namn, e)) from None

    def lagg_till_fil(self, fil, langd: int) -> None:
        """`langd` byte ur den binära filen `fil` från dess position, som `write` av dem men utan att de
        går genom Python: till en fil (`ut`, eller standard ut som är en fil) kopierar kärnan dem direkt;
        till annat standard ut minns utdata var de ska stå och skickar dem vid `publicera()` (filen får
        tas bort före dess, inte ändras)."""
        if langd < BIFOGA_FRAN:
            kopiera(fil, langd, self.write)
            return
        start = fil.tell()
        try:
            if self._spool is None:
                if not skicka(self._fd, fil.fileno(), start, langd):
                    kopiera(fil, langd, self.write)
                    return
            else:
                self._spool.rollover()
                self._bifogat.append((self._spool.tell(), os.dup(fil.fileno()), start, langd))
            fil.seek(start + langd)
        except OSError as e:
            raise Utskriftsfel(meddelande(self.namn, e)) from None

    def _stang_bifogat(self) -> None:
        bifogat, self._bifogat = self._bifogat, []
        for _, fd, _, _ in bifogat:
            try:
                os.close(fd)
            except OSError:
                pass

    def borja_om(self) -> None:
        self._stang_bifogat()
        try:
            if self._spool is not None:
                self._spool.seek(0)
                self._spool.truncate()
            else:
                os.lseek(self._fd, self._start, os.SEEK_SET)   # type: ignore[arg-type]
                os.ftruncate(self._fd, self._start)            # type: ignore[arg-type]
        except OSError as e:
            raise Utskriftsfel(meddelande(self.namn, e)) from None

    def publicera(self) -> None:
        if self._direkt:
            direktfil.aterstall(self._signaler)
            fd, self._fd = self._fd, None       # det skrivna står kvar (`kasta` kortar inte filen)
            try:
                os.close(fd)                    # type: ignore[arg-type]
            except OSError as e:
                raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None
            return
        if self._spool is not None:
            try:
                self._till_standard_ut()
            finally:
                self.kasta()
            return
        try:
            try:
                try:
                    os.fsync(self._fd)     # type: ignore[arg-type]
                finally:
                    os.close(self._fd)     # type: ignore[arg-type]
                    self._fd = None
                filer.lanka_utan_att_skriva_over(self._tmp, self.ut)   # type: ignore[arg-type]
            except OSError as e:
                raise Utskriftsfel(meddelande(self.ut, e)) from None    # type: ignore[arg-type]
        finally:
            # Efter länken är den temporära filen en andra länk till målet, före länken det enda som
            # finns: den tas bort i båda fallen.
            self.kasta()
        filer.synka_katalog(os.path.dirname(self.ut) or os.curdir)      # type: ignore[arg-type]

    def kasta(self) -> None:
        self._stang_bifogat()
        if self._spool is not None:
            self._spool.close()
            return
        if self._fd is not None:
            if self._direkt:
                try:
                    os.ftruncate(self._fd, self._start)
                    os.lseek(self._fd, self._start, os.SEEK_SET)
                except OSError:
                    pass
                direktfil.aterstall(self._signaler)
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None
        tmp, self._tmp = self._tmp, None
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def __enter__(self) -> "Utdata":
        return self

    def __exit__(self, typ, varde, tb) -> None:
        if typ is None:
            self.publicera()
        else:
            self.kasta()

    def _till_standard_ut(self) -> None:
        import codecs

        spool = self._spool
        try:
            spool.seek(0)
        except OSError as e:
            raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None
        utf8 = _standard_ut_ar_utf8()
        binar = utf8 and getattr(sys.stdout, "buffer", None) is not None
        if binar and getattr(spool, "_rolled", False):
            try:
                delar = self._delar()
            except (OSError, ValueError, AttributeError):   # io.UnsupportedOperation är en OSError
                delar = None
            if delar is not None and _skicka_fil(delar):
                return
        avkodare = codecs.getincrementaldecoder("utf-8")()
        for bit in self._bitar():
            if binar:
                _skriv_standard_ut(bit)
            else:
                text = avkodare.decode(bit)
                if text:
                    _skriv_standard_ut(text)
        if not binar:
            text = avkodare.decode(b"", final=True)
            if text:
                _skriv_standard_ut(text)

    def _delar(self) -> list[tuple[int, int, int]]:
        """Standard uts byte som (fd, start, längd): spoolen (på disk) med de bifogade filerna på sina
        platser."""
        fd = self._spool.fileno()
        delar, plats = [], 0
        for dar, bfd, start, langd in self._bifogat:
            delar += [(fd, plats, dar - plats), (bfd, start, langd)]
            plats = dar
        delar.append((fd, plats, os.fstat(fd).st_size - plats))
        return delar

    def _bitar(self):
        """Standard uts byte i block: spoolen, med de bifogade filerna på sina platser (spoolen ligger
        då på disk, `lagg_till_fil`)."""
        try:
            if not self._bifogat:
                while bit := self._spool.read(1 << 20):
                    yield bit
                return
            for fd, start, langd in self._delar():
                while langd:
                    bit = os.pread(fd, min(1 << 20, langd), start)
                    if not bit:
                        raise Utskriftsfel(f"{STANDARD_UT}: en temporär fil tog slut {langd} byte för tidigt")
                    start += len(bit)
                    langd -= len(bit)
                    yield bit
        except OSError as e:
            raise Utskriftsfel(meddelande(STANDARD_UT, e)) from None


# Från så många byte läggs en fil till utdata utan att gå genom Python (`Utdata.lagg_till_fil`).
BIFOGA_FRAN = 1 << 20


def _skicka_fil(delar: list[tuple[int, int, int]]) -> bool:
    """Standard uts byte, `delar` som (fd, start, längd), till standard ut med `os.sendfile` (kärnan
    kopierar, inga block genom Python). False när det inte går (plattformen saknar sendfile, standard
    ut tar inte emot det, t.ex. en fil öppnad för tillägg): då har inget skrivits och blocken kopieras
    som annars."""
    try:
        ut = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):   # io.UnsupportedOperation är en OSError
        return False
    try:
        sys.stdout.flush()           # det som redan skrivits kommer först
    except OSError as e:
        _fel_pa_standard_ut(e)
    forsta = True
    for kalla, start, langd in delar:
        if not langd:
            continue
        try:
            if not skicka(ut, kalla, start, langd):
                if forsta:
                    return False
                raise OSError(errno.EINVAL, "sendfile gick inte längre")
        except OSError as e:
            _fel_pa_standard_ut(e)
        forsta = False
    return True


class NyFil:
    """En effekt: en ny fil (ett utkast till beslut) som skrivs till en temporär fil när effekterna
    förbereds och görs synlig när de utförs; `kasta()` tar bort den om något annat misslyckas."""

    def __init__(self, mal, data: bytes):
        self.mal, self.data = os.fspath(mal), data
        self.beskrivning = f"filen {self.mal}"
        self._fil = None

    def forbered(self) -> None:
        try:
            self._fil = filer.Forberedd(self.mal, self.data)
        except filer.Filfel as e:
            raise Utskriftsfel(str(e)) from None

    def utfor(self) -> None:
        try:
            self._fil.publicera()      # type: ignore[union-attr]
        except filer.Filfel as e:
            raise Utskriftsfel(str(e)) from None

    def kasta(self) -> None:
        if self._fil is not None:
            self._fil.kasta()


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
        except (Utskriftsfel, filer.Filfel) as e:
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
