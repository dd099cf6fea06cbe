"""CSV (regelboken §13, §20): vilken rapport som helst (`rapport.modell`), en tabell per avsnitt, en
rad per post (volymrad, tillfälle, kvartal, indikator, scenario; rader med rollen RAD) med samma
kolumnnamn som JSON-nycklarna. `forklara` skriver sitt träd själv.

Två dialekter (`--csv-dialekt`, `Rapport.csv_dialekt`):

- `maskin` (standard): komma, decimalpunkt (`263497958`, `0.022`), UTF-8 utan BOM, LF;
- `excel`, som svenska Excel öppnar och sparar: semikolon, decimalkomma (`0,022`), UTF-8 med BOM
  (annars visar Excel "AllmÃ¤n"), CRLF. Bara tal får decimalkomma.

Textceller som börjar med `=`, `+`, `-`, `@`, tabb eller vagnretur skrivs med en inledande `'`
(`skydda_text`), så att Excel visar dem som text och aldrig räknar dem som en formel (OWASP:s regel
mot formelinjektion i CSV). Tal (belopp, antal, också negativa som `-5`) skrivs som de är. Ett fält
med radbrytning eller vagnretur står inom citattecken i båda dialekterna.

`berakna` har tre avsnitt åtskilda av en tom rad: raderna, månaderna och summorna, vart och ett
med sin rubrikrad (README:n, avsnittet Excel).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from vgr_ersattning import pengar
from vgr_ersattning.kalkyl.spar import kallor
from vgr_ersattning.rapport.byggare import KOMMANDON, bygg
from vgr_ersattning.rapport.modell import CSV, Redovisning
from vgr_ersattning.rapport.prognos import andringstext
from vgr_ersattning.visning import celler

BOM = "\ufeff"

# Tecken som får Excel att läsa en cell som en formel när de står först.
FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


class _Tal(str):
    """Ett tal i maskinformat (`"1234.5"`): i dialekten excel skrivs det med decimalkomma."""

    __slots__ = ()


def maskin(v, enhet: str = "kr"):
    t = pengar.maskin(v, enhet)
    return None if t is None else _Tal(t)


def skydda_text(s: str) -> str:
    """En textcell som Excel inte kan läsa som en formel: text som börjar med `=`, `+`, `-`, `@`,
    tabb eller vagnretur får en inledande `'` (Excel visar den som text); annan text är oförändrad.
    Bara för text, aldrig för tal: `-5` som tal skrivs som det är."""
    return "'" + s if s.startswith(FORMELTECKEN) else s


def _ar_tal(v: Any) -> bool:
    return isinstance(v, (_Tal, int, Decimal)) and not isinstance(v, bool)


def _cell(v: Any) -> Any:
    """Cellen i dialekten maskin: tal som de är, text skyddad, None tom."""
    t = type(v)
    if t is str:
        return skydda_text(v)
    if t is _Tal or t is int:
        return v
    if v is None:
        return ""
    return v if _ar_tal(v) else skydda_text(str(v))


def _excelcell(v: Any) -> Any:
    """Cellen i dialekten excel: tal med decimalkomma, text skyddad, None tom."""
    t = type(v)
    if t is str:
        return skydda_text(v)
    if v is None:
        return ""
    return str(v).replace(".", ",") if _ar_tal(v) else skydda_text(str(v))


def _cellfunktion(dialekt: str):
    return _excelcell if dialekt == "excel" else _cell


class _Lf:
    """Filen för dialekten maskin: csv-modulen skriver varje rad med ett anrop, med CRLF i slutet,
    och här blir slutet LF. Så citeras ett fält med vagnretur som ett med radbrytning (csv-modulen
    citerar bara tecknen i radslutet, och en vagnretur utan citattecken bryter raden för Excel)."""

    __slots__ = ("_skriv",)

    def __init__(self, buf):
        self._skriv = buf.write

    def write(self, rad: str):
        return self._skriv(rad[:-2] + "\n")


def _skrivare(buf: io.StringIO, dialekt: str):
    if dialekt == "excel":
        return csv.writer(buf, delimiter=";", lineterminator="\r\n")
    return csv.writer(_Lf(buf), lineterminator="\r\n")


def _skriv_avsnitt(w, dialekt: str, rubrik: Iterable[str], rader: Iterable[Iterable[Any]]) -> None:
    w.writerow(rubrik)
    cell = _cellfunktion(dialekt)
    for r in rader:
        w.writerow([cell(v) for v in r])


def csv_text(rubrik: Iterable[str], rader: Iterable[Iterable[Any]], dialekt: str = "maskin") -> str:
    """En tabell som CSV i dialekten `maskin` eller `excel`."""
    return csv_avsnitt([(rubrik, rader)], dialekt)


def csv_avsnitt(avsnitt: Iterable[tuple[Iterable[str], Iterable[Iterable[Any]]]], dialekt: str = "maskin") -> str:
    """Flera tabeller i en fil, åtskilda av en tom rad, var och en med sin rubrikrad."""
    buf = io.StringIO()
    if dialekt == "excel":
        buf.write(BOM)
    w = _skrivare(buf, dialekt)
    for i, (rubrik, rader) in enumerate(avsnitt):
        if i:
            buf.write("\r\n" if dialekt == "excel" else "\n")
        _skriv_avsnitt(w, dialekt, rubrik, rader)
    return buf.getvalue()


def _csv(rapport, rubrik: Iterable[str], rader: Iterable[Iterable[Any]]) -> str:
    return csv_text(rubrik, rader, getattr(rapport, "csv_dialekt", "maskin"))


SCENARIO_KOLUMNER = ("namn", "forandring_plan_kr", "forandring_utfall_kr", "kraver_namndbeslut", "andringar")


def scenario_rad(r) -> tuple:
    """Ett scenarios rad (samma som rapportens, `rapport.prognos`), för den strömmade CSV:n i `visning.strom`."""
    return (r.namn, maskin(r.forandring_plan_kr), maskin(r.forandring_utfall_kr),
            "ja" if r.kraver_namndbeslut else "nej", andringstext(r))


def scenario_skrivare(buf, dialekt: str):
    """Skriver BOM (excel) och rubriken till `buf` och ger en funktion som skriver ett scenarios rad
    dit, som `scenario` gör för hela listan."""
    if dialekt == "excel":
        buf.write(BOM)
    w = _skrivare(buf, dialekt)
    w.writerow(SCENARIO_KOLUMNER)
    skriv_rad, cell = w.writerow, _cellfunktion(dialekt)
    return lambda r: skriv_rad([cell(v) for v in scenario_rad(r)])


def forklara(rapport) -> str:
    r = rapport.resultat
    if hasattr(r, "figurer"):
        return _csv(rapport, ("figur", "beskrivning"), r.figurer)

    lista, nummer = kallor(r.nod)

    def rader(n, djup):
        v = n.varde
        v = ("ja" if v else "nej") if isinstance(v, bool) else v
        yield (djup, n.namn, v if isinstance(v, str) or v is None else maskin(v, n.enhet or "antal"), n.enhet,
               n.regel, n.formel, n.plats, nummer.get((n.plats, n.dokument)), ";".join(n.antaganden))
        for d in n.delar:
            yield from rader(d, djup + 1)
    # Två avsnitt: trädet (en rad per nod, källans nummer) och källorna, var och en en gång.
    return csv_avsnitt([(("djup", "namn", "varde", "enhet", "regel", "formel", "plats", "kalla_nr", "antaganden"),
                         rader(r.nod, 0)),
                        (("nr", "plats", "kalla"), ((i, p, d) for i, (p, d) in enumerate(lista, 1)))],
                       getattr(rapport, "csv_dialekt", "maskin"))


def skriv(red: Redovisning, rapport) -> str:
    """Rapportens tabeller som står i CSV, åtskilda av en tom rad, var och en med sin rubrikrad
    (kolumnernas nycklar, samma som JSON:s): bara posterna (rader med rollen RAD), tal i maskinformat."""
    avsnitt = []
    for t in red.tabeller:
        if CSV not in t.visas:
            continue
        kolumner = {k.nyckel: (i, k) for i, k in t.kolumner_i(CSV)}
        ordning = t.csv_ordning or tuple(kolumner)
        avsnitt.append((ordning, [[_modellcell(r.celler[kolumner[n][0]], kolumner[n][1]) for n in ordning]
                                  for r in t.rader_i(CSV)]))
    return csv_avsnitt(avsnitt, getattr(rapport, "csv_dialekt", "maskin"))


def _modellcell(v: Any, kolumn) -> Any:
    c = celler.som_cell(v)
    if c.visas is not None and CSV not in c.visas:
        return None
    slag = celler.slag(kolumn, c)
    text = celler.maskinvarde(c.varde, slag)
    return _Tal(text) if text is not None and celler.ar_tal(c.varde, slag) else text


def __getattr__(namn: str):
    """`csvformat.<kommando>(rapport)` för varje kommando med en byggare."""
    if namn in KOMMANDON:
        return lambda rapport: skriv(bygg(namn, rapport), rapport)
    raise AttributeError(f"module {__name__!r} has no attribute {namn!r}")
