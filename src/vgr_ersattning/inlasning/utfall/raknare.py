"""Räknaren i snabbvägen för CSV-utfall: rader i block räknade som byte, utan att tolkas.

Två lägen, valda efter hur filen ser ut:

- **radläget**: identiska råa rader räknas (collections.Counter:s räknare i C). Ett radnivåuttag
  upprepar några hundra distinkta rader miljontals gånger: ~110 ns per rad och kärna.
- **nyckelläget**: när de distinkta raderna blir många (ett uttag med ett antal per klinik och dag,
  där antalet varierar) blir räknarens dict för stor för cacheminnet (~4× långsammare per rad), och
  varje distinkt rad skulle tolkas. Då delas varje rad vid sin sista avgränsare (bara när `antal` är
  den sista kolumnen): nyckeldelen (`utforare,rad,manad`) och antalet som byte, som blir ett heltal
  ur `_tal`, och antalet läggs till nyckelns lista; listorna summeras med jämna mellanrum. Raden
  räknas i en slinga med två uppslag i vanliga dict, ~180 ns per rad (map-kedjor i C med
  defaultdict och ett dict med `__missing__` tog ~220 ns: en vanlig dict specialiseras av
  tolken); en ny nyckel eller ett nytt antal prövas utanför slingans snabba steg
  (`_nyckelradens_antal`). Ett block med en rad som inte går att dela så (citattecken runt antalet,
  `1 234`, en tom rad, en rad utan avgränsare eller med en tom nyckel) tas tillbaka och räknas rad
  för rad, och de raderna som i radläget. Nyckeldelen tolkas sedan en gång per nyckel (`tolkning`):
  en rad `nyckel,antal` ger samma fel och samma nyckel som raden `nyckel,0`, eftersom antalet är
  ett giltigt heltal.

Minnet: de distinkta raderna och nycklarna uppskattas i byte; över `MAX_MINNE` ger räknaren upp
(`Hoppa`), och filen läses av hela CSV-läsaren, som bara håller summorna.

Radnumren är relativa det `nr` som anroparen ger för varje block (för flera processer: delens
nummer << 32 plus raden i delen).
"""

from __future__ import annotations

from itertools import islice, repeat

try:
    from _collections import (
        _count_elements as _rakna,  # det Counter.update använder (i C)
    )
except ImportError:                                         # pragma: no cover - andra Python än CPython
    def _rakna(antal: dict, rader) -> None:
        for k in rader:
            antal[k] = antal.get(k, 0) + 1

# Nyckelläget tar vid när radläget har så här många distinkta rader och färre än
# `NYCKEL_MULTIPLICITET` förekomster per distinkt rad i genomsnitt, eller halva `MAX_MINNE`. (De
# distinkta raderna före bytet tolkas en och en när räkningen är klar: 1024 i stället för 4096 sparade
# ~10 ms av 0,29 s vid en miljon rader med 361 539 distinkta, medianen av 15 körningar växelvis.)
NYCKEL_FRAN = 1024
NYCKEL_MULTIPLICITET = 8
# Uppskattat minne (byte) för de distinkta raderna och nycklarna i en process.
MAX_MINNE = 32 * 1024 * 1024
_PER_RAD = 160      # ett bytes-objekt, två dict-poster och ett heltal, utöver radens längd
_PER_NYCKEL = 260   # dessutom nyckelns lista och dess post i `nycklar`


class Hoppa(Exception):
    """Snabbvägen förstår inte filen: den läses med hela CSV-läsaren."""


def ar_nyckelrad(k: bytes, s: bytes, a: bytes) -> bool:
    """Om en rad delad vid sin sista avgränsare (`bytes.rpartition`: nyckeln, avgränsaren, antalet)
    räknas per nyckel: en avgränsare, en nyckel som inte är tom och ett antal (utan \\r sist) som är
    ett heltal om högst sju siffror."""
    b = _utan_cr(a)
    return bool(k and s) and b.isdigit() and len(b) < 8


def nyckelradens_antal(a: bytes) -> int:
    """Antalet i en nyckelrad (`ar_nyckelrad`) som heltal."""
    return int(_utan_cr(a))


def _utan_cr(a: bytes) -> bytes:
    return a[:-1] if a.endswith(b"\r") else a


class _Ogiltigt(Exception):
    """En rad i ett block som inte är en nyckelrad (`ar_nyckelrad`)."""


