"""Parallellt arbete: modulen som startar processer för ett arbete som delas (förstarten, `forstart`,
startar sin process innan kommandot har startat).

Ett arbete delas på `processer()` processer: den här och arbetare i en
concurrent.futures.ProcessPoolExecutor, startade med fork. Två sätt:

- `kor(funktion, delar)` ger `funktion(del)` för varje del, i delarnas ordning (scenariobatchen:
  varje del av filen räknas och skrivs för sig); den första delen räknas här;
- `samla(funktion, antal)` anropar `funktion(nummer)` en gång i varje process, där `nummer` ger
  nästa lediga del (0 … antal-1) tills alla är tagna, och ger processernas resultat (CSV-räknaren:
  en räknare per process, och den process som får mindre tid av maskinen tar färre delar).

Arbetarna ärver funktionen och delarna när de startas (fork): bara delarnas nummer och resultaten
går mellan processerna (concurrent.futures picklar dem), så funktionen får vara en closure och
delarna stora objekt. Resultatet är alltid detsamma som utan arbetare: där fork saknas och med en
processor räknas allt här, och när poolen inte går att starta, en arbetare dör eller en del kastar i
en arbetare, räknas det som saknas här (ett undantag kastas då av samma del som i en process). Ett
avbrott (Ctrl-C), ett undantag här eller ett fel hos den som läser resultaten stänger poolen: det
som väntar ställs in och arbetarna dödas. Arbetarna ignorerar Ctrl-C (den här processen tar hand om
det) och avslutar sig själva om den här processen dör.

Modulen importeras bara där ett arbete delas (i funktionen som delar det), så att uppstarten inte
betalar för concurrent.futures och multiprocessing.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from vgr_ersattning.forstart import MILJOVARIABEL, arbetare  # noqa: F401 - MILJOVARIABEL: för testerna

D = TypeVar("D")
R = TypeVar("R")


# Så länge väntar den här processen högst på att arbetarna börjar innan den börjar på sin egen del
# (sekunder). Uppgifterna går till arbetarna genom poolens trådar här, och de behöver GIL:en: räknar
# den här processen redan, får de den var femte millisekund (sys.getswitchinterval) och arbetarna
# börjar 15–25 ms senare än annars.
START_S = 0.02

_FORK = "fork" in multiprocessing.get_all_start_methods()

# I en arbetare: uppgiften den ärvde och räknaren för påbörjade uppgifter (`_utfor`). None i den
# process som delar arbetet.
_uppgift: Callable[[int], Any] | None = None
_startade: _Raknare | None = None


def processer() -> int:
    """Hur många processer `kor` och `samla` delar arbetet på, den här inräknad: `arbetare()` där
    fork finns, annars 1, och alltid 1 i en arbetare (ingen pool i poolen)."""
    if not _FORK or _uppgift is not None:
        return 1
    return arbetare()


def kor(funktion: Callable[[D], R], delar: Sequence[D]) -> Iterator[R]:
    """`funktion(del)` för varje del, i delarnas ordning: den första här, resten av upp till
    `processer()` - 1 arbetare. Ett resultat ges när det och alla före det är klara. Iteratorn
    stänger poolen när den stängs eller tas bort (`contextlib.closing` för att stänga den direkt)."""
    n = min(processer(), len(delar))
    pool = _Pool.ny(lambda i: funktion(delar[i]), n - 1) if n >= 2 else None
    if pool is None:
        yield from map(funktion, delar)
        return
    nasta = 1                       # den första delen efter den här processens utan resultat
    with pool:
        framtider = pool.skicka(range(1, len(delar)))
        yield funktion(delar[0])
        for f in framtider:
            try:
                r = f.result()
            except Exception:       # en arbetare dog eller delen kastade: resten här
                pool.doda()
                break
            yield r
            nasta += 1
    for del_ in delar[nasta:]:      # en i taget: samma resultat, samma undantag
        yield funktion(del_)


def samla(funktion: Callable[[Iterator[int]], R], antal: int,
          rapport: Callable[[int], None] | None = None) -> list[R]:
    """`funktion(nummer)` en gång i var och en av upp till `processer()` processer (den här och
    arbetarna); `nummer` ger nästa lediga del, 0 … antal-1 (varje nummer till precis en av dem,
    stigande i var och en) tills alla är tagna. Ger deras resultat, det härifrån först (en process
    som inte fick någon del ger också ett). När något går fel i poolen eller `funktion` kastar här
    blir det i stället ett anrop här med alla delar i ordning.

    `rapport(klara)` får antalet färdigräknade delar medan den här processen räknar, stigande, och
    `antal` till sist."""
    if rapport is not None:
        rapport = _stigande(rapport)
    n = min(processer(), antal)
    if n >= 2:
        svar = _fordelat(funktion, antal, n, rapport)
        if svar is not None:
            if rapport is not None:
                rapport(antal)
            return svar
    return [funktion(_nummer_har(antal, rapport))]


def _fordelat(funktion: Callable[[Iterator[int]], R], antal: int, n: int,
              rapport: Callable[[int], None] | None) -> list[R] | None:
    """`samla` med n - 1 arbetare och den här processen; None när något gick fel."""
    try:
        raknare = _Raknare()
    except Exception:               # delat minne eller lås finns inte
        return None
    pool = _Pool.ny(lambda _: funktion(_nummer_delat(raknare, antal, None)), n - 1)
    if pool is None:
        return None
    with pool:
        framtider = pool.skicka(range(n - 1))
        if not framtider:
            return None
        try:
            svar = [funktion(_nummer_delat(raknare, antal, rapport))]
            svar += [f.result() for f in framtider]
        except Exception:
            pool.doda()
            return None
        return svar


def _stigande(rapport: Callable[[int], None]) -> Callable[[int], None]:
    """`rapport` för bara det som är mer än förra gången (räknas delarna om här efter ett fel i
    poolen, står förloppet still tills det nått lika långt)."""
    hogst = 0

    def stigande(klara: int) -> None:
        nonlocal hogst
        if klara > hogst:
            hogst = klara
            rapport(klara)
    return stigande


def _nummer_har(antal: int, rapport: Callable[[int], None] | None) -> Iterator[int]:
    for i in range(antal):
        yield i
        if rapport is not None:
            rapport(i + 1)


class _Raknare:
    """Två tal (för `samla`: tagna och klara delar) i minne som arbetarna delar (mmap utan fil, ärvt
    genom fork), med ett lås (multiprocessing.Lock). Billigare att skapa än multiprocessing.Array,
    som importerar ctypes."""

    def __init__(self):
        self.lock = multiprocessing.get_context("fork").Lock()
        self._minne = mmap.mmap(-1, 16)

    def __getitem__(self, i: int) -> int:
        return int.from_bytes(self._minne[8 * i:8 * i + 8], "little")

    def __setitem__(self, i: int, varde: int) -> None:
        self._minne[8 * i:8 * i + 8] = varde.to_bytes(8, "little")


def _nummer_delat(raknare: _Raknare, antal: int, rapport: Callable[[int], None] | None) -> Iterator[int]:
    """Nästa lediga del ur `raknare` tills alla är tagna. En del är klar när processen ber om nästa;
    `rapport` får då antalet klara delar i alla processer."""
    while True:
        with raknare.lock:
            i = raknare[0]
            if i >= antal:
                return
            raknare[0] = i + 1
        yield i
        with raknare.lock:
            raknare[1] += 1
            klara = raknare[1]
        if rapport is not None:
            rapport(klara)


class _Pool:
    """`n` arbetare (ProcessPoolExecutor med fork) som ärver `uppgift` (se `_starta`), och en räknare
    för påbörjade uppgifter; arbetarna startas vid den första uppgiften. Stängs när `with`-blocket är
    klart; lämnas det med ett undantag (också GeneratorExit och Ctrl-C) dödas arbetarna."""

    def __init__(self, uppgift: Callable[[int], Any], n: int):
        self.n = n
        self.startade = _Raknare()
        self.pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"), initializer=_starta,
                                        initargs=(uppgift, self.startade))

    @classmethod
    def ny(cls, uppgift: Callable[[int], Any], n: int) -> _Pool | None:
        """En pool, eller None när den inte går att skapa (delat minne, lås eller pipes saknas)."""
        try:
            return cls(uppgift, n)
        except Exception:
            return None

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, typ, *_) -> None:
        if typ is None:
            self.pool.shutdown(wait=True)
        else:
            self.doda()

    def skicka(self, uppgifter: range) -> list[Future]:
        """Uppgifterna till arbetarna; [] (och arbetarna dödade) om poolen inte startar. Väntar tills
        varje arbetare har börjat på en uppgift (högst `START_S`)."""
        try:
            framtider = [self.pool.submit(_utfor, i) for i in uppgifter]
        except Exception:
            self.doda()
            return []
        malet, slut = min(len(framtider), self.n), time.monotonic() + START_S
        while framtider and self.startade[0] < malet and time.monotonic() < slut and not framtider[0].done():
            time.sleep(0.0002)
        return framtider

    def doda(self) -> None:
        """Ställer in det som väntar och dödar arbetarna (de kan vara mitt i en del); väntar in dem."""
        arbetarna = list((getattr(self.pool, "_processes", None) or {}).values())
        for p in arbetarna:
            try:
                p.kill()
            except (OSError, ValueError, AttributeError):
                pass
        for p in arbetarna:
            try:
                p.join()
            except (OSError, ValueError, AssertionError):
                pass
        trad = getattr(self.pool, "_executor_manager_thread", None)
        ko = getattr(self.pool, "_result_queue", None)
        self.pool.shutdown(wait=False, cancel_futures=True)
        if trad is not None:
            _lossa(trad, getattr(ko, "_writer", None))
            trad.join()
        if ko is not None:
            ko.close()


def _lossa(trad: threading.Thread, skrivare: Any) -> None:
    """Arbetarna är döda. En som dödades mitt i sitt svar lämnade ett halvt meddelande i
    resultatröret, och poolens tråd (`trad`) väntar då för evigt på resten: den här processen håller
    rörets skrivände (`skrivare`) öppen, så läsningen får aldrig slut på filen. Röret fylls med
    nollor, utan att blockera, tills tråden har läst klart, inte kunnat tolka meddelandet och gett upp."""
    if skrivare is None:
        return
    try:
        fd = skrivare.fileno()
        os.set_blocking(fd, False)
    except (OSError, ValueError):
        return
    fyllnad, slut = bytes(1 << 16), time.monotonic() + 10
    while trad.is_alive() and time.monotonic() < slut:
        try:
            os.write(fd, fyllnad)
        except BlockingIOError:
            select.select([], [fd], [], 0.01)
        except OSError:
            return


def _starta(uppgift: Callable[[int], Any], startade: _Raknare) -> None:
    """En arbetares början (ärvt genom fork, inget picklas): uppgiften, Ctrl-C till den som delade
    arbetet, inga standardströmmar (inget som låg i deras buffertar när processen skapades skrivs
    två gånger när den avslutas), och en vakt som avslutar arbetaren om den som delade arbetet dör."""
    global _uppgift, _startade
    _uppgift, _startade = uppgift, startade
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout = sys.stderr = None      # type: ignore[assignment]
    foralder = multiprocessing.parent_process()
    if foralder is not None:
        threading.Thread(target=_vakta, args=(foralder,), daemon=True).start()


def _vakta(foralder) -> None:
    foralder.join()
    os._exit(1)


def _utfor(i: int) -> Any:
    """Körs i en arbetare: uppgiften för del (eller arbetare) `i`."""
    assert _uppgift is not None and _startade is not None
    with _startade.lock:
        _startade[0] += 1
    return _uppgift(i)


class DeladTabell:
    """Heltal som processerna `kor` startar delar med den här (minne som ärvs vid fork): `storlek`
    platser om 16 byte, talet och talet XOR `_KONTROLL`. En plats som aldrig skrivits (nollor), eller
    som läses medan en annan process skriver den, stämmer inte och är tom: `hamta` ger None, aldrig
    ett halvskrivet tal. Sidor som ingen rör tar inget minne."""

    _KONTROLL = 0x5A5A_F00D_1234_8765

    def __init__(self, storlek: int):
        self.storlek = storlek
        self._minne = mmap.mmap(-1, max(16, 16 * storlek))
        self._tal = memoryview(self._minne).cast("q")

    def hamta(self, i: int) -> int | None:
        if not 0 <= i < self.storlek:
            return None
        tal, kontroll = self._tal[2 * i], self._tal[2 * i + 1]
        return tal if tal ^ self._KONTROLL == kontroll else None

    def spara(self, i: int, tal: int) -> None:
        if 0 <= i < self.storlek and -(1 << 63) <= tal < (1 << 63):
            self._tal[2 * i + 1] = 0                # tom medan talet skrivs
            self._tal[2 * i] = tal
            self._tal[2 * i + 1] = tal ^ self._KONTROLL
