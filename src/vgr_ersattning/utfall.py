"""Inläsning av utfall (`--utfall`): CSV eller xlsx med månadsproduktion, eller YAML/JSON med alla
slags utfall.

Formatet känns igen på innehållet, inte på filändelsen: en zip-fil är en arbetsbok (xlsx), en fil
vars första rad (som inte är tom) är en rubrikrad med kolumnerna `utforare,rad,manad,antal` (i
valfritt skiftläge) är CSV, annat är YAML (eller JSON). Så fungerar också standard in
(`--utfall -`), `<( … )` och en CSV sparad som .txt.

CSV: rader med samma nyckel adderas, så ett uttag med en rad per utförd prestation fungerar
oförändrat. Filen läses strömmande: bara summan per (utförare, rad, månad) hålls i minnet.
Dialekten känns igen på innehållet (regelboken §20): komma eller semikolon, UTF-8 med eller utan
BOM eller Windows-1252; i en semikolonfil (svenska Excel) får ett antal skrivas `1 234` eller
`12,00` (ett heltal med decimalkomma), men `12,5` är inget antal.

xlsx: det första bladet (eller `--blad NAMN`) med samma kolumner; felen namnger blad och cell
(`utfall.xlsx:Blad1!D17`). Läses av `excel`, som importerar openpyxl först då.

YAML: en fil per utförare och år med avsnitten `produktion`, `avrakning`, `indikatorer` och
`malrelaterad_1177`. Strukturen valideras mot modellen `modell_indata.Utfallsfil`; det som kräver
uppdraget (utförare, rad-id, poster, indikatorer och deras perioder, året) kontrolleras efteråt.

Samma nyckel i två filer är ett fel, och samma fil två gånger (också via en annan sökväg eller en
hård länk) vägras. Alla fel blir `Fel` med fil:rad:kolumn (regelboken §12), ett per problem.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

from vgr_ersattning.kalkyl.period import AR, KVARTAL, MANAD, TERTIAL, Period, Periodfel, arets_perioder, tolka
from vgr_ersattning.laddning import (CSV, MAX_ANTAL, MAX_TALTEXT, STDIN, XLSX, CsvRader, Fel, Felsamlare, Indatafil,
                                     Inlasningsfel,
                                     Plats, Positioner, avkoda, csv_fel, csv_lasare, csv_rubrik, filfel, fortsatt,
                                     heltal_ur_text, kanna_igen, las_borjan, las_byte, las_yaml_text, oppna, sla_ihop,
                                     sokvag_text, svenskt_tal, tom_csv_rad, utan_foljdfel, validera, visa,
                                     visningsnamn)
from vgr_ersattning.modell import Uppdrag

# Ett utfallsuttag kan vara stort (en rad per prestation); YAML-filer är handskrivna.
MAX_CSV_BYTE = 2 * 1024 ** 3
MAX_YAML_BYTE = 16 * 1024 * 1024

CSV_KOLUMNER = ("utforare", "rad", "manad", "antal")
PRODUKTION, AVRAKNING, INDIKATORER, MALRELATERAD = "produktion", "avrakning", "indikatorer", "malrelaterad_1177"
AVSNITT = (PRODUKTION, AVRAKNING, INDIKATORER, MALRELATERAD)

_BESTAMD = {MANAD: "månaden", KVARTAL: "kvartalet", TERTIAL: "tertialet", AR: "året"}
_TILLFALLE = {"manad": "varje månad", "T1": "T1", "T2": "T2 (delår augusti)", "T3": "T3", "ar": "helår"}


@dataclass
class Utfall:
    """Allt utfall, per utförare. Månader är 1–12 i uppdragsåret."""

    ar: int
    produktion: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    produktionsmanader: dict[str, set[int]] = field(default_factory=dict)
    avrakning: dict[str, dict[str, dict[int, Decimal]]] = field(default_factory=dict)
    indikatorer: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    malrelaterad: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    # (avsnitt, utförare, id, period) → första platsen; för malrelaterad_1177 är id None.
    _kallor: dict[tuple, Plats] = field(default_factory=dict, repr=False)
    # (avsnitt, utförare, id) → period → plats: samma sak, uppslagen per id (för `kallor`).
    _per_id: dict[tuple, dict[Any, Plats]] = field(default_factory=dict, repr=False)

    def sista_manad(self, utforare: str) -> Optional[int]:
        """Den sista månaden med produktion för utföraren."""
        m = self.produktionsmanader.get(utforare)
        return max(m) if m else None

    def produktion_hittills(self, utforare: str, till_och_med: int) -> dict[str, int]:
        return {rid: sum(v[:till_och_med]) for rid, v in self.produktion.get(utforare, {}).items()}

    def kallor(self, avsnitt: str, utforare: str, id: Any = None) -> dict[Any, Plats]:
        """Var utfallet kommer ifrån: för varje period den första platsen (fil:rad:kolumn, filen
        som den visas i fel, relativt arbetskatalogen) där det står.

        - `kallor("produktion", "SV", rad_id)` och `kallor("avrakning", "SV", post)`: månad 1–12 → plats
          (för en CSV-fil den första raden med den utföraren, raden och månaden);
        - `kallor("indikatorer", "SV", indikator)`: period som text (`2026-08`, `2026-T2`, `2026`) → plats;
        - `kallor("malrelaterad_1177", "RH", kvartal)`: {kvartal: plats}; utan kvartal alla kvartal.
          Kvartalet kan anges som 2, "2", "Q2" eller "2026-Q2".
        """
        if avsnitt in ("malrelaterad", MALRELATERAD):
            alla = self._per_id.get((MALRELATERAD, utforare, None), {})
            if id is None:
                return dict(sorted(alla.items()))
            kvartal = _kvartalsnummer(id)
            return {kvartal: alla[kvartal]} if kvartal in alla else {}
        return dict(sorted(self._per_id.get((avsnitt, utforare, str(id)), {}).items()))


def _kvartalsnummer(id: Any) -> Optional[int]:
    if isinstance(id, int):
        return id
    text = str(id).strip().upper()
    if text.isdigit():
        return int(text)
    if text.startswith("Q") and text[1:].isdigit():
        return int(text[1:])
    try:
        return tolka(text, slag=(KVARTAL,)).nummer
    except Periodfel:
        return None


def _period(text: str, slag: tuple[str, ...], ar: Optional[int] = None) -> Period:
    """`kalkyl.period.tolka`, men en text som är för lång för att vara en period citeras aldrig i
    sin helhet i felet."""
    if len(text) > 20:
        raise Periodfel(f"{visa(text)} är ingen period")
    return tolka(text, slag=slag, ar=ar)


def tolka_manad(text: str, ar: int) -> tuple[Optional[int], str]:
    """Tunt alias för cli.py (`--till-och-med`): `kalkyl.period.tolka_manad` som (månad, "") eller
    (None, svenskt meddelande). Ny kod bör använda `kalkyl.period.tolka_manad` direkt."""
    from vgr_ersattning.kalkyl.period import tolka_manad as _tolka_manad

    try:
        return _tolka_manad(text, ar), ""
    except Periodfel as e:
        return None, str(e)


def _lagg_till_produktion(ut: Utfall, utf: str, rid: str, manad: int, antal: int) -> None:
    rader = ut.produktion.setdefault(utf, {})
    v = rader.get(rid)
    if v is None:
        v = rader[rid] = [0] * 12
    v[manad - 1] += antal
    ut.produktionsmanader.setdefault(utf, set()).add(manad)


def _registrera(ut: Utfall, nyckel: tuple, plats: Plats, fel: Felsamlare, sokvag: str) -> bool:
    """Samma nyckel i två filer är ett fel; returnerar False då. `nyckel` är (avsnitt, utförare,
    id, period); för malrelaterad_1177 är id None och perioden kvartalet."""
    forst = ut._kallor.get(nyckel)
    if forst is not None and forst.fil != plats.fil:
        fel(plats, sokvag, f"finns redan i {forst} (samma nyckel i två utfallsfiler)")
        return False
    if forst is None:
        ut._kallor[nyckel] = plats
        ut._per_id.setdefault(nyckel[:3], {})[nyckel[3]] = plats
    return True


# --- CSV -------------------------------------------------------------------------------------


def las_csv(sokvag: Path, uppdrag: Uppdrag, ut: Utfall, framsteg: Callable[[int, int], None] | None = None,
            *, snabb: Optional[bool] = None) -> None:
    """Läser en CSV-fil (eller `-`, standard in) med månadsproduktion strömmande in i `ut`.
    `snabb=False` tvingar hela CSV-läsaren (utan snabbvägen över distinkta rader); None är `SNABB_CSV`."""
    kalla = oppna(sokvag)
    try:
        _las_csv(kalla, kalla.strom, uppdrag, ut, framsteg, snabb)
    finally:
        kalla.strom.close()


# Snabbvägen (issue 17) för vanliga filer; False läser varje fil med hela CSV-läsaren (för jämförelser).
SNABB_CSV = True


def _las_csv(kalla: Indatafil, strom, uppdrag: Uppdrag, ut: Utfall,
             framsteg: Callable[[int, int], None] | None, snabb: Optional[bool] = None) -> None:
    namn, storlek = kalla.namn, kalla.storlek
    if storlek is not None and storlek > MAX_CSV_BYTE:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är för stor ({storlek} byte, "
                                                        f"högst {MAX_CSV_BYTE} byte)")])
    rapport = (lambda n: framsteg(min(n, storlek), storlek)) if framsteg is not None and storlek else None
    if (SNABB_CSV if snabb is None else snabb) and storlek is not None and _kan_spolas(strom):
        borjan, klar = strom.tell(), True
        try:
            klar = _las_csv_snabb(namn, strom, uppdrag, ut, rapport)
        finally:
            if klar and framsteg is not None and storlek:
                framsteg(storlek, storlek)
        if klar:
            return
        strom.seek(borjan)          # snabbvägen förstod inte filen: hela CSV-läsaren från början
    rader = CsvRader(namn, strom, rapport)
    try:
        _las_tabell(namn, rader, lambda: csv_lasare(rader), uppdrag, ut)
    finally:
        if framsteg is not None and storlek:
            framsteg(storlek, storlek)


# --- CSV: snabbvägen över distinkta rader (issue 17) ---------------------------------------------
#
# Ett radnivåuttag upprepar några tusen distinkta rader miljontals gånger. Snabbvägen räknar
# identiska råa rader som byte (bytes.split och collections.Counter:s räknare i C, i block), tolkar
# och kontrollerar varje distinkt rad en gång med samma regler och felmeddelanden som `_las_tabell`,
# och multiplicerar med antalet förekomster. Varje distinkt rads första radnummer noteras när raden
# dyker upp första gången (för `kallor` och felens plats); raderna med fel letas upp i filen igen
# först när felen rapporteras, så att varje fel har sin fil:rad:kolumn. En rad med citattecken
# tolkas av csv-modulen. Kodningen avgörs som i `CsvRader` (regelboken §20): den första distinkta
# raden (i filens ordning) som inte är ASCII avgör om filen är UTF-8 eller Windows-1252. Allt
# snabbvägen inte förstår – en fil som inte går att spola tillbaka (standard in, en pipe), en rubrik
# med citattecken, fel eller annat än ASCII följt av Windows-1252, en post över flera rader, ett
# ensamt \r, NUL, en byte som inte går att avkoda, en mycket lång rad, fler än
# _SNABB_MAX_DISTINKTA distinkta rader – läses i stället av hela CSV-läsaren från början; inget
# läggs in i utfallet innan snabbvägen vet att den förstår hela filen.
#
# Var tiden går (benchmarks/utfall_csv.py): bytes.split och räknaren kostar ~110 ns per rad och
# kärna; allt annat är per block eller per distinkt rad. Därför finns bara en räknare per process
# (ingen sammanslagning per block), de nya raderna i ett block är de sista nycklarna i räknaren
# (ett dict behåller insättningsordningen), och filer från _SNABB_PARALLELL_BYTE räknas av två
# processer som turas om att ta nästa del av filen.

_SNABB_BLOCK = 64 * 1024        # block som ryms i cacheminnet: snabbare än större block
_SNABB_MAX_DISTINKTA = 200_000
_SNABB_MAX_TOMMA = 1000

try:
    from _collections import _count_elements as _rakna     # det Counter.update använder (i C)
except ImportError:                                         # pragma: no cover - andra Python än CPython
    def _rakna(antal: dict, rader) -> None:
        for k in rader:
            antal[k] = antal.get(k, 0) + 1


class _Hoppa(Exception):
    """Snabbvägen förstår inte filen: den läses med hela CSV-läsaren."""


def _kan_spolas(strom) -> bool:
    try:
        return bool(strom.seekable())
    except (AttributeError, OSError, ValueError):
        return False


class _Radtext:
    """`rader` för `_kontrollera_rad` i snabbvägen: platsen för ett fält i en post på en enda rad
    (`text` utan radslut), som `CsvRader.plats` ger den. Radnumret sätts in när felet rapporteras."""

    def __init__(self, namn: str, avgransare: str):
        from vgr_ersattning.laddning import _faltets_borjan

        self.namn, self.avgransare, self.text, self._borjan = namn, avgransare, "", _faltets_borjan

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Plats:
        if i == 0:
            return Plats(self.namn, slutrad, 1)
        return Plats(self.namn, slutrad, self._borjan(self.text, i, self.avgransare)[1])


def _snabb_block(las: Callable[[int], bytes]):
    """Raderna (utan b"\\n") i det `las(n)` ger, en lista per block om högst `_SNABB_BLOCK` byte:
    ett block delas vid varje b"\\n" och den ofullständiga sista raden läggs till nästa blocks
    första (den sista raden i filen räknas också utan radslut). En rad längre än `MAX_CSV_FALT`:
    `_Hoppa`. Ger (rader, lästa byte i blocket)."""
    from vgr_ersattning.laddning import MAX_CSV_FALT

    rest, storlek = b"", _SNABB_BLOCK
    while True:
        data = las(storlek)
        if not data:
            break
        rader = data.split(b"\n")
        if rest:
            rader[0] = rest + rader[0]
        rest = rader.pop()
        if len(rest) > MAX_CSV_FALT:
            raise _Hoppa        # csv-modulens fel (ett fält längre än gränsen) i hela läsaren
        yield rader, len(data)
    if rest:
        yield [rest], 0


def _pread(fd: int, pos: int, slut: Optional[int] = None) -> Callable[[int], bytes]:
    """`las(n)` för byte pos…slut i filen (None: till filens slut, också om den inte står i
    storleken), med os.pread (filens position delas inte med någon)."""
    def las(n: int) -> bytes:
        nonlocal pos
        if slut is not None:
            if pos >= slut:
                return b""
            n = min(n, slut - pos)
        data = os.pread(fd, n, pos)
        pos += len(data)
        return data
    return las


def _snabb_rubrik(namn: str, strom) -> tuple[tuple[int, int, int, int], int, str, int, bool]:
    """Rubrikraden och de tomma raderna före den, lästa med `csv_lasare` och `csv_rubrik` som i hela
    CSV-läsaren: (kolumnernas index, rubrikens antal kolumner, avgränsaren, antal lästa rader, om
    allt hittills är ASCII – då kan filen vara Windows-1252). En rubrik med fel eller något
    ovanligt: `_Hoppa` (hela läsaren ger samma fel)."""
    import io

    from vgr_ersattning.laddning import MAX_CSV_FALT

    data, n = b"", 0
    while True:
        rad = strom.readline(MAX_CSV_FALT)
        if not rad:
            break
        if not rad.endswith(b"\n") and len(rad) >= MAX_CSV_FALT:
            raise _Hoppa
        data += rad
        n += 1
        try:
            text = rad.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError:
            raise _Hoppa from None
        if text.strip():
            break
        if n > _SNABB_MAX_TOMMA:
            raise _Hoppa
    if b'"' in data or b"\0" in data or b"\r" in data.replace(b"\r\n", b""):
        raise _Hoppa
    rader = CsvRader(namn, io.BytesIO(data))
    lasare = csv_lasare(rader)
    try:
        index, ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
    except (Inlasningsfel, csv.Error):
        raise _Hoppa from None
    if lasare.line_num != n:
        raise _Hoppa
    return index, ncol, rader.avgransare, n, data.isascii()  # type: ignore[return-value]


def _snabb_rakna(strom, nr: int, rapport, barn: list[int]) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Varje distinkt rå rad (utan b"\\n") → antal förekomster, och → radnumret där den står första
    gången; `nr` är antalet rader före strömmens position. Båda i filens ordning (varje rads första
    förekomst). En barnprocess som räknat med läggs i `barn` (den som anropar väntar in den)."""
    borjan = strom.tell()
    delar = _snabb_delar(strom, borjan)
    if delar is not None:
        fd, granser = delar
        svar = _snabb_rakna_parallellt(fd, granser, nr, rapport, barn)
        if svar is not None:
            return svar
    try:
        las = _pread(strom.fileno(), borjan) if hasattr(os, "pread") else strom.read
    except (AttributeError, OSError, ValueError):
        las = strom.read
    antal: dict[bytes, int] = {}
    forsta: dict[bytes, int] = {}
    _snabb_rakna_del(las, nr, borjan, rapport, antal, forsta)
    return antal, forsta


