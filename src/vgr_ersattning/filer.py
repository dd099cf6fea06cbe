"""Filer: att skriva utan att någon ser en halv fil, utan att skriva över, och operativsystemets fel
på svenska.

- `skriv_ny(mal, data)` skriver en ny fil: en temporär fil i målets katalog (`.NAMN.<12 hex>.tmp`,
  skapad med `O_EXCL | O_NOFOLLOW`, läge 0666 minus umask som `open(..., "w")`), fsync, sedan en
  hård länk till målet. En läsare ser aldrig en halvskriven fil, och en befintlig fil skrivs
  aldrig över (även om den skapats efter kontrollen: länken misslyckas då). Den temporära filen
  tas alltid bort, även vid Ctrl-C.
- `Forberedd(mal, data)` är samma skrivning i två steg: den temporära filen skrivs och synkas nu,
  och `publicera()` länkar in den senare (eller `kasta()` tar bort den). Så kan en körning veta att
  rapporten går att skriva innan den gör något som inte går att ta tillbaka.
- `ersatt_atomiskt(mal, data)` byter ut en befintlig fil atomiskt (`os.replace`): den gamla eller
  den nya, aldrig en blandning. För journalen, som anroparen låser.
- Varje fel är `Filfel`, vars text är en svensk rad som namnger filen; operativsystemets engelska
  feltexter visas aldrig. `orsak`/`meddelande` ger texten för ett fel vid skrivning,
  `orsak_vid_lasning` för ett fel vid läsning, ur samma tabell.
- `kopiera(fil, langd, skriv)` och `skicka(ut, fd, start, langd)` kopierar byte ur en fil: genom
  Python i block om 1 MiB, eller i kärnan med `os.sendfile`.

Modulen importerar bara standardbiblioteket.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from typing import Union

Sokvag = Union[str, "os.PathLike[str]"]

# --- felen på svenska ---------------------------------------------------------------------------

# errno-namn → (orsak vid skrivning, orsak vid läsning). None: samma som vid skrivning. Namn som
# plattformen saknar hoppas över.
_OS_FEL: dict[str, tuple[str, str | None]] = {
    "ENOSPC": ("disken är full", None),
    "EDQUOT": ("diskkvoten är slut", None),
    "EFBIG": ("filen blir större än gränsen för filstorlek", None),
    "EACCES": ("behörighet saknas", "saknar behörighet att läsa filen"),
    "EPERM": ("åtgärden är inte tillåten", "saknar behörighet att läsa filen"),
    "ENOENT": ("filen eller katalogen finns inte", "filen finns inte"),
    "ENOTDIR": ("en del av sökvägen är inte en katalog", None),
    "EISDIR": ("är en katalog; ange ett filnamn", "är en katalog, inte en fil"),
    "EROFS": ("filsystemet är skrivskyddat", None),
    "ENAMETOOLONG": ("filnamnet är för långt", "sökvägen är för lång"),
    "ELOOP": ("för många symboliska länkar i sökvägen", None),
    "EIO": ("in- eller utmatningsfel på enheten", "läsfel i filsystemet (EIO)"),
    "EMFILE": ("för många öppna filer", None),
    "ENFILE": ("för många öppna filer i systemet", "för många öppna filer"),
    "ENOMEM": ("minnet räcker inte", None),
    "EBUSY": ("enheten eller filen är upptagen", None),
    "ETXTBSY": ("filen är upptagen", None),
    "ENXIO": ("enheten finns inte", "filen går inte att öppna (ingen enhet)"),
    "ENODEV": ("enheten finns inte", None),
    "ESTALE": ("nätverksfilen är inte längre tillgänglig", None),
    "EINVAL": ("ogiltigt filnamn eller ogiltig åtgärd för filsystemet", None),
    "EMLINK": ("katalogen har för många länkar", None),
    "EXDEV": ("filen kan inte flyttas mellan filsystem", None),
    "EPIPE": ("läsaren har stängt", None),
    "EAGAIN": ("enheten är tillfälligt upptagen", None),
    "EINTR": ("skrivningen avbröts", None),
    "EBADF": ("filen är inte öppen", "filen är inte öppen för läsning"),
}
ORSAK: dict[int, str] = {getattr(errno, n): s for n, (s, _) in _OS_FEL.items() if hasattr(errno, n)}
ORSAK_VID_LASNING: dict[int, str] = {getattr(errno, n): (las or s) for n, (s, las) in _OS_FEL.items()
                                     if hasattr(errno, n)}

FINNS_REDAN = "finns redan; välj ett nytt filnamn (befintliga filer skrivs aldrig över)"

# Fel från os.link när filsystemet inte har hårda länkar (FAT, vissa nätverks- och FUSE-system).
INGA_HARDA_LANKAR: frozenset[int] = frozenset(
    getattr(errno, n) for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK", "EXDEV") if hasattr(errno, n))

_TEMPORAR = re.compile(r"\.(?P<namn>.+)\.[0-9a-f]{12}\.tmp")


def _errnonamn(e: OSError) -> str:
    return errno.errorcode.get(e.errno, str(e.errno)) if e.errno is not None else type(e).__name__


def orsak(e: OSError, allmant: str = "kunde inte skriva") -> str:
    """Felets orsak vid skrivning på svenska, utan filnamn. Okända fel: `allmant` och errno-namnet."""
    if e.errno in ORSAK:
        return ORSAK[e.errno]
    return f"{allmant} ({_errnonamn(e)})"


def orsak_vid_lasning(e: OSError) -> str:
    """Felets orsak när en fil öppnas eller läses, på svenska och utan filnamn."""
    if e.errno in ORSAK_VID_LASNING:
        return ORSAK_VID_LASNING[e.errno]
    kod = errno.errorcode.get(e.errno or 0, "")
    return f"filen kan inte läsas (felkod {kod or e.errno})"


def meddelande(namn: str, e: OSError, allmant: str = "kunde inte skriva") -> str:
    """En rad till användaren: `rapport.json: disken är full`."""
    if e.errno == errno.EEXIST:
        return f"{namn} {FINNS_REDAN}"
    return f"{namn}: {orsak(e, allmant)}"


class Filfel(Exception):
    """En fil kunde inte skrivas. `str(e)` är en svensk rad, `namn: orsak` (eller `namn finns
    redan; …`); `orsak` är raden utan namnet och `errno` felkoden när felet kom från
    operativsystemet."""

    def __init__(self, namn: str, orsak: str, errno_: int | None = None):
        self.namn = namn
        self.orsak = orsak
        self.errno = errno_
        self.meddelande = f"{namn} {orsak}" if orsak == FINNS_REDAN else f"{namn}: {orsak}"
        super().__init__(self.meddelande)

    def __str__(self) -> str:
        return self.meddelande


def _filfel(namn: str, e: OSError) -> Filfel:
    if e.errno == errno.EEXIST:
        return Filfel(namn, FINNS_REDAN, e.errno)
    return Filfel(namn, orsak(e), e.errno)


# --- byggstenarna ---------------------------------------------------------------------------------


def synka_katalog(katalog: str) -> None:
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


def skapa_temporar(katalog: str, namn: str) -> tuple[int, str]:
    """En ny temporär fil `.NAMN.<12 hex>.tmp` i `katalog`, öppnad för skrivning: (fd, sökväg).
    Skapas med `O_EXCL | O_NOFOLLOW` och läge 0666, så att kärnan drar av umask (och tillämpar
    katalogens standard-ACL) precis som för `open(..., "w")`; mkstemp ger alltid 0600. Kastar
    `OSError`."""
    flaggor = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    for _ in range(100):
        tmp = os.path.join(katalog, f".{namn[:100]}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flaggor, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "ingen ledig temporär fil", katalog)


def skriv_alla(fd: int, data: bytes) -> None:
    """Skriver alla byte (os.write kan skriva bara en del)."""
    vy = memoryview(data)
    while vy:
        n = os.write(fd, vy)
        vy = vy[n:]


def lanka_utan_att_skriva_over(tmp: str, mal: str) -> None:
    """Gör den färdiga temporära filen till målet. `os.link` misslyckas om målet finns (även om det
    skapats efter kontrollen): en befintlig fil skrivs aldrig över (`FileExistsError`). Den
    temporära filen finns kvar efteråt (som en andra länk); anroparen tar bort den."""
    try:
        os.link(tmp, mal)
        return
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in INGA_HARDA_LANKAR:
            raise
    # Utan hårda länkar: os.rename skriver inte över i Windows; i POSIX finns ett litet fönster
    # mellan kontrollen och namnbytet.
    if os.path.lexists(mal):
        raise FileExistsError(errno.EEXIST, "finns redan", mal)
    os.rename(tmp, mal)


def flytta_in_katalog(tmp: str, mal: str) -> None:
    """En färdig temporär katalog blir katalogen `mal`, som inte får finnas (`os.rename` ersätter
    bara en tom katalog, och `mal` kontrolleras av den som anropar); katalogposten synkas. Kastar
    `OSError` (EEXIST eller ENOTEMPTY när någon annan hann skapa `mal`)."""
    os.rename(tmp, mal)
    synka_katalog(os.path.dirname(os.fspath(mal)) or os.curdir)


def stada_temporara(katalog: str, namn: str) -> None:
    """Tar bort temporära filer (`.NAMN.<12 hex>.tmp`) som en avbruten skrivning av `namn` lämnat.
    Anropas bara under ett lås som hindrar att någon annan skriver `namn` samtidigt."""
    try:
        poster = os.listdir(katalog)
    except OSError:
        return
    for n in poster:
        m = _TEMPORAR.fullmatch(n)
        if m and m.group("namn") == namn[:100]:
            try:
                os.unlink(os.path.join(katalog, n))
            except OSError:
                pass


def _ta_bort(tmp: str | None) -> None:
    if tmp is None:
        return
    try:
        os.unlink(tmp)
    except OSError:
        pass


def temporar_bredvid(mal: str) -> tuple[int, str]:
    """En temporär fil bredvid `mal`, eller `Filfel` med en svensk rad om katalogen."""
    katalog = os.path.dirname(mal) or os.curdir
    try:
        return skapa_temporar(katalog, os.path.basename(mal))
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise Filfel(mal, f"katalogen {katalog} finns inte; skapa den först", e.errno) from None
        if e.errno in (errno.EACCES, errno.EPERM):
            raise Filfel(mal, f"behörighet saknas att skapa filer i katalogen {katalog}", e.errno) from None
        raise _filfel(mal, e) from None


# --- målet ----------------------------------------------------------------------------------------


def _slutar_med_avgransare(text: str) -> bool:
    return text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep))


def kontrollera_mal(ut: Sokvag) -> None:
    """Vägrar ett mål som inte kan bli en ny fil, innan något räknas ut: en katalog (även `ny/`
    med avslutande snedstreck), en befintlig fil, en saknad katalog. Kastar `Filfel`."""
    text = os.fspath(ut)
    if text == "":
        raise Filfel("--ut", "ange ett filnamn")
    if os.path.isdir(text):
        raise Filfel(text, "är en katalog; ange ett filnamn")
    if _slutar_med_avgransare(text):
        raise Filfel(text, "anger en katalog (slutar med snedstreck); ange ett filnamn")
    if os.path.lexists(text):
        raise Filfel(text, FINNS_REDAN, errno.EEXIST)
    katalog = os.path.dirname(text) or os.curdir
    if not os.path.isdir(katalog):
        if os.path.lexists(katalog) and not os.path.exists(katalog):
            raise Filfel(text, f"katalogen {katalog} är en trasig symbolisk länk")
        if os.path.exists(katalog):
            raise Filfel(text, f"{katalog} är inte en katalog")
        raise Filfel(text, f"katalogen {katalog} finns inte; skapa den först")


# --- skrivningarna --------------------------------------------------------------------------------


class Forberedd:
    """En ny fil som är skriven men inte synlig än: konstruktorn vägrar samma mål som
    `kontrollera_mal` och skriver och synkar en temporär fil i målets katalog; `publicera()`
    länkar in den som målet (skriver aldrig över) och synkar katalogen; `kasta()` tar bort den.
    Efter `publicera()` eller `kasta()` finns ingen temporär fil kvar. Som `with`-block kastas
    filen om blocket slutar utan att den publicerats. Fel är `Filfel`."""

    def __init__(self, mal: Sokvag, data: bytes):
        self.mal = os.fspath(mal)
        kontrollera_mal(self.mal)
        fd, tmp = temporar_bredvid(self.mal)
        self._tmp: str | None = tmp
        try:
            try:
                skriv_alla(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            self.kasta()
            raise _filfel(self.mal, e) from None
        except BaseException:
            self.kasta()
            raise

    @property
    def temporar(self) -> str | None:
        """Den temporära filens sökväg, None när den publicerats eller kastats."""
        return self._tmp

    def publicera(self) -> None:
        if self._tmp is None:
            raise Filfel(self.mal, "är redan publicerad eller kastad")
        try:
            lanka_utan_att_skriva_over(self._tmp, self.mal)
        except OSError as e:
            raise _filfel(self.mal, e) from None
        finally:
            # Efter länken är den temporära filen en andra länk till målet, före länken det enda
            # som finns: den tas bort i båda fallen.
            self.kasta()
        synka_katalog(os.path.dirname(self.mal) or os.curdir)

    def kasta(self) -> None:
        tmp, self._tmp = self._tmp, None
        _ta_bort(tmp)

    def __enter__(self) -> Forberedd:
        return self

    def __exit__(self, typ, varde, tb) -> None:
        self.kasta()


def skriv_ny(mal: Sokvag, data: bytes) -> None:
    """Skriver `data` till den nya filen `mal` atomiskt utan att skriva över (se modulen). Kastar
    `Filfel`; då finns varken målet eller någon temporär fil."""
    Forberedd(mal, data).publicera()


def ersatt_atomiskt(mal: Sokvag, data: bytes, rattigheter: int | None = None) -> None:
    """Byter ut `mal` mot `data` atomiskt: temporär fil bredvid, fsync, `os.replace`, katalogen
    synkas. `rattigheter` (t.ex. den gamla filens) sätts på den nya filen. Ett fel före namnbytet
    (`Filfel`) lämnar `mal` orörd och ingen temporär fil; ett fel vid synkningen av katalogen
    efter namnbytet ignoreras. `mal` ska vara den verkliga filen (inte en symbolisk länk)."""
    mal = os.fspath(mal)
    fd, tmp = temporar_bredvid(mal)
    kvar: str | None = tmp
    try:
        try:
            skriv_alla(fd, data)
            if rattigheter is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, rattigheter)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, mal)
        kvar = None
    except OSError as e:
        raise _filfel(mal, e) from None
    finally:
        _ta_bort(kvar)
    synka_katalog(os.path.dirname(mal) or os.curdir)


__all__ = [
    "FINNS_REDAN",
    "INGA_HARDA_LANKAR",
    "ORSAK",
    "ORSAK_VID_LASNING",
    "Filfel",
    "Forberedd",
    "ersatt_atomiskt",
    "kontrollera_mal",
    "lanka_utan_att_skriva_over",
    "meddelande",
    "orsak",
    "orsak_vid_lasning",
    "skapa_temporar",
    "skriv_alla",
    "skriv_ny",
    "stada_temporara",
    "synka_katalog",
]


# --- att kopiera byte ----------------------------------------------------------------------------


def kopiera(fil, langd: int, skriv) -> None:
    """`langd` byte ur den binära filen `fil` från dess position till `skriv`, 1 MiB i taget."""
    while langd:
        bit = fil.read(min(langd, 1 << 20))
        if not bit:
            raise ValueError("filen tog slut för tidigt")
        skriv(bit)
        langd -= len(bit)


def skicka(ut: int, fd: int, start: int, langd: int) -> bool:
    """`langd` byte ur `fd` från `start` till `ut` med `os.sendfile`. False när det inte går och inget
    skrivits (plattformen saknar sendfile, `ut` tar inte emot det); andra fel blir OSError."""
    sendfile = getattr(os, "sendfile", None)
    if sendfile is None:
        return False
    skickat = 0
    while skickat < langd:
        try:
            n = sendfile(ut, fd, start + skickat, langd - skickat)
        except BlockingIOError:      # icke-blockerande och full: vänta lite och försök igen
            time.sleep(0.001)
            continue
        except OSError as e:
            if skickat == 0 and e.errno in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
                return False
            raise
        if n == 0:                   # filen blev kortare: ett fel, inte en halv utdata utan besked
            raise OSError(errno.EIO, f"den temporära filen tog slut efter {skickat} av {langd} byte")
        skickat += n
    return True
