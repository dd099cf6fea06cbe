"""Utbetalningsjournalen: vad som har betalats, en post per månad och komponent (regelboken §19,
§21, §22).

Journalen är en vanlig textfil som en controller kan läsa och jämföra med `diff` (formatet och
kedjan: `journal_format`). Den läggs bara till i: en bokförd månad bokförs aldrig om, och en
rättelse är nästa månads utbetalning, aldrig en omskrivning. Att bokföra en månad är atomiskt:
alla dess komponenter eller inga, och ett avbrott eller en full disk lämnar journalen byte för
byte som den var. Varje månad bär ett kedjevärde; den sista månadens är journalens kvittens
(`Journal.kvittens()`), som controllern förvarar utanför journalen och som
`kontrollera_journal(..., kvittens=H)` prövar journalen mot.

Den här modulen är journalens fil: `las_journal` läser den, `bokfor` bokför en månad,
`hash_fil` och `skapa_bokforing` gör en bokföring av en körning. Kontrollen, förhandsvisningen
och uppgraderingen finns i `journal_kontroll`; de publika namnen från båda modulerna går också
att importera härifrån.

`bokfor` bokför en månad: den vägrar en skrivskyddad journal (rättighetsbitarna, före låset), tar
låset (`fcntl.flock` på sidofilen `<journal>.las` i journalens katalog, öppnad med `O_NOFOLLOW`;
tas en annan körning det väntar den upp till `LOCK_VANTETID_S` sekunder och säger det på standard
fel om väntan märks, och låsfilen tas bort när bokföringen är klar), läser och prövar journalen
under låset (`journalproblem`: ordning, luckor, dubbletter, summor, kedjan, komponenterna) och
vägrar en månad som redan är bokförd eller som inte är nästa (månaden efter den senast bokförda,
eller januari i en ny journal), fel utförare eller år, en okänd komponent och en körning efter i
dag. Sedan skrivs den gamla journalens byte plus det nya blocket med dess kedjevärde atomiskt
(`filer.ersatt_atomiskt`: en temporär fil i samma katalog, fsync, `os.replace`, katalogen
synkas). Temporära filer som en krasch lämnat (`.<journal>.<hex>.tmp`) tas bort av nästa
bokföring, under låset. Är journalen en symbolisk länk skrivs filen den pekar på. Rättigheterna
på en befintlig journal behålls.

Fel: allt som modulen kastar är `Inlasningsfel` (slutkod 2 i CLI:t, en rad per fel). Formatfel
har platsen `fil:rad:kolumn` och fel vid läsningen av en fil bara filens namn; allt annat är
underklassen `Journalfel`, vars sista rad är `journalens namn: meddelande` (föregången av
journalens problem när `bokfor` vägrar en journal som inte håller ihop). Operativsystemets
engelska feltexter visas aldrig, och ett filnamn som inte är UTF-8 visas som `\\xe5`.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import stat
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Iterator, Mapping, Optional, Union

from vgr_ersattning.filer import Filfel, ersatt_atomiskt, orsak, stada_temporara
from vgr_ersattning.inlasning.kallor import STDIN, STDIN_NAMN, Indatafil, avkoda, filfel, las_byte, visningsnamn
from vgr_ersattning.journal_format import (
    MAX_BELOPP_KR,
    MAX_JOURNAL_BYTE,
    TITEL,
    Bokforing,
    Journal,
    Journalfel,
    Post,
    format_bokforing,
    format_journal,
    huvud,
    kedja_fore_januari,
    kedjevarde,
    kedjevarden,
    las_journal_text,
    summa,
    validera_bokforing,
    validera_huvud,
    visat_namn,
)
from vgr_ersattning.journal_kontroll import (
    UPPGRADERA_KOMMANDO,
    bokford,
    framtida_korning,
    journalproblem,
    kand_komponent,
    kontrollera_indata,
    kontrollera_journal,
    kvitterad_manad,
    las_kvittens,
    problem_infor,
    uppgradera,
)

Sokvag = Union[str, "os.PathLike[str]"]

LOCKFIL_ANDELSE = ".las"
# Så länge väntar en bokföring på en annan körnings lås innan den ger upp (sekunder), och efter så
# lång väntan säger den det på standard fel (en kort väntan märks inte och sägs inte).
LOCK_VANTETID_S = 5.0
LOCK_MEDDELA_EFTER_S = 1.0
_LOCK_INTERVALL_S = 0.05


def _namn(sokvag: Sokvag) -> str:
    return visat_namn(visningsnamn(sokvag))


# --- läsningen ---------------------------------------------------------------------------------


def _oppna_vanlig(mal: Sokvag, namn: str, inte_vanlig: str):
    """Filen öppnad för läsning med sin stat, när den är en vanlig fil: en pipe eller enhet öppnas
    inte alls (det kan vänta för evigt), en katalog eller en annan fil efter öppningen vägras.
    `FileNotFoundError` släpps igenom; andra fel blir `Inlasningsfel` på svenska."""
    try:
        st = os.stat(mal)
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            raise Journalfel(namn, inte_vanlig)
        strom = open(mal, "rb")
    except FileNotFoundError:
        raise
    except OSError as e:
        raise filfel(namn, e) from None
    try:
        st = os.fstat(strom.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise filfel(namn, IsADirectoryError(errno.EISDIR, ""))
        if not stat.S_ISREG(st.st_mode):
            raise Journalfel(namn, inte_vanlig)
    except OSError as e:
        strom.close()
        raise filfel(namn, e) from None
    except BaseException:
        strom.close()
        raise
    return strom, st


def _las_bytes(mal: str, namn: str) -> Optional[bytes]:
    """Journalens byte, None om filen inte finns."""
    try:
        strom, st = _oppna_vanlig(mal, namn, "är inte en vanlig fil; en journal är en textfil")
    except FileNotFoundError:
        return None
    with strom:
        return las_byte(Indatafil(namn, strom, st.st_size), MAX_JOURNAL_BYTE)


def _tolka(data: bytes, namn: str) -> Journal:
    return las_journal_text(avkoda(namn, data), namn)


def las_journal(sokvag: Sokvag, *, saknas_ok: bool = False) -> Optional[Journal]:
    """Journalen i filen. En fil som inte finns är ett `Journalfel`, eller None med `saknas_ok`
    (inget är betalt än). Formatfel: `Inlasningsfel` med `fil:rad:kolumn`. Innehållet och kedjan
    prövas inte (se `kontrollera_journal`)."""
    namn = _namn(sokvag)
    data = _las_bytes(os.fspath(sokvag), namn)
    if data is None:
        if saknas_ok:
            return None
        raise Journalfel(namn, "journalen finns inte (en ny journal skapas av `ersattning utbetala --bokfor`)")
    return _tolka(data, namn)


_INTE_EN_FIL = ("är inte en vanlig fil (en pipe eller en enhet); en bokförd körning har indata i filer vars "
                "fingeravtryck går att kontrollera i efterhand")


def hash_fil(sokvag: Sokvag) -> str:
    """SHA-256 av filen (hex, gemener), läst i bitar. Fel blir `Inlasningsfel` på svenska."""
    if os.fspath(sokvag) == STDIN:
        raise Journalfel(STDIN_NAMN, "standard in kan inte bokföras (den har inget fingeravtryck att "
                                     "kontrollera i efterhand); ange utfallet som en fil")
    namn = _namn(sokvag)
    try:
        strom, _ = _oppna_vanlig(sokvag, namn, _INTE_EN_FIL)
    except FileNotFoundError as e:
        raise filfel(namn, e) from None
    h = hashlib.sha256()
    with strom:
        while True:
            try:
                bit = strom.read(1024 * 1024)
            except OSError as e:
                raise filfel(namn, e) from None
            if not bit:
                break
            h.update(bit)
    return h.hexdigest()


def skapa_bokforing(manad: str, belopp: Union[Mapping[str, Decimal], Iterable[tuple[str, Decimal]]],
                    indata: Iterable[Sokvag] = (), korning: Union[str, _dt.date, None] = None) -> Bokforing:
    """En Bokforing för månaden: komponenterna i given ordning, summan uträknad, SHA-256 av varje
    indatafil (med filens namn utan katalog, aldrig en absolut sökväg) och körningens datum (i dag
    om inget anges)."""
    par = list(belopp.items()) if isinstance(belopp, Mapping) else list(belopp)
    if korning is None:
        korning = _dt.date.today()
    if isinstance(korning, _dt.date):
        korning = korning.isoformat()
    poster = tuple(Post(manad, k, v) for k, v in par)
    s = summa(p.belopp_kr for p in poster) if all(isinstance(p.belopp_kr, Decimal) for p in poster) else Decimal("NaN")
    filer = tuple((visat_namn(os.path.basename(os.fspath(f))), hash_fil(f)) for f in indata)
    b = Bokforing(manad, korning, poster, s, filer)
    validera_bokforing("bokföringen", b)
    return b


# --- låset ------------------------------------------------------------------------------------------


def _stderr(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _oppna_lockfil(lockfil: str, namn: str, visat: str) -> int:
    flaggor = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lockfil, flaggor, 0o666)
    except OSError as e:
        if e.errno == errno.ELOOP and os.path.islink(lockfil):
            raise Journalfel(namn, f"kan inte låsa journalen: låsfilen {visat} är en symbolisk länk (låset följer "
                                   "aldrig en länk; ta bort den); journalen är oförändrad") from None
        raise Journalfel(namn, f"kan inte låsa journalen: låsfilen {visat}: {orsak(e, 'kunde inte skapas')}; "
                               "journalen är oförändrad") from None
    try:
        vanlig = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        vanlig = True
    if not vanlig:
        os.close(fd)
        raise Journalfel(namn, f"kan inte låsa journalen: låsfilen {visat} är inte en vanlig fil; journalen är oförändrad")
    return fd


def _forsok_lock(fd: int, namn: str) -> bool:
    """Tar låset utan att vänta: True om det togs, False om en annan körning har det."""
    try:
        try:
            import fcntl
        except ImportError:          # Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, getattr(errno, "EWOULDBLOCK", errno.EAGAIN),
                       getattr(errno, "EDEADLOCK", errno.EAGAIN)):
            return False
        raise Journalfel(namn, f"kan inte låsa journalen ({orsak(e, 'låset gick inte att ta')}); "
                               "journalen är oförändrad") from None


def _samma_fil(fd: int, lockfil: str, namn: str) -> bool:
    """Att den låsta filen fortfarande är låsfilen: den som släpper låset tar bort filen, och den
    som väntade på den gamla filen måste då börja om med en ny."""
    if os.name != "posix":
        return True
    try:
        a = os.fstat(fd)
        b = os.stat(lockfil, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise Journalfel(namn, f"kan inte låsa journalen ({orsak(e, 'låset gick inte att ta')}); "
                               "journalen är oförändrad") from None
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stang(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


@contextmanager
def _lock(mal: str, namn: str, vantetid: Optional[float] = None) -> Iterator[None]:
    """Låset för journalen: ett exklusivt `flock` på sidofilen `<journal>.las`. Väntar upp till
    `vantetid` sekunder (`LOCK_VANTETID_S`) på en annan körning; låsfilen tas bort när låset släpps."""
    vantetid = LOCK_VANTETID_S if vantetid is None else vantetid
    lockfil = mal + LOCKFIL_ANDELSE
    visat = visat_namn(os.path.basename(lockfil))
    start = time.monotonic()
    meddelat = False
    fd = _oppna_lockfil(lockfil, namn, visat)
    try:
        while True:
            if _forsok_lock(fd, namn):
                if _samma_fil(fd, lockfil, namn):
                    break
                _stang(fd)
                fd = -1
                fd = _oppna_lockfil(lockfil, namn, visat)
                continue
            vantat = time.monotonic() - start
            if vantat >= vantetid:
                raise Journalfel(namn, f"bokförs av en annan körning just nu (låset {visat} är taget); väntade "
                                       f"{vantetid:g} s; journalen är oförändrad, försök igen när den körningen är klar")
            if not meddelat and vantat >= min(LOCK_MEDDELA_EFTER_S, vantetid):
                _stderr(f"{namn}: väntar på journalens lås ({visat}; en annan körning bokför just nu) …")
                meddelat = True
            time.sleep(min(_LOCK_INTERVALL_S, max(0.0, vantetid - vantat)))
    except BaseException:
        if fd >= 0:
            _stang(fd)
        raise
    try:
        yield
    finally:
        try:
            if os.name == "posix" and _samma_fil(fd, lockfil, namn):
                os.unlink(lockfil)       # under låset: nästa körning ser att filen bytts
        except (OSError, Journalfel):
            pass
        finally:
            _stang(fd)                   # släpper låset; ett fel här ändrar inget i journalen


# --- bokföringen ----------------------------------------------------------------------------------


def _mal(sokvag: Sokvag, namn: str) -> str:
    """Filen som skrivs: journalen, eller filen den pekar på om den är en symbolisk länk."""
    text = os.fspath(sokvag)
    if text == "" or text == STDIN:
        raise Journalfel(namn or "journal", "ange journalens filnamn")
    if text.endswith(os.sep) or (os.altsep and text.endswith(os.altsep)) or os.path.isdir(text):
        raise Journalfel(namn, "är en katalog; ange journalens filnamn")
    if os.path.islink(text) and not os.path.exists(text):
        raise Journalfel(namn, "är en trasig symbolisk länk")
    mal = os.path.realpath(text)
    katalog = os.path.dirname(mal) or os.curdir
    if not os.path.isdir(katalog):
        raise Journalfel(namn, f"katalogen {visat_namn(os.path.dirname(text) or os.curdir)} finns inte; skapa den först")
    return mal


def _rattigheter(mal: str, namn: str, manad: str) -> Optional[int]:
    """Rättigheterna på en befintlig journal (None om den inte finns eller inte går att läsa av).
    Vägrar en journal utan skrivrättighet för användaren, efter rättighetsbitarna: root får skriva
    i allt, men en journal som gjorts skrivskyddad ska inte bokföras i för det."""
    try:
        st = os.stat(mal)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid is None or euid == 0 or euid == st.st_uid:
        bit = stat.S_IWUSR
    elif st.st_gid in os.getgroups() or st.st_gid == os.getegid():
        bit = stat.S_IWGRP
    else:
        bit = stat.S_IWOTH
    if not st.st_mode & bit:
        raise Journalfel(namn, f"journalen är skrivskyddad ({stat.filemode(st.st_mode)}); bokför inte {manad} – ge "
                               "skrivrättighet (t.ex. `chmod u+w`) om månaden ska bokföras i den; journalen är oförändrad")
    return stat.S_IMODE(st.st_mode)


def _ordningsfel(journal: Journal, b: Bokforing, ar: int) -> Optional[str]:
    """Varför månaden inte kan bokföras härnäst, None om den kan."""
    tidigare = journal.bokforing(b.manad)
    if tidigare is not None:
        return (f"{b.manad} är redan bokförd (körningen {tidigare.korning}); en bokförd månad bokförs aldrig om "
                "– en rättelse blir nästa månads utbetalning")
    sista = journal.sista_manad()
    nasta = 1 if sista is None else sista + 1
    if b.nummer == nasta:
        return None
    if sista is None:
        return f"{b.manad} kan inte bokföras först: en ny journal börjar med {ar}-01 (månaderna bokförs i ordning)"
    if nasta > 12:
        return f"{b.manad} kan inte bokföras: hela {ar} är redan bokfört"
    return (f"{b.manad} kan inte bokföras: nästa månad att bokföra är {ar}-{nasta:02d} "
            f"(senast bokförd {ar}-{sista:02d}; månaderna bokförs i ordning utan luckor)")


def bokfor(sokvag: Sokvag, utforare: str, ar: int, bokforing: Bokforing, *,
           idag: Optional[_dt.date] = None, vantetid: Optional[float] = None) -> Journal:
    """Bokför en månad i journalen (skapar journalen om den inte finns) och returnerar journalen
    som den blev; `.kvittens()` på den är den nya kvittensen. Vägrar – med `Journalfel` eller
    `Inlasningsfel` och journalen byte för byte orörd – en skrivskyddad journal, en månad som redan
    är bokförd, en månad som inte är nästa (den efter den senast bokförda; januari i en ny
    journal), fel utförare eller år, en journal med formatfel eller problem (`journalproblem`,
    också en journal utan kedja), en bokföring som inte håller ihop, en okänd komponent, en körning
    efter `idag`, och en journal som en annan körning bokför i längre än `vantetid` sekunder. Ett
    fel vid skrivningen (full disk …) lämnar också journalen orörd."""
    namn = _namn(sokvag) if os.fspath(sokvag) not in ("", STDIN) else "journal"
    validera_huvud(namn, utforare, ar)
    validera_bokforing(namn, bokforing, ar)
    mal = _mal(sokvag, namn)
    _rattigheter(mal, namn, bokforing.manad)
    with _lock(mal, namn, vantetid):
        stada_temporara(os.path.dirname(mal) or os.curdir, os.path.basename(mal))
        gammal = _las_bytes(mal, namn)
        rattigheter: Optional[int] = None
        if gammal is None:
            journal = Journal(utforare, ar, (), namn)
            fore = huvud(utforare, ar).encode("utf-8")
        else:
            journal = _tolka(gammal, namn)
            problem = journalproblem(journal, idag=idag)
            if problem:
                raise Journalfel(namn, f"bokför inte {bokforing.manad}: journalen håller inte ihop (se ovan); "
                                       "den är oförändrad", problem)
            if journal.utforare.casefold() != utforare.casefold():
                raise Journalfel(namn, f"journalen gäller utförare {journal.utforare}, inte {utforare}; "
                                       "den är oförändrad")
            if journal.ar != ar:
                raise Journalfel(namn, f"journalen gäller år {journal.ar}, inte {ar}; den är oförändrad")
            fore = gammal
            rattigheter = _rattigheter(mal, namn, bokforing.manad)
        text = _ordningsfel(journal, bokforing, ar)
        okanda = [p.komponent for p in bokforing.poster if not kand_komponent(p.komponent)]
        if text is None and okanda:
            text = (f"{bokforing.manad}: okänd komponent {okanda[0]!r} (en utbetalning har anslag, tillagg:RAD, "
                    "avrakning:POST eller malrelaterad:ÅÅÅÅ-QN)")
        if text is None and framtida_korning(bokforing.korning, idag):
            text = (f"{bokforing.manad}: körningens datum {bokforing.korning} ligger efter i dag "
                    f"({(idag or _dt.date.today()).isoformat()})")
        if text is not None:
            raise Journalfel(namn, text + "; journalen är oförändrad")
        foregaende = journal.kvittens() or kedja_fore_januari(journal.utforare, journal.ar)
        ny_text = fore + format_bokforing(bokforing, foregaende).encode("utf-8")
        ny = replace(journal, bokforingar=journal.bokforingar + (bokforing,))
        tolkad = _tolka(ny_text, namn)          # skrivs som läses: fångar ett fel här, inte i filen
        if tolkad != ny or journalproblem(tolkad, idag=idag):
            raise Journalfel(namn, "internt fel: blocket läses inte tillbaka som det skrevs; inget bokfördes")
        try:
            ersatt_atomiskt(mal, ny_text, rattigheter)
        except Filfel as e:
            raise Journalfel(namn, f"{visat_namn(e.orsak)}; journalen är oförändrad, inget bokfördes") from None
    return tolkad


__all__ = [
    "LOCKFIL_ANDELSE", "LOCK_VANTETID_S", "MAX_BELOPP_KR", "TITEL", "UPPGRADERA_KOMMANDO",
    "Bokforing", "Journal", "Journalfel", "Post",
    "bokfor", "bokford", "format_bokforing", "format_journal", "hash_fil", "journalproblem",
    "kedja_fore_januari", "kedjevarde", "kedjevarden", "kontrollera_indata", "kontrollera_journal",
    "kvitterad_manad", "las_journal", "las_journal_text", "las_kvittens", "problem_infor",
    "skapa_bokforing", "uppgradera",
]