# Högst så många antal (som byte) sparas som heltal i `Raknare._tal`.
_MAX_TAL = 1 << 15


class Raknare:
    """Räknar raderna i en fil eller en del av den (`rakna` per block).

    - `rader`: distinkt rå rad (utan b"\\n") → antal förekomster; `forsta`: → första radnumret;
    - `nycklar`: nyckeldel (raden före sista avgränsaren, utan \\r) → [summan av antalen, antal rader,
      första radnumret] (efter `avsluta`);
    - `nya`: efter varje `rakna`, blockets nya rader och nycklar i blockets ordning som (index i
      blocket, om det är en nyckel, byte) – för den som tolkar medan filen läses (en pipe)."""

    def __init__(self, avgransare: str, nyckellage: bool):
        self.rader: dict[bytes, int] = {}
        self.forsta: dict[bytes, int] = {}
        self.nycklar: dict[bytes, list[int]] = {}
        self.nya: list[tuple[int, bool, bytes]] = []
        self.nyckellage = False
        self.lasta_rader = 0
        self._sep = avgransare.encode("ascii")
        self._kan_nyckla = nyckellage
        self._grupper: dict[bytes, list[int]] = {}
        self._tal: dict[bytes, int] = {}        # antal som byte (med eller utan \r sist) → heltal
        self._ogrupperade = 0
        self._minne = 0
        # Det senaste blocket för `angra`: nyckelraderna, raderna, och om nyckelraderna är blockets
        # hela rader (`_nyckla`: nyckeln är delen före sista avgränsaren) i stället för nycklar.
        self._blockets: tuple[list[bytes], list[bytes], bool] = ([], [], False)

    def rakna(self, rader: list[bytes], nr: int) -> None:
        """Räknar ett blocks rader; `nr` rader före blocket."""
        if not rader:
            self.nya, self._blockets = [], ([], [], False)
            return
        self.lasta_rader += len(rader)
        if self.nyckellage:
            self._nyckla(rader, nr)
            return
        antal = self.rader
        fore = len(antal)
        _rakna(antal, rader)
        self._blockets = ([], rader, False)
        if len(antal) == fore:
            self.nya = []
            return
        # `_rakna` lägger till nya rader sist: blockets nya rader är räknarens sista nycklar, i den
        # ordning de står i blocket.
        nya = list(islice(reversed(antal), len(antal) - fore))
        nya.reverse()
        forsta, i, ut = self.forsta, -1, []
        for k in nya:
            i = rader.index(k, i + 1)
            forsta[k] = nr + i + 1
            ut.append((i, False, k))
        self.nya = ut
        self._minne += sum(map(len, nya)) + _PER_RAD * len(nya)
        if self._kan_nyckla and len(antal) > NYCKEL_FRAN and (
                len(antal) * NYCKEL_MULTIPLICITET > self.lasta_rader or self._minne > MAX_MINNE // 2):
            self.nyckellage = True
        elif self._minne > MAX_MINNE:
            raise Hoppa

    def _nyckla(self, rader: list[bytes], nr: int) -> None:
        grupper, tal = self._grupper, self._tal
        if self._ogrupperade >= max(1 << 15, 4 * len(grupper)):
            self._tom()         # före blocket: blockets antal ligger kvar i listorna för `angra`
        nya: list[bytes] = []
        try:
            for k, s, a in map(bytes.rpartition, rader, repeat(self._sep)):
                try:
                    grupper[k].append(tal[a])
                except KeyError:            # en ny nyckel, ett nytt antal, eller ingen nyckelrad
                    v = self._nyckelradens_antal(k, s, a)
                    lista = grupper.get(k)
                    if lista is None:
                        grupper[k] = lista = []
                        nya.append(k)
                    lista.append(v)
        except _Ogiltigt:
            self._ta_tillbaka(rader, nya)
            self.nya = self._nyckla_rad_for_rad(rader, nr)
        else:
            self._blockets = (rader, [], True)
            self.nya = self._nya_nycklar(rader, nr, nya) if nya else []
        self._ogrupperade += len(rader)
        if self._minne > MAX_MINNE:
            raise Hoppa

    def _nyckelradens_antal(self, k: bytes, s: bytes, a: bytes) -> int:
        """Antalet i en nyckelrad (`ar_nyckelrad`), sparat i `_tal` (högst `_MAX_TAL`); `_Ogiltigt` för en
        rad som inte är en nyckelrad."""
        if not ar_nyckelrad(k, s, a):
            raise _Ogiltigt
        v = nyckelradens_antal(a)
        if len(self._tal) < _MAX_TAL:
            self._tal[a] = v
        return v

    def _ta_tillbaka(self, rader: list[bytes], nya: list[bytes]) -> None:
        """Det `_nyckla` hann lägga in av ett block innan en rad som inte är en nyckelrad: antalen
        från raderna före den, och blockets nya nycklar."""
        grupper = self._grupper
        for k, s, a in map(bytes.rpartition, rader, repeat(self._sep)):
            if not ar_nyckelrad(k, s, a):
                break
            grupper[k].pop()
        for k in nya:
            del grupper[k]

    def _nya_nycklar(self, rader: list[bytes], nr: int, nya: list[bytes]) -> list[tuple[int, bool, bytes]]:
        """Blockets nya nycklar (i blockets ordning) och deras första radnummer."""
        sep = self._sep
        nycklar = [r.rpartition(sep)[0] for r in rader]
        i, ut = -1, []
        for k in nya:
            i = nycklar.index(k, i + 1)
            self.nycklar[k] = [0, 0, nr + i + 1]
            ut.append((i, True, k))
        self._minne += sum(map(len, nya)) + _PER_NYCKEL * len(nya)
        return ut

    def _nyckla_rad_for_rad(self, rader: list[bytes], nr: int) -> list[tuple[int, bool, bytes]]:
        """Ett block där inte alla rader är nyckelrader: rad för rad."""
        grupper, antal, ut = self._grupper, self.rader, []
        nyckelrader, radrader = [], []
        for i, rad in enumerate(rader):
            k, s, a = rad.rpartition(self._sep)
            if ar_nyckelrad(k, s, a):
                lista = grupper.get(k)
                if lista is None:
                    grupper[k] = lista = []
                    self.nycklar[k] = [0, 0, nr + i + 1]
                    ut.append((i, True, k))
                    self._minne += len(k) + _PER_NYCKEL
                lista.append(nyckelradens_antal(a))
                nyckelrader.append(k)
            else:
                n = antal.get(rad)
                if n is None:
                    antal[rad] = 1
                    self.forsta[rad] = nr + i + 1
                    ut.append((i, False, rad))
                    self._minne += len(rad) + _PER_RAD
                else:
                    antal[rad] = n + 1
                radrader.append(rad)
        self._blockets = (nyckelrader, radrader, False)
        return ut

    def angra(self) -> None:
        """Tar bort det senaste blocket ur räkningen (före nästa `rakna`)."""
        nyckelrader, radrader, hela = self._blockets
        if hela:
            nyckelrader = [r.rpartition(self._sep)[0] for r in nyckelrader]
        for k in nyckelrader:
            self._grupper[k].pop()
        for rad in radrader:
            self.rader[rad] -= 1
        for _, ar_nyckel, b in self.nya:
            if ar_nyckel:
                del self._grupper[b], self.nycklar[b]
            else:
                del self.rader[b], self.forsta[b]
        self.lasta_rader -= len(nyckelrader) + len(radrader)
        self.nya, self._blockets = [], ([], [], False)

    def _tom(self) -> None:
        """Listorna av antal in i nycklarnas summor."""
        nycklar = self.nycklar
        for k, lista in self._grupper.items():
            if lista:
                post = nycklar[k]
                post[0] += sum(lista)
                post[1] += len(lista)
                lista.clear()
        self._ogrupperade = 0

    def avsluta(self) -> None:
        self._tom()
        self._grupper = {}

    def resultat(self) -> tuple[dict[bytes, int], dict[bytes, int], dict[bytes, list[int]]]:
        self.avsluta()
        return self.rader, self.forsta, self.nycklar


def sla_ihop(a: tuple[dict, dict, dict], b: tuple[dict, dict, dict]) -> None:
    """Lägger räkningen `b` (rader, första radnummer, nycklar) till `a`."""
    rader, forsta, nycklar = a
    for k, m in b[0].items():
        if k in rader:
            rader[k] += m
            forsta[k] = min(forsta[k], b[1][k])
        else:
            rader[k] = m
            forsta[k] = b[1][k]
    for k, (s, n, f) in b[2].items():
        post = nycklar.get(k)
        if post is None:
            nycklar[k] = [s, n, f]
        else:
            post[0] += s
            post[1] += n
            post[2] = min(post[2], f)
