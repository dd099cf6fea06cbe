"""CSV (regelboken §13, §20): en rad per volymrad, tillfälle, kvartal, indikator eller scenario,
med samma kolumnnamn som JSON-nycklarna.

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
from vgr_ersattning.kalkyl.resultat import Kalla
from vgr_ersattning.visning.jsonformat import bokfort_for, manad_text

BOM = "\ufeff"

# Tecken som får Excel att läsa en cell som en formel när de står först.
FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


class _Tal(str):
    """Ett tal i maskinformat (`"1234.5"`): i dialekten excel skrivs det med decimalkomma."""

    __slots__ = ()


def maskin(v, enhet: str = "kr"):
    t = pengar.maskin(v, enhet)
    return None if t is None else _Tal(t)


def andel(v):
    """En andel (1 = 100 %): `0.022`."""
    return maskin(v, "procent") if v is not None else None


def varde(v):
    """Ett indikatorvärde: text som den är, tal i maskinformat."""
    if v is None or isinstance(v, str):
        return v
    return maskin(v, "procent")


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


def kontrollera(rapport) -> str:
    return _csv(rapport, ("namn", "ok", "meddelande", "plats", "varde", "differens", "enhet"), (
        (k.namn, "ja" if k.ok else "nej", k.meddelande, k.plats, maskin(k.varde, k.enhet or "antal"),
         maskin(k.differens, k.enhet or "antal"), k.enhet) for k in rapport.resultat.kontroller))


BERAKNA_CSV = ("id", "namn", "bas", "tillagg", "utfall", "ersatta", "pris_kr", "belopp_kr", "maluppfyllelse",
               "kalla", "plats")


BERAKNA_MANADER_CSV = ("manad", "anslag_kr", "tillagg_kr", "avrakning_kr", "summa_kr")
BERAKNA_SUMMOR_CSV = ("post", "varde")


def berakna(rapport) -> str:
    """Tre avsnitt åtskilda av en tom rad: raderna, månaderna (utbetalningen per månad,
    avrundad till öre kumulativt så att varje kolumn summerar till sin summa, som i JSON) och
    summorna."""
    b = rapport.resultat
    t, a = b.tillagg, b.anslag

    def rad(r):
        plats, kalla = rapport.kalla(Kalla("uppdrag", ("utforare", b.utforare, "volymer", "rader", r.id)))
        return (r.id, r.namn, r.bas, r.tillagg, maskin(r.utfall, "antal"), maskin(r.ersatta, "antal"),
                maskin(r.pris_kr), maskin(r.belopp_kr), andel(r.maluppfyllelse), kalla, plats)

    u = b.utbetalning.avrundad(2)
    manader = [(manad_text(b.ar, m.manad), maskin(m.anslag_kr), maskin(m.tillagg_kr),
                maskin(m.avrakning_kr) if m.avrakning_kr is not None else None, maskin(m.summa_kr))
               for m in u.manader]
    summor = [("tillagg_kr", maskin(t.summa_kr)), ("maluppfyllelse", andel(t.maluppfyllelse)),
              ("ram_tkr", maskin(a.ram_tkr, "tkr")), ("anslag_utbetalt_kr", maskin(a.utbetalt_kr))]
    if b.avrakning is not None:
        summor += [("avrakning_kr", maskin(b.utbetalning.avrakning_kr)),
                   ("summa_reglering_tkr", maskin(b.avrakning.summa_reglering_tkr, "tkr"))]
    summor.append(("summa_kr", maskin(b.summa_kr)))
    return csv_avsnitt([(BERAKNA_CSV, (rad(r) for r in t.rader)), (BERAKNA_MANADER_CSV, manader),
                        (BERAKNA_SUMMOR_CSV, summor)], getattr(rapport, "csv_dialekt", "maskin"))


def avrakning(rapport) -> str:
    r = rapport.resultat
    return _csv(rapport, ("id", "manad", "niva_tkr", "utfall_tkr", "tak_tkr", "utbetalt_tkr", "reglerat_hittills_tkr",
                     "reglering_tkr"), (
        (p.id, manad_text(r.ar, t.manad), maskin(p.niva_tkr, "tkr"), maskin(t.utfall_tkr, "tkr"),
         maskin(t.tak_tkr, "tkr"), maskin(t.utbetalt_tkr, "tkr"), maskin(t.reglerat_hittills_tkr, "tkr"),
         maskin(t.reglering_tkr, "tkr")) for p in r.resultat.poster for t in p.tillfallen))


def brygga(rapport) -> str:
    r = rapport.resultat.resultat
    rader = [("fran", "", maskin(r.fran_tkr, "tkr")), ("index", "", maskin(r.upprakning_tryckt_tkr, "tkr")),
             ("delsumma", "", maskin(r.delsumma.angiven_tkr, "tkr"))]
    rader += [("justering", n, maskin(b, "tkr")) for n, b in r.justeringar]
    rader.append(("till", "", maskin(r.total.angiven_tkr, "tkr")))
    return _csv(rapport, ("slag", "namn", "belopp_tkr"), rader)


def malrelaterad(rapport) -> str:
    m = rapport.resultat
    return _csv(rapport, ("kvartal", "andel_procent", "utbetalning_procent", "belopp_kr"), (
        (f"{m.ar}-Q{k.kvartal}", maskin(k.andel_procent, "procent"), maskin(k.utbetalning_procent, "procent"),
         maskin(k.belopp_kr)) for k in m.resultat.kvartal))


def uppfoljning(rapport) -> str:
    return _csv(rapport, ("id", "namn", "period", "typ", "malvarde", "utfall", "status"), (
        (b.id, b.indikator.namn, str(b.period), b.indikator.typ, varde(b.indikator.malvarde), varde(b.utfall),
         b.status) for b in rapport.resultat.bedomningar))


def kalender(rapport) -> str:
    r = rapport.resultat
    return _csv(rapport, ("period", "id", "namn", "uppgiftslamnare", "utforare"), (
        (str(p), r.indikator_id(i), r.indikatorer[i].namn, r.indikatorer[i].uppgiftslamnare, r.agare.get(i, r.utforare))
        for p, ider in r.tillfallen for i in ider))


SCENARIO_KOLUMNER = ("namn", "forandring_plan_kr", "forandring_utfall_kr", "kraver_namndbeslut", "andringar")


def _volym_eller_belopp(v) -> str:
    """`maskin(v)` med en genväg för heltal (volymerna): samma text."""
    return str(v) if type(v) is int else maskin(v)


def scenario_rad(r) -> tuple:
    """Ett scenarios rad (`scenario` och den strömmade CSV:n i `visning.strom`)."""
    return (r.namn, maskin(r.forandring_plan_kr), maskin(r.forandring_utfall_kr),
            "ja" if r.kraver_namndbeslut else "nej",
            ";".join([f"{a.id}.{a.falt}:{_volym_eller_belopp(a.fran)}->{_volym_eller_belopp(a.till)}"
                      for a in r.andringar]))


def scenario_skrivare(buf, dialekt: str):
    """Skriver BOM (excel) och rubriken till `buf` och ger en funktion som skriver ett scenarios rad
    dit, som `scenario` gör för hela listan."""
    if dialekt == "excel":
        buf.write(BOM)
    w = _skrivare(buf, dialekt)
    w.writerow(SCENARIO_KOLUMNER)
    skriv_rad, cell = w.writerow, _cellfunktion(dialekt)
    return lambda r: skriv_rad([cell(v) for v in scenario_rad(r)])


def scenario(rapport) -> str:
    return _csv(rapport, SCENARIO_KOLUMNER, (scenario_rad(r) for r in rapport.resultat.resultat))


def forklara(rapport) -> str:
    r = rapport.resultat
    if hasattr(r, "figurer"):
        return _csv(rapport, ("figur", "beskrivning"), r.figurer)

    def rader(n, djup):
        v = n.varde
        yield (djup, n.namn, v if isinstance(v, str) or v is None else maskin(v, n.enhet or "antal"), n.enhet,
               n.regel, n.formel, n.plats, n.dokument, ";".join(n.antaganden))
        for d in n.delar:
            yield from rader(d, djup + 1)
    return _csv(rapport, ("djup", "namn", "varde", "enhet", "regel", "formel", "plats", "kalla", "antaganden"),
                    rader(r.nod, 0))


def antaganden(rapport) -> str:
    r = rapport.resultat
    return _csv(rapport, ("id", "text", "kalla", "platser"), (
        (a, t.text, t.kalla, ";".join(r.anvandning.get(a, []))) for a, t in r.antaganden.items()))


def prognos(rapport) -> str:
    r = rapport.resultat
    return _csv(rapport, ("id", "namn", "utfall", "plan_hittills", "takt", "prognos_antal", "ersatta", "belopp_kr",
                     "utan_ersattning", "tak_manad"), (
        (x.id, x.namn, x.utfall, maskin(x.plan_hittills, "antal"), maskin(x.takt, "procent"), x.prognos_antal,
         maskin(x.resultat.ersatta, "antal"), maskin(x.belopp_kr), x.utan_ersattning,
         manad_text(r.ar, x.tak_manad) if x.tak_manad else None) for x in r.resultat.rader))


def jamfor(rapport) -> str:
    return _csv(rapport, ("id", "namn", "revision_kr", "nya_manader_kr", "forandring_kr", "korsar"), (
        (x.id, x.namn, maskin(x.revision_kr), maskin(x.nya_manader_kr), maskin(x.forandring_kr), ";".join(x.korsar))
        for x in rapport.resultat.resultat.rader))


UTBETALA_CSV = ("manad", "id", "ratt_hittills_kr", "betalt_fore_kr", "belopp_kr", "kreditering", "namn",
                "efterreglering_kr", "manadens_kr", "bokfort_kr")


def utbetala(rapport) -> str:
    """Två avsnitt åtskilda av en tom rad: komponenterna och månadens summor (`post,varde`, med JSON:s
    nyckelnamn)."""
    r = rapport.resultat
    u = r.resultat
    rader = ((manad_text(u.ar, u.manad), k.komponent, maskin(k.ratt_kr), maskin(k.betalt_kr), maskin(k.belopp_kr),
              "ja" if k.kreditering else "nej", k.namn, maskin(k.efterreglering_kr), maskin(k.manadens_kr),
              maskin(bokfort_for(r, k.komponent))) for k in u.komponenter)
    summor = [("betalt_enligt", "journal" if u.betalt_ur_journal else "berakning"),
              ("bokford", "ja" if r.bokford else "nej"), ("kvittens", r.kvittens),
              ("anslag_kr", maskin(u.anslag_kr)), ("tillagg_kr", maskin(u.tillagg_kr)),
              ("avrakning_kr", maskin(u.avrakning_kr)), ("summa_kr", maskin(u.summa_kr)),
              ("efterreglering_kr", maskin(u.efterreglering_kr)), ("bokfort_kr", maskin(r.bokfort_kr)),
              ("differens_kr", maskin(r.differens_kr))]
    return csv_avsnitt([(UTBETALA_CSV, rader), (BERAKNA_SUMMOR_CSV, summor)], getattr(rapport, "csv_dialekt", "maskin"))


def priser(rapport) -> str:
    return _csv(rapport, ("id", "grupp", "namn", "utforare", "pris_kr", "kalkylerat_kr", "differens_kr", "andel"), (
        (x.id, x.grupp, x.namn, p.utforare, maskin(p.pris_kr), maskin(x.kalkylerat_kr), maskin(p.differens_kr),
         andel(p.andel)) for x in rapport.resultat.rader for p in x.priser))
