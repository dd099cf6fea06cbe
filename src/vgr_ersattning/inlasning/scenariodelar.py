"""Stora CSV-scenariofiler i delar (`kommandon.scenario` räknar dem i flera processer) och namnen som
inleder scenarier (`Namnlogg`), som den strömmande läsaren (`inlasning.scenarier.Scenarioflode`)
minns utan att minnet växer med batchen."""

from __future__ import annotations

import os
import stat
import tempfile
from array import array

from vgr_ersattning.inlasning.kallor import STDIN

CSV_KOLUMNER = ("namn", "id", "falt", "satt", "andra")
MAX_CSV_BYTE = 256 * 1024 * 1024

# Namnloggens fack (hashvärdets låga bitar) och hur många hashvärden den håller i minnet innan de skrivs
# till sin fil.
FACK = 64
NAMN_I_MINNET = 1 << 15


class Namnlogg:
    """Namnen som inleder ett scenario i en strömmande läsning, som hashvärden (`hash`: samma i de
    processer `parallell` startar med fork), i `FACK` fack efter de låga bitarna. Högst
    `NAMN_I_MINNET` hålls i minnet; sedan skrivs facken till loggens fil (`fil`, eller en namnlös
    temporär fil), så minnet inte växer med batchen. `aterkommer` läser facken ett i taget: ett namn
    som inleder två scenarier ger samma hash två gånger (två namn med samma hash ger en onödig men
    riktig omstart)."""

    def __init__(self, fil: str | None = None):
        self.fack = [array("q") for _ in range(FACK)]
        self.i_minnet, self.hogst = 0, NAMN_I_MINNET
        self._sokvag, self._fil = fil, None
        self._delar: list[tuple[int, int, int]] = []        # (fack, byte i filen, antal)

    def lagg_till(self, namn: str) -> None:
        h = hash(namn)
        self.fack[h & (FACK - 1)].append(h)
        self.i_minnet += 1
        if self.i_minnet >= self.hogst:
            self.tom()

    def lagg_till_alla(self, namn: list[str]) -> None:
        """`lagg_till` för varje namn (ett block scenarier i taget)."""
        fack = self.fack
        for h in map(hash, namn):
            fack[h & (FACK - 1)].append(h)
        self.i_minnet += len(namn)
        if self.i_minnet >= self.hogst:
            self.tom()

    def tom(self) -> None:
        """Facken i minnet till filen."""
        self.i_minnet = 0
        if not any(self.fack):
            return
        if self._fil is None:
            self._fil = open(self._sokvag, "w+b") if self._sokvag else tempfile.TemporaryFile()  # noqa: SIM115
        f = self._fil
        f.seek(0, os.SEEK_END)
        for i, a in enumerate(self.fack):
            if a:
                self._delar.append((i, f.tell(), len(a)))
                a.tofile(f)
                del a[:]
        f.flush()

    def stang(self) -> tuple[str | None, list[tuple[int, int, int]]]:
        """Allt till filen, som stängs: (filens sökväg, delarna) för `aterkommer` i en annan process."""
        self.tom()
        if self._fil is not None:
            self._fil.close()
            self._fil = None
        return self._sokvag, self._delar

    def aterkommer(self) -> bool:
        """Om ett namn inleder två scenarier (eller två namn har samma hash) i den här loggen."""
        if self._fil is None:
            return any(len(set(a)) < len(a) for a in self.fack)
        self.tom()
        return _aterkommer([(self._fil, self._delar)])

    @staticmethod
    def aterkommer_i(loggar: list[tuple[str | None, list[tuple[int, int, int]]]]) -> bool:
        """Om ett namn inleder två scenarier i loggarna tillsammans (`stang()` ur varje)."""
        filer = []
        try:
            for sokvag, delar in loggar:
                if delar:
                    filer.append((open(sokvag, "rb"), delar))  # type: ignore[arg-type]  # noqa: SIM115
            return _aterkommer(filer)
        finally:
            for f, _ in filer:
                f.close()


