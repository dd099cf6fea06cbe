"""Förstarten: ett stort utfall börjar läsas innan kommandot har startat.

Ett kommando lägger ~0,2 s på att starta (Typer, pydantic, uppdraget) innan det läser `--utfall`.
Med två processorer kan den tiden användas: konsolskriptet (`konsol.main`) anropar `starta(argv)`
före allt annat, och är `--utfall` en vanlig fil som är stor nog startas en process (fork) som börjar
läsa den direkt (också standard in som är en vanlig fil, `< FIL`, som läsaren läser som en sökväg),
med samma funktioner som läsaren sedan använder:

- en CSV-fil (`utfall.csvdelar.forstart_csv`): processen läser rubriken, delar filen som
  snabbvägen gör och börjar räkna delarna; när läsaren kommer dit tar den nästa lediga del (`Barn.delar`)
  och slår sedan ihop räkningarna (`utfall.snabb`);
- en arbetsbok (`utfall.xlsxblad.forstart_xlsx`): processen läser bladet med calamine (under samma
  minnestak som en arbetare) och räknar de distinkta raderna, medan läsaren granskar bladet
  (`utfall.xlsx`).

Förstarten ändrar aldrig ett resultat, bara när arbetet görs: läsaren använder processen bara när
dess nyckel (filens enhet, inod, storlek och ändringstid, och det som bestämmer delarna eller bladet)
är densamma som läsarens egen (`ta`); annars, och när kommandot inte läser filen, dödas processen när
kommandot slutar. Dör processen räknar läsaren det som saknas själv. Processen skriver inget, ignorerar
Ctrl-C och avslutas med os._exit. Den startar inte med en processor (`arbetare`), utan fork, för små
filer, med `--help` eller när `--utfall` inte är en vanlig fil; för en CSV-fil bara med precis två
processorer (med fler räknar snabbvägen med en arbetare per processor, `parallell.samla`).

Modulen importerar bara standardbiblioteket och inget tungt: den körs av varje kommando. Det processen
behöver importeras först när den startas, före fork (`_arbetet`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# Antalet processer i stället för processorerna (för mätningar och tester): 1 delar inget.
MILJOVARIABEL = "VGR_ERSATTNING_ARBETARE"

# Från de här storlekarna lönar det sig (under dem kostar processen mer än den sparar): en CSV-fil
# från CSV_FRAN byte räknas av flera processer (`utfall.snabb`), en arbetsbok
# läses av calamine i en egen.
CSV_FRAN = 8 * 1024 * 1024
XLSX_FRAN = 128 * 1024

# Så länge väntar läsaren högst på processens nyckel (sekunder): den läser bara filens början.
NYCKEL_S = 10.0

ZIP_BORJAN = b"PK\x03\x04"       # som `inlasning.kallor.ZIP_BORJAN` (den modulen är för tung att importera här)


class _Dog:
    """`Barn.resultat()` när processen dog innan den lämnat sitt resultat."""

    def __repr__(self) -> str:
        return "DOG"


DOG = _Dog()


def arbetare() -> int:
    """Processorerna den här processen får köra på (affiniteten: taskset, cgroup-gränser), annars
    alla; `VGR_ERSATTNING_ARBETARE` (ett heltal ≥ 1) går före."""
    varde = os.environ.get(MILJOVARIABEL, "").strip()
    if varde.isdigit() and varde.isascii() and int(varde) >= 1:
        return int(varde)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Kanal:
    """Processens sida: nyckeln först (`nyckel`), sedan resultatet (`resultat`), som längd och pickle
    i resultatröret; delarna (`dela_ut`) som en byte var i delröret, som båda processerna tar ur."""

    def __init__(self, ut: int, delar_in: int, delar_ut: int):
        self._ut, self._in, self._delar_ut = ut, delar_in, delar_ut

    def _skicka(self, varde: object) -> None:
        import pickle

        data = pickle.dumps(varde, protocol=pickle.HIGHEST_PROTOCOL)
        data = len(data).to_bytes(8, "little") + data
        vy = memoryview(data)
        while vy:
            vy = vy[os.write(self._ut, vy):]

    def dela_ut(self, antal: int) -> None:
        """Delarna 0 … antal-1 i delröret (en skrivning: under PIPE_BUF, så den är odelbar)."""
        os.write(self._delar_ut, bytes(range(antal)))
        os.close(self._delar_ut)

    def nyckel(self, nyckel: object) -> None:
        """Processens nyckel (None: den förstår inte filen och gör inget mer)."""
        self._skicka(nyckel)

    def delar(self):
        return _ta_delar(self._in)

    def resultat(self, varde: object) -> None:
        self._skicka(varde)


def _ta_delar(fd: int):
    """Nästa lediga del ur delröret tills det är tomt (stigande: röret ger dem i ordning)."""
    while True:
        try:
            b = os.read(fd, 1)
        except BlockingIOError:
            return
        if not b:
            return
        yield b[0]


class Barn:
    """Förstartens process, sedd härifrån."""

    def __init__(self, pid: int, uppgift: str, resultat_in: int, delar_in: int, liv: int):
        self.pid, self.uppgift = pid, uppgift
        self.foralder = os.getpid()       # (en process som startas med fork härifrån rör den inte)
        self._in, self._delar, self._liv = resultat_in, delar_in, liv
        self._klar = False

    def _las(self, timeout: float | None = None) -> object:
        """Nästa meddelande, eller DOG (processen dog, eller svarade inte inom `timeout`)."""
        import pickle

        if timeout is not None:
            import select

            if not select.select([self._in], [], [], timeout)[0]:
                return DOG
        langd = self._exakt(8)
        if langd is None:
            return DOG
        data = self._exakt(int.from_bytes(langd, "little"))
        if data is None:
            return DOG
        return pickle.loads(data)

    def _exakt(self, n: int) -> bytes | None:
        """Precis n byte ur resultatröret, eller None när det tar slut före dem."""
        delar = []
        while n:
            bit = os.read(self._in, min(n, 1 << 20))
            if not bit:
                return None
            delar.append(bit)
            n -= len(bit)
        return b"".join(delar)

    def nyckel(self) -> object:
        return self._las(NYCKEL_S)

    def delar(self):
        """Nästa lediga del tills alla är tagna (av den här processen eller förstartens)."""
        return _ta_delar(self._delar)

    def resultat(self) -> object:
        """Processens resultat (väntar tills den är klar), eller DOG."""
        try:
            return self._las()
        finally:
            self.avbryt()

    def avbryt(self) -> None:
        """Processen dödas (om den lever) och väntas in; rören stängs."""
        if self._klar:
            return
        self._klar = True
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        for fd in (self._in, self._delar, self._liv):
            try:
                os.close(fd)
            except OSError:
                pass


_barn: Barn | None = None


def har_barn(uppgift: str) -> bool:
    """Om en förstartens process för `uppgift` väntar på att tas (`ta`; dess nyckel är ännu inte prövad)."""
    return _barn is not None and _barn.uppgift == uppgift and _barn.foralder == os.getpid()


def ta(uppgift: str, nyckel: Callable[[], object]) -> Barn | None:
    """Förstartens process för `uppgift` (`csv`, `xlsx`) när dess nyckel är läsarens, `nyckel()`
    (som bara räknas ut när det finns en sådan process), en gång; annars None (och en process med en
    annan nyckel dödas)."""
    global _barn
    barn = _barn
    if barn is None or not har_barn(uppgift):
        return None
    try:
        lika = barn.nyckel() == nyckel()
    except BaseException:       # Ctrl-C medan nyckeln väntas, en fil som inte går att läsa: ingen process kvar
        avsluta()
        raise
    _barn = None
    if not lika:
        barn.avbryt()
        return None
    return barn


def avsluta() -> None:
    """En process som ingen tagit dödas (när kommandot slutar)."""
    global _barn
    if _barn is not None and _barn.foralder == os.getpid():
        _barn.avbryt()
        _barn = None


def _vakta(liv: int) -> None:
    """I förstartens process: avslutar den när livröret tar slut (processen som startade den är borta)."""
    try:
        while os.read(liv, 1):
            pass
    except OSError:
        pass
    os._exit(0)


def _utfallet(argv: list[str]) -> tuple[str | None, str | None]:
    """`--utfall FIL` (den första) och `--blad NAMN` ur argumenten; (None, None) med `--help`."""
    sokvag = blad = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            break
        if a in ("--help", "-h"):
            return None, None
        for flagga in ("--utfall", "--blad"):
            varde = None
            if a == flagga and i + 1 < len(argv):
                varde = argv[i + 1]
                i += 1
            elif a.startswith(flagga + "="):
                varde = a[len(flagga) + 1:]
            if varde is not None:
                if flagga == "--utfall" and sokvag is None:
                    sokvag = varde
                elif flagga == "--blad":
                    blad = varde
        i += 1
    return sokvag, blad


def starta(argv: list[str]) -> None:
    """Startar förstartens process när `argv` läser ett stort utfall (se modulen). Gör ingenting
    annars, och aldrig något som stoppar kommandot."""
    global _barn
    if _barn is not None or not hasattr(os, "fork") or not hasattr(os, "pread"):
        return
    fd, ror = None, []
    try:
        sokvag, blad = _utfallet(argv)
        if sokvag is None:
            return
        import stat

        if sokvag == "-":
            # Standard in som är en vanlig fil som ingen läst ur (`< FIL`) läses som en sökväg.
            st = os.fstat(0)
            if not stat.S_ISREG(st.st_mode) or os.lseek(0, 0, os.SEEK_CUR) != 0:
                return
        else:
            st = os.stat(sokvag)
        if not stat.S_ISREG(st.st_mode) or st.st_size < XLSX_FRAN or arbetare() < 2:
            return
        fd = os.dup(0) if sokvag == "-" else os.open(sokvag, os.O_RDONLY)
        uppgift = "xlsx" if os.pread(fd, 4, 0) == ZIP_BORJAN else "csv"
        if uppgift == "csv" and (st.st_size < CSV_FRAN or arbetare() != 2):
            os.close(fd)
            return          # (med fler processorer räknar snabbvägen med en arbetare per processor)
        arbete = _arbetet(uppgift, blad)
        import atexit

        atexit.register(avsluta)
        for _ in range(3):
            ror.extend(os.pipe())
        resultat_in, resultat_ut, delar_in, delar_ut, liv_in, liv_ut = ror
        os.set_blocking(delar_in, False)
        pid = os.fork()
    except Exception:           # noqa: BLE001 - förstarten är en genväg: utan den läses filen som vanligt
        for f in ([fd] if fd is not None else []) + ror:
            try:
                os.close(f)
            except OSError:
                pass
        return
    if pid == 0:
        _i_processen(arbete, fd, resultat_in, resultat_ut, delar_in, delar_ut, liv_in, liv_ut)
    _barn = Barn(pid, uppgift, resultat_in, delar_in, liv_ut)
    for f in (fd, resultat_ut, delar_ut, liv_in):
        os.close(f)


def _arbetet(uppgift: str, blad: str | None) -> Callable[[int, Kanal], None]:
    """Processens uppgift, `arbete(fd, kanal)`, importerad här före fork, med det processen och `Barn`
    använder: kommandot importerar samma moduler ändå när det läser filen, och så importeras de en
    gång. (Importerade processen dem själv skulle båda processerna lägga ~14 ms på samma moduler
    samtidigt, och processen börja räkna så mycket senare.)"""
    import pickle  # noqa: F401 - resultatet (`Kanal`, `Barn`)
    import signal  # noqa: F401
    import threading  # noqa: F401

    if uppgift == "csv":
        from vgr_ersattning.inlasning.utfall.csvdelar import forstart_csv

        return forstart_csv
    from vgr_ersattning.inlasning.utfall.xlsxblad import forstart_xlsx

    return lambda fd, kanal: forstart_xlsx(fd, blad, kanal)


def _i_processen(arbete: Callable[[int, Kanal], None], fd: int, resultat_in: int, resultat_ut: int,
                 delar_in: int, delar_ut: int, liv_in: int, liv_ut: int) -> None:
    """Förstartens process: gör uppgiften och avslutas (os._exit), vad som än händer, också när
    processen som startade den dör (livröret: den håller dess skrivände, och en tråd här får slut på
    filen när den är borta)."""
    try:
        import gc
        import signal
        import threading

        gc.disable()                # en kort process som inte skapar cykler
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.close(resultat_in)
        os.close(liv_ut)
        threading.Thread(target=_vakta, args=(liv_in,), daemon=True).start()
        tyst = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):
            os.dup2(tyst, standard)
        os.close(tyst)
        arbete(fd, Kanal(resultat_ut, delar_in, delar_ut))
    except BaseException:       # noqa: BLE001, S110 - processen lämnar inget resultat: läsaren räknar själv
        pass
    finally:
        os._exit(0)