# Filer med minst så många byte efter rubriken räknas av två processer när det finns två kärnor och
# os.fork: varje MiB kostar ~3 ms i en process, och fork, pipes och sammanslagningen några ms. Mätt
# på en maskin med två kärnor (i processen, bästa av 21): 2 MB 0,9×, 3 MB 1,1×, 4 MB 1,05–1,2×,
# 6 MB 1,4×, 8 MB 1,55× och 42 MB 1,9× så snabbt som en process. Processerna turas om att ta nästa
# del: filen delas i högst _SNABB_DELAR delar om minst _SNABB_DEL_BYTE, så båda blir klara nästan
# samtidigt också när den ena får mindre tid av maskinen (delarnas nummer ryms i en pipe).
_SNABB_PARALLELL_BYTE = 4 * 1024 * 1024
_SNABB_DEL_BYTE = 256 * 1024
_SNABB_DELAR = 64


def _karnor() -> int:
    """Kärnorna den här processen får köra på (taskset, cgroup-gränser via affinitet), annars alla."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _snabb_delar(strom, borjan: int) -> Optional[tuple[int, list[int]]]:
    """(fd, gränserna) när filen ska räknas av två processer, annars None: filen från `borjan`
    delad i högst ~`_SNABB_DELAR` delar om minst `_SNABB_DEL_BYTE` byte, varje gräns direkt efter ett radslut
    (gränserna börjar med `borjan` och slutar med filens slut)."""
    if not hasattr(os, "fork") or not hasattr(os, "pread") or _karnor() < 2:
        return None
    try:
        fd = strom.fileno()
        slut = os.fstat(fd).st_size
    except (AttributeError, OSError, ValueError):
        return None
    if slut - borjan < max(_SNABB_PARALLELL_BYTE, 1):
        return None
    storlek = max(_SNABB_DEL_BYTE, (slut - borjan) // max(_SNABB_DELAR, 1) + 1, 1)
    granser, pos = [borjan], borjan + storlek
    try:
        while pos < slut:
            bit = os.pread(fd, 4096, pos)
            if not bit:
                break
            i = bit.find(b"\n")
            if i < 0:           # en mycket lång rad: leta vidare
                pos += len(bit)
                continue
            if pos + i + 1 < slut:
                granser.append(pos + i + 1)
            pos += i + 1 + storlek
    except OSError:
        return None
    granser.append(slut)
    if len(granser) < 3:        # en enda del: inget att dela på
        return None
    return fd, granser


def _snabb_rakna_parallellt(fd: int, granser: list[int], nr: int, rapport,
                            barn: list[int]) -> Optional[tuple[dict[bytes, int], dict[bytes, int]]]:
    """Två processer (den här och en barnprocess, os.fork) räknar delarna mellan `granser`. De tar
    nästa del ur en pipe med delarnas nummer (en läsning av 4 byte ur en pipe är odelbar), så varje
    del räknas av precis en process, och den som får mindre tid av maskinen tar färre delar. En
    rads första plats noteras som (del << 32) + rad i delen och blir ett radnummer när båda är
    klara. None om barnprocessen inte går att starta (räkna då i en process). Barnet skickar sitt
    svar med längden först och läggs sedan i `barn`: att vänta på att det avslutats (~2 ms) görs
    när raderna är tolkade."""
    import marshal
    import signal

    ndelar = len(granser) - 1
    try:
        nr_r, nr_w = os.pipe()
    except OSError:
        return None
    try:
        try:
            nummer = memoryview(b"".join(i.to_bytes(4, "little") for i in range(ndelar)))
            while nummer:           # några hundra byte: ryms i pipen
                nummer = nummer[os.write(nr_w, nummer):]
        finally:
            os.close(nr_w)
        svar_r, svar_w = os.pipe()
    except OSError:
        os.close(nr_r)
        return None
    try:
        pid = os.fork()
    except OSError:
        for f in (nr_r, svar_r, svar_w):
            os.close(f)
        return None

    def nasta() -> Optional[int]:
        b = os.read(nr_r, 4)
        if not b:
            return None
        if len(b) != 4:             # kan inte hända: alla nummer skrevs innan någon läste
            raise _Hoppa
        return int.from_bytes(b, "little")

    def rakna_delar(rapport) -> tuple[dict[bytes, int], dict[bytes, int], dict[int, int]]:
        antal: dict[bytes, int] = {}
        forsta: dict[bytes, int] = {}
        rader: dict[int, int] = {}
        lasta = granser[0]
        while True:
            i = nasta()
            if i is None:
                return antal, forsta, rader
            borjan, slut = granser[i], granser[i + 1]
            las = _pread(fd, borjan, slut if i + 1 < ndelar else None)     # den sista: till filens slut
            rader[i] = _snabb_rakna_del(las, i << 32, lasta, rapport, antal, forsta)
            lasta += slut - borjan

    if pid == 0:                # barnet: räkna, skicka resultatet, avsluta utan att städa något
        kod = 1
        try:
            os.close(svar_r)
            try:
                data = marshal.dumps(rakna_delar(None))
            except _Hoppa:
                while nasta() is not None:      # ta resten av delarna: föräldern slutar då också
                    pass
                data = marshal.dumps(None)
            with os.fdopen(svar_w, "wb") as ut:
                ut.write(len(data).to_bytes(8, "little") + data)
            kod = 0
        finally:
            os._exit(kod)
    os.close(svar_w)
    barn.append(pid)
    klar = False
    try:
        halv = (lambda n: rapport(granser[0] + 2 * (n - granser[0]))) if rapport is not None else None
        with os.fdopen(svar_r, "rb") as fran:
            antal, forsta, rader = rakna_delar(halv)
            data = fran.read()
        klar = True
    finally:
        os.close(nr_r)
        if not klar:            # den här processen lämnar över till hela läsaren: barnet behövs inte
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    if len(data) < 8 or int.from_bytes(data[:8], "little") != len(data) - 8:
        raise _Hoppa                # barnet dog innan det skickat allt
    try:
        andra = marshal.loads(data[8:])
    except (EOFError, ValueError, TypeError):
        raise _Hoppa from None
    if andra is None:
        raise _Hoppa
    antal2, forsta2, rader2 = andra
    if len(rader) + len(rader2) != ndelar or not rader.keys().isdisjoint(rader2):
        raise _Hoppa                # kan inte hända: varje del räknas av precis en process
    rader.update(rader2)
    for k, m in antal2.items():
        if k in antal:
            antal[k] += m
            if forsta2[k] < forsta[k]:
                forsta[k] = forsta2[k]
        else:
            antal[k] = m
            forsta[k] = forsta2[k]
    if len(antal) > _SNABB_MAX_DISTINKTA:
        raise _Hoppa
    fore = [nr] * ndelar            # raderna före varje del
    for i in range(1, ndelar):
        fore[i] = fore[i - 1] + rader[i - 1]
    ordning = sorted(forsta.items(), key=lambda kv: kv[1])
    forsta = {k: fore[v >> 32] + (v & 0xFFFFFFFF) for k, v in ordning}
    antal = {k: antal[k] for k in forsta}
    if rapport is not None:
        rapport(granser[-1])
    return antal, forsta


def _snabb_rakna_del(las: Callable[[int], bytes], nr: int, lasta: int, rapport,
                     antal: dict[bytes, int], forsta: dict[bytes, int]) -> int:
    """Räknar raderna som `las` ger in i `antal` och noterar nya raders radnummer i `forsta`; `nr`
    rader före dem och `lasta` byte före dem (för `rapport`). Ger antalet rader. En räknare för
    allt: `_rakna` (C) lägger till nya rader sist, så blockets nya rader är räknarens sista
    nycklar, i den ordning de står i blocket."""
    from itertools import islice

    nr0, rakna, max_distinkta = nr, _rakna, _SNABB_MAX_DISTINKTA
    for rader, n in _snabb_block(las):
        fore = len(antal)
        rakna(antal, rader)
        if len(antal) != fore:
            if len(antal) > max_distinkta:
                raise _Hoppa        # inte ett radnivåuttag: hela läsaren håller bara summorna
            nya = list(islice(reversed(antal), len(antal) - fore))
            i = -1
            for k in reversed(nya):
                i = rader.index(k, i + 1)
                forsta[k] = nr + i + 1
        nr += len(rader)
        if n:
            lasta += n
            if rapport is not None:
                rapport(lasta)
    return nr - nr0


def _snabb_forekomster(strom, trasiga: dict[bytes, Any], nr: int):
    """(radnummer, rad) för varje förekomst av en rad i `trasiga`, i filens ordning."""
    for rader, _ in _snabb_block(strom.read):
        if not trasiga.keys().isdisjoint(rader):
            for i, k in enumerate(rader):
                if k in trasiga:
                    yield nr + i + 1, k
        nr += len(rader)


def _las_csv_snabb(namn: str, strom, uppdrag: Uppdrag, ut: Utfall, rapport) -> bool:
    """Snabbvägen: False (utan att något lagts in i `ut`) när filen ska läsas av hela CSV-läsaren;
    annars True, eller `Inlasningsfel` med samma fel som hela läsaren ger."""
    barn: list[int] = []
    try:
        return _las_csv_snabb_i(namn, strom, uppdrag, ut, rapport, barn)
    finally:
        for pid in barn:            # barnprocessen har skickat sitt svar (eller dödats): vänta in den
            try:
                os.waitpid(pid, 0)
            except (OSError, InterruptedError):
                pass


def _las_csv_snabb_i(namn: str, strom, uppdrag: Uppdrag, ut: Utfall, rapport, barn: list[int]) -> bool:
    import sys

    from vgr_ersattning.laddning import MAX_CSV_FALT, _citat_efter

    try:
        index, ncol, avgransare, nr, ascii_rubrik = _snabb_rubrik(namn, strom)
        kropp = strom.tell()
        antal, forsta = _snabb_rakna(strom, nr, rapport, barn)
    except _Hoppa:
        return False
    iu, ir, im, ia = index
    tolka_antal = svenskt_antal if avgransare == ";" else heltal_ur_text
    radtext = _Radtext(namn, avgransare)
    summor: dict[tuple[str, str, int], int] = {}
    forsta_plats: dict[tuple[str, str, int], Plats] = {}
    giltiga: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    trasiga: dict[bytes, list[Fel]] = {}      # rad → dess fel (radnummer 0), för varje förekomst
    antal_fel = 0
    # Kodningen: None tills den första raden som inte är ASCII har avgjort den (som i CsvRader).
    kodning: Optional[str] = None
    kodningsfel: Optional[Fel] = None
    # I filens ordning (varje rads första förekomst): summorna får samma ordning som i hela läsaren.
    for b, n in antal.items():
        if len(b) >= MAX_CSV_FALT or b"\0" in b:
            return False
        if b.isascii():
            text = b.decode("ascii")
        elif kodning is None:
            try:
                text = b.decode("utf-8")
                kodning = "utf-8"
            except UnicodeDecodeError as e:
                # Allt före den första byten som inte är UTF-8 är ASCII (och ingen BOM): Windows-1252.
                if not ascii_rubrik or not b[: e.start].isascii():
                    return False
                try:
                    text = b.decode("cp1252")
                except UnicodeDecodeError:
                    return False
                kodning = "cp1252"
                kodningsfel = Fel(Plats(namn, forsta[b], e.start + 1), "",
                                  f"filen är inte UTF-8 (byte 0x{b[e.start]:02x}); den lästes som Windows-1252 "
                                  "(cp1252)")
        else:
            try:
                text = b.decode(kodning)
            except UnicodeDecodeError:
                return False            # hela läsaren ger felet med sin plats
        if text.endswith("\r"):
            text = text[:-1]
        if "\r" in text:
            return False            # ett ensamt \r är ett radslut för csv-modulen
        if '"' in text:
            if _citat_efter(text, False, avgransare):
                return False        # en post över flera rader
            try:
                poster = list(csv.reader([text], delimiter=avgransare))
            except csv.Error:
                return False
            if len(poster) != 1:
                return False
            rad = poster[0]
        else:
            rad = text.split(avgransare) if text else []
        if len(rad) != ncol:
            if tom_csv_rad(rad):
                continue
            trasiga[b] = [Fel(Plats(namn, 0, 1), "", f"raden har {len(rad)} kolumner, rubriken {ncol} "
                                                     "(en kolumn saknas eller är för mycket)")]
            antal_fel += n
            continue
        antal_text = rad[ia]
        if antal_text.isdigit() and antal_text.isascii() and len(antal_text) < 8:
            v: Optional[int] = int(antal_text)
        else:
            v, _ = tolka_antal(antal_text)
        nyckel = (rad[iu], rad[ir], rad[im])
        giltig = giltiga.get(nyckel)
        if giltig is None or v is None:
            radfel = Felsamlare(max_fel=sys.maxsize)
            radtext.text = text
            giltig = _kontrollera_rad(rad, index, v is None, 0, radtext, uppdrag,  # type: ignore[arg-type]
                                      ut.ar, radfel, tolka_antal)
            if radfel.fel:
                trasiga[b] = radfel.fel
                antal_fel += len(radfel.fel) * n
            if giltig is None or v is None:
                continue
            giltiga[nyckel] = giltig
        if giltig in summor:
            summor[giltig] += v * n
        else:
            summor[giltig] = v * n
            forsta_plats[giltig] = Plats(namn, forsta[b], 1)
    fel = Felsamlare()
    if antal_fel:
        # Felen i filens ordning, som hela läsaren samlar dem: de första MAX_FEL visas, resten räknas.
        strom.seek(kropp)
        lagda = 0
        for rnr, b in _snabb_forekomster(strom, trasiga, nr):
            for f in trasiga[b]:
                fel(Plats(namn, rnr, f.plats.kolumn), f.sokvag, f.meddelande)
            lagda += len(trasiga[b])
            if len(fel.fel) >= fel.max_fel:
                break
        fel.overskjutande += antal_fel - lagda
    _lagg_in_summor(ut, summor, forsta_plats, fel, kodningsfel)
    return True


# Svenska Excel skriver ett tal som det visas: med decimalkomma (`12,00` med talformatet Tal) och
# mellanslag (eller hårt mellanslag) mellan tusentalen (`1 234`).
_SVENSKT_HELTAL = re.compile("([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,0+)?")
_TUSENTAL = re.compile("[ \u00a0\u202f]")


def svenskt_antal(text: str) -> tuple[Optional[int], str]:
    """Ett antal som svenska Excel sparar det i en semikolonfil: `1 234` och `12,00` är heltal
    (decimalkomma med bara nollor); `12,5` är inte ett heltal. Annars som `heltal_ur_text`."""
    s = text.strip()
    if len(s) <= MAX_TALTEXT:
        m = _SVENSKT_HELTAL.fullmatch(s)
        if m is not None:
            return heltal_ur_text(_TUSENTAL.sub("", m.group(1)))
    return heltal_ur_text(text)


def _las_tabell(namn: str, rader, lasarfabrik: Callable[[], Any], uppdrag: Uppdrag, ut: Utfall) -> None:
    """Produktionen ur en tabell med rubrikraden `utforare,rad,manad,antal`: en CSV-fil (`rader` är
    en `CsvRader`, läsaren `csv.reader`) eller ett blad i en arbetsbok (`excel.Bladrader` är båda).
    `rader.plats(slutrad, falt, i)` ger platsen för ett fält i felen."""
    fel = Felsamlare()
    summor: dict[tuple[str, str, int], int] = {}
    forsta_plats: dict[tuple[str, str, int], Plats] = {}
    lasare = None
    fyll = getattr(rader, "fyll", False)     # en arbetsbok utelämnar tomma celler sist på raden
    try:
        lasare = lasarfabrik()
        (iu, ir, im, ia), ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER, rader)
        tolka_antal = svenskt_antal if getattr(rader, "avgransare", ",") == ";" else heltal_ur_text
        # Giltiga nycklar (utförare, rad, månad som de står) → (utförare, rad-id, månad 1–12): varje
        # distinkt nyckel kontrolleras en gång. Ogiltiga sparas inte; de kontrolleras på varje rad,
        # så varje rad får sitt fel, och ett uttag med miljontals felaktiga nycklar växer inte här.
        giltiga: dict[tuple[str, str, str], tuple[str, str, int]] = {}
        # Antal som text → heltal, för de vanligaste (ett radnivåuttag har nästan bara "1"): ett
        # uppslag per rad i stället för att tolka texten.
        tal: dict[str, int] = {}
        for rad in lasare:
            if len(rad) != ncol:
                if tom_csv_rad(rad):
                    continue
                if fyll and len(rad) < ncol:
                    rad = rad + [""] * (ncol - len(rad))
                else:
                    fel(rader.plats(lasare.line_num, rad), "",
                        f"raden har {len(rad)} kolumner, rubriken {ncol} (en kolumn saknas eller är för mycket)")
                    continue
            antal = tal.get(rad[ia])
            if antal is None:
                antal_text = rad[ia]
                # Högst sju siffror är alltid ett giltigt antal (< MAX_ANTAL); annat tolkas och
                # kontrolleras (längden före int()) av heltal_ur_text.
                if antal_text.isdigit() and antal_text.isascii() and len(antal_text) < 8:
                    antal = int(antal_text)
                    if len(tal) < 10_000:
                        tal[antal_text] = antal
                else:
                    antal, _ = tolka_antal(antal_text)
            giltig = giltiga.get((rad[iu], rad[ir], rad[im]))
            if giltig is None or antal is None:
                giltig = _kontrollera_rad(rad, (iu, ir, im, ia), antal is None, lasare.line_num, rader, uppdrag,
                                          ut.ar, fel, tolka_antal)
                if giltig is None or antal is None:
                    continue
                giltiga[(rad[iu], rad[ir], rad[im])] = giltig
            if giltig in summor:
                summor[giltig] += antal
            else:
                summor[giltig] = antal
                forsta_plats[giltig] = rader.plats(lasare.line_num, rad)
    except Inlasningsfel as e:          # rubrikraden, eller en byte som inte går att avkoda
        for f in e.visade:
            fel.lagg_till(f)
    except csv.Error as e:
        fel(Plats(namn, rader.trasig_posts_forsta_rad(lasare.line_num if lasare is not None else 1), 1), "",
            csv_fel(e))
    _lagg_in_summor(ut, summor, forsta_plats, fel, getattr(rader, "kodningsfel", lambda: None)())


def _lagg_in_summor(ut: Utfall, summor: dict[tuple[str, str, int], int],
                    forsta_plats: dict[tuple[str, str, int], Plats], fel: Felsamlare, kodning: Optional[Fel]) -> None:
    """Summorna per (utförare, rad-id, månad) in i `ut` när tabellen är utan fel: summan högst
    MAX_ANTAL, och `kodning` (filen lästes som cp1252) med bland felen. Gemensamt för CSV-läsaren,
    snabbvägen och xlsx; `summor` i ordningen för varje nyckels första rad."""
    for (utf, rid, manad), antal in summor.items():
        if antal > MAX_ANTAL:
            fel(forsta_plats[(utf, rid, manad)], f"{utf}.{rid}.{ut.ar}-{manad:02d}",
                f"summan av raderna är {svenskt_tal(antal)}, mer än {svenskt_tal(MAX_ANTAL)} per rad och månad")
    if fel and kodning is not None:     # felen kan bero på kodningen: säg att filen lästes som cp1252
        fel.lagg_till(kodning)
    fel.kasta_om_fel(sortera=True)
    for (utf, rid, manad), antal in summor.items():
        plats = forsta_plats[(utf, rid, manad)]
        if _registrera(ut, (PRODUKTION, utf, rid, manad), plats, fel, f"{utf}.{rid}.{ut.ar}-{manad:02d}"):
            _lagg_till_produktion(ut, utf, rid, manad, antal)
    fel.kasta_om_fel()


def _las_xlsx(kalla: Indatafil, borjan: bytes, blad: Optional[str], uppdrag: Uppdrag, ut: Utfall) -> None:
    """Produktionen ur ett blad i en arbetsbok (xlsx): samma kolumner och regler som CSV, och fel
    med blad och cell (`utfall.xlsx:Blad1!D17: antal: …`)."""
    from vgr_ersattning.excel import las_blad

    with las_blad(kalla, borjan, blad) as rader:
        _las_tabell(rader.namn, rader, lambda: rader, uppdrag, ut)


def _kontrollera_rad(rad: list[str], index: tuple[int, int, int, int], antal_fel: bool, slutrad: int,
                     rader: CsvRader, uppdrag: Uppdrag, ar: int, fel: Felsamlare,
                     tolka_antal: Callable[[str], tuple[Optional[int], str]] = heltal_ur_text,
                     ) -> Optional[tuple[str, str, int]]:
    """Varje fel på raden (utförare, rad-id, månad, antal), i kolumnordning; den giltiga nyckeln
    (utförare, rad-id, månad) eller None."""
    iu, ir, im, ia = index
    utf, rid, manad_text = rad[iu].strip(), rad[ir].strip(), rad[im].strip()
    problem: list[tuple[int, str, str]] = []
    u = uppdrag.utforare.get(utf)
    if u is None or u.volymer is None:
        med_volymer = [k for k, v in uppdrag.utforare.items() if v.volymer is not None]
        problem.append((iu, "utforare", f"okänd utförare {visa(utf)} (med volymer: {', '.join(med_volymer)})"
                        if u is None else f"utföraren {utf} har ingen volymtabell"))
    elif rid not in u.volymer.rader:
        problem.append((ir, "rad", f"okänt rad-id {visa(rid)} för {utf}"))
    manad = None
    try:
        manad = _period(manad_text, (MANAD,), ar).nummer
    except Periodfel as e:
        problem.append((im, "manad", str(e)))
    if antal_fel:
        problem.append((ia, "antal", tolka_antal(rad[ia])[1]))
    for i, sokvag, medd in sorted(problem):
        fel(rader.plats(slutrad, rad, i), sokvag, medd)
    if any(i != ia for i, _, _ in problem):
        return None
    return (utf, rid, manad)  # type: ignore[return-value]


# --- YAML och JSON -------------------------------------------------------------------------------


def las_yaml_utfall(sokvag: Path, uppdrag: Uppdrag, ut: Utfall) -> None:
    """Läser en YAML- eller JSON-fil med utfall in i `ut`, med ett fel per problem."""
    kalla = oppna(sokvag)
    try:
        borjan = las_borjan(kalla)
        _las_yaml(kalla, borjan, kanna_igen(borjan, sokvag, CSV_KOLUMNER), uppdrag, ut)
    finally:
        kalla.strom.close()


def _las_yaml(kalla: Indatafil, borjan: bytes, format: str, uppdrag: Uppdrag, ut: Utfall) -> None:
    text = avkoda(kalla.namn, las_byte(kalla, MAX_YAML_BYTE, borjan))
    varden_fel: list[Fel] = []
    data, pos = las_yaml_text(text, kalla.namn, format=format if format != CSV else "YAML", nycklar_som_text=True,
                              tal_som_yaml12=True, fel_ut=varden_fel)
    if not isinstance(data, dict):
        raise Inlasningsfel(varden_fel or [Fel(pos.plats(()), "", "utfallsfilen ska vara en mappning med utforare, "
                                               "ar och avsnitt (eller en CSV-fil med rubrikraden "
                                               f"{','.join(CSV_KOLUMNER)})")])
    fel = Felsamlare()
    for f in varden_fel:
        fel.lagg_till(f)
    from vgr_ersattning.modell_indata import Utfallsfil   # bara YAML och JSON: en CSV behöver den inte

    try:
        fil: Optional[Utfallsfil] = validera(Utfallsfil, data, pos)
    except Inlasningsfel as e:
        fil = None
        # Ett värde som redan fått ett fel vid inläsningen (None i datan) får inte ett till.
        for f in utan_foljdfel(e.visade, varden_fel):
            fel.lagg_till(f)
        fel.overskjutande += e.fler
    if fil is not None:
        utf, ar = fil.utforare, fil.ar
        avsnitt = {a: getattr(fil, a) or {} for a in AVSNITT}
    else:
        # Strukturen har fel (de är redan rapporterade): kontrollera ändå nycklarna mot uppdraget,
        # så att alla fel i filen syns på en gång, men lägg inte in några värden.
        utf = data.get("utforare") if isinstance(data.get("utforare"), str) else None
        ar = data.get("ar") if type(data.get("ar")) is int else None
        avsnitt = {a: {k: v for k, v in data[a].items() if isinstance(v, dict)} if isinstance(data.get(a), dict)
                   else {} for a in AVSNITT}
    # Värdena läggs in först när hela filen är utan fel (och bara om strukturen höll).
    inlagg: Optional[list] = [] if fil is not None and not varden_fel else None
    _kontrollera_mot_uppdraget(utf, ar, avsnitt, uppdrag, ut, pos, fel, inlagg)
    fel.kasta_om_fel(sortera=True)
    for nyckel, plats, vag, varde in inlagg or ():
        if _registrera(ut, nyckel, plats, fel, vag):
            _lagg_in(ut, nyckel, varde)
    fel.kasta_om_fel()


def _lagg_in(ut: Utfall, nyckel: tuple, varde: Any) -> None:
    avsnitt, utf, id_, period = nyckel
    if avsnitt == PRODUKTION:
        _lagg_till_produktion(ut, utf, id_, period, varde)
    elif avsnitt == AVRAKNING:
        ut.avrakning.setdefault(utf, {}).setdefault(id_, {})[period] = varde
    elif avsnitt == INDIKATORER:
        ut.indikatorer.setdefault(utf, {}).setdefault(id_, {})[period] = varde
    else:
        ut.malrelaterad.setdefault(utf, {})[period] = varde


def _kontrollera_mot_uppdraget(utf: Optional[str], ar: Optional[int], avsnitt: dict[str, dict], uppdrag: Uppdrag,
                               ut: Utfall, pos: Positioner, fel: Felsamlare, inlagg: Optional[list]) -> None:
    """Andra passet: det som kräver uppdraget, med positioner. Med en lista `inlagg` (strukturen
    höll) läggs varje giltigt värde där som (nyckel, plats, nyckelväg, värde) för `_registrera`."""
    from vgr_ersattning.kalkyl.malrelaterad import andel_procent

    def f(vag: tuple, medd: str) -> None:
        fel(pos.plats(vag), sokvag_text(vag), medd)

    def period(vag: tuple, text: str, slag: tuple[str, ...]) -> Optional[Period]:
        try:
            return _period(text, slag)
        except Periodfel as e:
            f(vag, str(e))
            return None

    if utf is not None and utf not in uppdrag.utforare:
        f(("utforare",), f"okänd utförare {visa(utf)} (finns: {', '.join(uppdrag.utforare)})")
        utf = None
    if ar is not None and ar != ut.ar:
        f(("ar",), f"året {ar} är inte uppdragsåret {ut.ar}")
        return
    if utf is None or ar is None:
        return
    u = uppdrag.utforare[utf]

    def manad(vag: tuple, text: str) -> Optional[int]:
        p = period(vag, text, (MANAD,))
        if p is not None and p.ar != ar:
            f(vag, f"månaden {p} ligger utanför uppdragsåret {ar}")
            return None
        return p.nummer if p is not None else None

    # produktion: rad → månad → antal; avrakning: post → månad → tkr. Samma form: ett känt id och
    # en månad i uppdragsåret per värde.
    rader = u.volymer.rader if u.volymer else {}
    poster = u.avrakning.poster if u.avrakning else {}
    finns = f" (finns: {', '.join(poster)})" if poster else f" ({utf} har ingen avräkning)"
    for sektion, kanda, okand in (
            (PRODUKTION, rader, lambda i: f"okänt rad-id {visa(i)} för {utf}" if u.volymer else
             f"utföraren {utf} har ingen volymtabell"),
            (AVRAKNING, poster, lambda i: f"okänd post med avräkning {visa(i)} för {utf}{finns}")):
        for nid, manader in avsnitt[sektion].items():
            if nid not in kanda:
                f((sektion, nid), okand(nid))
                continue
            for mtext, varde in manader.items():
                vag = (sektion, nid, mtext)
                m = manad(vag, mtext)
                if m is not None and inlagg is not None:
                    inlagg.append(((sektion, utf, nid, m), pos.plats(vag), sokvag_text(vag), varde))

    # indikatorer: id → period → värde
    lista = u.indikatorer.lista if u.indikatorer else {}
    for iid, perioder in avsnitt[INDIKATORER].items():
        vag = (INDIKATORER, iid)
        ind = lista.get(iid)
        if ind is None:
            f(vag, f"okänd indikator {visa(iid)} för {utf}")
            continue
        if ind.berakning:
            f(vag, "indikatorn räknas fram ur produktionen och skrivs inte in")
            continue
        rapporteras = [p for p in arets_perioder(ar, (MANAD, TERTIAL, AR)) if p.tillfalle in ind.tillfallen]
        # Perioden före en rapporterad period får anges som jämförelse för ska_oka och ska_minska
        # (månaden, tertialet eller året före; för årets första period ligger den året före).
        jamforelse = {p.foregaende() for p in rapporteras} if ind.typ in ("ska_oka", "ska_minska") else set()
        aret_fore = ", ".join(str(x) for x in sorted(jamforelse, key=lambda x: x.ordning) if x.ar != ar)
        tillfallen = ", ".join(_TILLFALLE.get(t, t) for t in ind.tillfallen)
        for ptext, varde in perioder.items():
            v2 = vag + (ptext,)
            p = period(v2, ptext, (MANAD, TERTIAL, AR))
            if p is None:
                continue
            if p not in rapporteras and p not in jamforelse:
                if p.ar != ar:
                    extra = f"; året före får bara anges som jämförelse ({aret_fore})" if aret_fore else ""
                    f(v2, f"{_BESTAMD[p.slag]} {p} ligger utanför uppdragsåret {ar}{extra}")
                else:
                    f(v2, f"{iid} följs inte upp för {_BESTAMD[p.slag]} {p} (uppföljning: {tillfallen})")
                continue
            # Värdets sort mot indikatorns typ (också när strukturen har fel: ett värde som är
            # None eller av fel slag har redan fått sitt fel).
            if isinstance(varde, str) or (isinstance(varde, (int, Decimal)) and not isinstance(varde, bool)):
                if ind.typ == "ja_nej" and varde not in ("Ja", "Nej"):
                    f(v2, f"{visa(varde)} ska vara Ja eller Nej")
                    continue
                if ind.typ not in ("ja_nej", "information") and isinstance(varde, str):
                    f(v2, f"{visa(varde)} är inte ett tal")
                    continue
            if inlagg is not None:
                inlagg.append(((INDIKATORER, utf, iid, str(p)), pos.plats(v2), sokvag_text(v2), varde))

    # malrelaterad_1177: ÅÅÅÅ-Qn → {besvarade_inom_8_min, samtal} eller {andel_procent}
    mal = avsnitt[MALRELATERAD]
    if mal and u.malrelaterad_1177 is None:
        f((MALRELATERAD,), f"{utf} har ingen målrelaterad ersättning för 1177")
        return
    for ktext, v in mal.items():
        vag = (MALRELATERAD, ktext)
        p = period(vag, ktext, (KVARTAL,))
        if p is None:
            continue
        if p.ar != ar:
            f(vag, f"kvartalet {p} ligger utanför uppdragsåret {ar}")
            continue
        if inlagg is not None:
            andel = v.andel_procent if v.andel_procent is not None else andel_procent(v.besvarade_inom_8_min,
                                                                                      v.samtal)
            inlagg.append(((MALRELATERAD, utf, None, p.nummer), pos.plats(vag), sokvag_text(vag), andel))


# --- alla filer ----------------------------------------------------------------------------------


def _samma_fil_tva_ganger(filer: list[Path]) -> list[Fel]:
    """Samma fil två gånger (samma sökväg, `./a.csv` och dess absoluta sökväg, en hård länk eller
    symbolisk länk, eller `-` två gånger): en rad per upprepning som nämner båda namnen."""
    sedda: dict[Any, str] = {}
    fel = []
    for s in filer:
        text = str(s)
        nycklar: list[Any] = []
        try:
            if text == STDIN:
                nycklar.append(("stdin",))
                st = os.fstat(0)
            else:
                st = os.stat(s)
                nycklar.append(("sokvag", os.path.realpath(s)))
            nycklar.append(("inod", st.st_dev, st.st_ino))
        except (OSError, ValueError):
            pass          # filen som inte går att läsa får sitt fel när den läses
        forst = next((sedda[n] for n in nycklar if n in sedda), None)
        if forst is not None:
            namn = text if text != STDIN else "-"
            if forst == namn:
                medd = "anges två gånger med --utfall; varje utfallsfil ska anges en gång"
            else:
                medd = f"samma fil som {forst} (anges två gånger med --utfall); varje utfallsfil ska anges en gång"
            fel.append(Fel(Plats(namn, 0, 0), "", medd))
            continue
        for n in nycklar:
            sedda[n] = text
    return fel


def las_utfall(filer: list[Path], uppdrag: Uppdrag, framsteg_for: Callable[[Path], Any] | None = None,
               blad: Optional[str] = None) -> Utfall:
    """Läser alla `--utfall`-filer (CSV, xlsx, YAML eller JSON efter innehållet; `-` är standard in)
    till ett `Utfall`. `blad` är bladet i arbetsböckerna (standard: det första). Samma fil två
    gånger vägras innan något läses."""
    dubbletter = _samma_fil_tva_ganger(list(filer))
    if dubbletter:
        raise Inlasningsfel(dubbletter)
    ut = Utfall(uppdrag.ar)
    alla_fel: list[Inlasningsfel] = []
    arbetsbocker = 0
    for sokvag in filer:
        try:
            kalla = oppna(sokvag)
            try:
                borjan = las_borjan(kalla)
                format = kanna_igen(borjan, sokvag, CSV_KOLUMNER, xlsx=True)
                if format == XLSX:
                    arbetsbocker += 1
                    _las_xlsx(kalla, borjan, blad, uppdrag, ut)
                elif format == CSV:
                    framsteg = framsteg_for(Path(sokvag)) if framsteg_for and str(sokvag) != STDIN else None
                    _las_csv(kalla, fortsatt(kalla, borjan), uppdrag, ut, framsteg)
                else:
                    _las_yaml(kalla, borjan, format, uppdrag, ut)
            finally:
                kalla.strom.close()
        except Inlasningsfel as e:
            alla_fel.append(e)
        except OSError as e:     # ett läsfel mitt i filen
            alla_fel.append(filfel(visningsnamn(sokvag), e))
    if blad is not None and filer and not arbetsbocker and not alla_fel:
        alla_fel.append(Inlasningsfel([Fel(Plats("--blad", 0, 0), "", f"{visa(blad)}: bladet gäller utfallsfiler "
                                           "i xlsx, och ingen av utfallsfilerna är en arbetsbok")]))
    if alla_fel:
        raise sla_ihop(alla_fel)
    return ut