def _aterkommer(filer) -> bool:
    """Ett fack i taget ur filerna: ett hashvärde två gånger?"""
    for fack in range(FACK):
        sett: set[int] = set()
        antal = 0
        for f, delar in filer:
            for i, byte, n in delar:
                if i == fack:
                    f.seek(byte)
                    a = array("q")
                    a.fromfile(f, n)
                    sett.update(a)
                    antal += n
        if len(sett) < antal:
            return True
    return False


class Delstrom:
    """En del av en CSV-fil (`delningspunkter`) som en binär ström: `rubrik` och sedan filens byte
    från `start` till `slut`."""

    def __init__(self, fil, rubrik: bytes, start: int, slut: int):
        self._fil, self._rubrik, self._kvar = fil, rubrik, slut - start
        fil.seek(start)

    def read(self, n: int = -1) -> bytes:
        if self._rubrik:
            data, self._rubrik = self._rubrik, b""
            return data
        data = self._fil.read(self._kvar if n is None or n < 0 else min(n, self._kvar))
        self._kvar -= len(data)
        return data


# --- delning i flera processer --------------------------------------------------------------------

# Så långt efter sin plats letas en gräns mellan två scenarier; ett scenario med fler rader än så
# delas inte (gränsen hoppas över).
_GRANS_SOK_BYTE = 4 * 1024 * 1024


def delningspunkter(sokvag, min_byte: int, delar: int = 2) -> tuple[bytes, list[int]] | None:
    """Var en CSV-scenariofil kan delas i högst `delar` delar för att räknas i flera processer
    (`kommandon.scenario`): (rubrikraden, de byte där delarna efter den första börjar, stigande –
    det första nya scenariot efter var `delar`-del av filen). Filen läses bara.

    None när filen inte kan delas: standard in eller inte en vanlig fil, mindre än `min_byte`, inte
    maskinformatets CSV (komma och de fem kolumnerna på första raden), eller ingen gräns alls (en gräns
    som inte finns nära sin plats hoppas över: färre delar). Filen läses bara vid rubriken och
    gränserna. Att varje del läses precis som i hela filen prövar delarna medan de läses: inget
    citattecken (ett fält kan då sträcka sig över flera rader) och UTF-8 i varje del
    (`Scenarioflode.citat` och `.kodning`); annars, och vid ett fel i en del (delarnas radnummer är
    inte filens), läses hela filen om i en process, som ger felens platser. En del läses med
    `Scenarioflode(…, intervall=(rubriken, start, slut))`; den första utan rubrik (den står redan först)."""
    if str(sokvag) == STDIN or delar < 2:
        return None
    try:
        st = os.stat(sokvag)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not min_byte <= st.st_size <= MAX_CSV_BYTE:
        return None
    with open(sokvag, "rb") as f:
        rubrik = f.readline()
        try:
            kolumner = [k.strip() for k in rubrik.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n").decode("ascii").split(",")]
        except UnicodeDecodeError:
            return None
        if sorted(kolumner) != sorted(CSV_KOLUMNER):
            return None
        i_namn = kolumner.index("namn")
        granser: list[int] = []
        for k in range(1, delar):
            borjan = max(st.st_size * k // delar, granser[-1] if granser else 0)
            f.seek(borjan)
            f.readline()                  # resten av raden `borjan` hamnade i
            forra: bytes | None = None
            while True:
                grans = f.tell()
                rad = f.readline()
                if not rad or grans - borjan > _GRANS_SOK_BYTE:
                    break                 # ingen gräns här
                falt = rad.rstrip(b"\r\n").split(b",")
                if len(falt) != len(kolumner):
                    continue              # en tom eller trasig rad är ingen gräns
                if forra is not None and falt[i_namn] != forra:
                    granser.append(grans)     # raden inleder ett nytt scenario
                    break
                forra = falt[i_namn]
    return (rubrik, granser) if granser else None
