"""Standard ut som är en vanlig fil, för `utskrift.Utdata`: utdata skrivs direkt i den (i stället för
till en temporär fil som sedan kopieras), och filen kortas till där den stod om kommandot inte blir
klart – vid ett fel och Ctrl-C (`Utdata.kasta`) och vid SIGTERM och SIGHUP (`kortas_vid_signal`).

Modulen importerar bara standardbiblioteket.
"""

from __future__ import annotations

import os
import signal
import sys


def oppna() -> tuple[int, int] | None:
    """(en kopia av standard uts filbeskrivare, dess position) när standard ut är en vanlig fil som
    inte är öppnad för tillägg (`>>`: andra kan skriva till samma fil), står vid sitt slut (inget
    efter positionen som ett fel skulle korta bort, som med `1<>FIL`); det som redan skrivits till
    sys.stdout kommer först. Annars None."""
    try:
        import fcntl
        import stat

        fd = sys.stdout.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode) or fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND:
            return None
        sys.stdout.flush()
        kopia = os.dup(fd)
    except (ImportError, OSError, ValueError, AttributeError):   # io.UnsupportedOperation är en OSError
        return None
    try:
        start = os.lseek(kopia, 0, os.SEEK_CUR)
        if start == os.fstat(kopia).st_size:
            return kopia, start
    except OSError:
        pass
    os.close(kopia)
    return None


def kortas_vid_signal(fd: int, start: int) -> list:
    """SIGTERM och SIGHUP (som `timeout`, systemd och en avbruten CI-körning skickar) medan utdata
    skrivs direkt i standard ut som fil (`utskrift.Utdata`): filen kortas till `start`, och sedan avslutas
    processen av signalen som förut. Bara i den här processen (en arbetare som startats med fork ärver
    hanteraren men rör inte filen), bara i huvudtråden och bara för en signal som har sitt
    standardbeteende (inte en som ignoreras, som SIGHUP under nohup). Ger de tidigare hanterarna."""
    pid, tidigare = os.getpid(), []

    def vid_signal(signum, frame) -> None:
        if os.getpid() == pid:
            try:
                os.ftruncate(fd, start)
            except OSError:
                pass
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for namn in ("SIGTERM", "SIGHUP"):
        nummer = getattr(signal, namn, None)
        try:
            if nummer is not None and signal.getsignal(nummer) is signal.SIG_DFL:
                signal.signal(nummer, vid_signal)
                tidigare.append((nummer, signal.SIG_DFL))
        except (OSError, ValueError):       # inte huvudtråden
            pass
    return tidigare


def aterstall(tidigare: list) -> None:
    """Hanterarna före `kortas_vid_signal`."""
    while tidigare:
        nummer, hanterare = tidigare.pop()
        try:
            signal.signal(nummer, hanterare)
        except (OSError, ValueError):
            pass
