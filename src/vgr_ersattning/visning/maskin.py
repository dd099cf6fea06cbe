"""Maskinformat (REGLER §13): JSON med belopp som exakta decimalsträngar, CSV i punktformat.

Nyckelnamnen är svensk ascii och stabila; de står i README:n.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any, Iterable

from vgr_ersattning.pengar import maskin


def manad_text(ar: int, m: int) -> str:
    return f"{ar}-{m:02d}"


def json_text(data: Any) -> str:
    """En rad JSON. Utan indrag används json-modulens C-kodare (indrag tvingar fram den långsamma
    Python-kodaren, som ensam tog mer än hela beräkningen av 10 000 scenarier); `jq .` ger läsbar form."""
    return json.dumps(data, ensure_ascii=False) + "\n"


def csv_text(rubrik: Iterable[str], rader: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(rubrik)
    for r in rader:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def andel(v: Decimal | None) -> str | None:
    """En andel (1 = 100 %) i maskinformat: `0.022`."""
    return maskin(v, "procent") if v is not None else None


# --- kontrollera -----------------------------------------------------------------------------


def kontroller_json(kontroller, plats_for) -> dict:
    return {
        "ok": all(k.ok for k in kontroller),
        "kontroller": [
            {"namn": k.namn, "ok": k.ok, "meddelande": k.meddelande,
             "plats": str(plats_for(k)), "varde": maskin(k.varde, k.enhet or "antal"),
             "differens": maskin(k.differens, k.enhet or "antal"), "enhet": k.enhet or None}
            for k in kontroller
        ],
    }


def kontroller_csv(kontroller, plats_for) -> str:
    return csv_text(("namn", "ok", "meddelande", "plats", "varde", "differens", "enhet"), (
        (k.namn, "ja" if k.ok else "nej", k.meddelande, str(plats_for(k)), maskin(k.varde, k.enhet or "antal"),
         maskin(k.differens, k.enhet or "antal"), k.enhet) for k in kontroller))


# --- berakna ---------------------------------------------------------------------------------


def berakna_json(ar: int, tillagg, anslag, avrakning, utbetalning) -> dict:
    return {
        "utforare": tillagg.utforare,
        "ar": ar,
        "till_och_med": manad_text(ar, tillagg.till_och_med),
        "plan": tillagg.ar_plan,
        "tillagg": {
            "rader": [
                {"id": r.id, "namn": r.namn, "bas": r.bas, "tillagg": r.tillagg,
                 "utfall": maskin(r.utfall, "antal"), "plan": maskin(r.plan, "antal"),
                 "ersatta": maskin(r.ersatta, "antal"), "priskategori": r.priskategori,
                 "pris_kr": maskin(r.pris_kr), "belopp_kr": maskin(r.belopp_kr),
                 "maluppfyllelse": andel(r.maluppfyllelse)}
                for r in tillagg.rader
            ],
            "manader": [{"manad": manad_text(ar, i + 1), "belopp_kr": maskin(b)} for i, b in enumerate(tillagg.manader)],
            "summa_kr": maskin(tillagg.summa_kr),
            "maluppfyllelse": andel(tillagg.maluppfyllelse),
        },
        "anslag": {
            "ram_tkr": maskin(anslag.ram_tkr, "tkr"),
            "utbetalt_kr": maskin(anslag.utbetalt_kr),
            "manader": [{"manad": manad_text(ar, i + 1), "belopp_kr": maskin(b)}
                        for i, b in enumerate(anslag.manader[: anslag.till_och_med])],
        },
        "avrakning": avrakning_json(avrakning, ar) if avrakning is not None else None,
        "summa_kr": maskin(utbetalning.summa_kr),
        "antaganden": list(tillagg.antaganden),
    }


BERAKNA_CSV = ("id", "namn", "bas", "tillagg", "utfall", "ersatta", "pris_kr", "belopp_kr", "maluppfyllelse")


def berakna_csv(tillagg) -> str:
    return csv_text(BERAKNA_CSV, (
        (r.id, r.namn, r.bas, r.tillagg, maskin(r.utfall, "antal"), maskin(r.ersatta, "antal"),
         maskin(r.pris_kr), maskin(r.belopp_kr), andel(r.maluppfyllelse)) for r in tillagg.rader))


# --- avrakning -------------------------------------------------------------------------------


def avrakning_json(res, ar: int) -> dict:
    return {
        "poster": [
            {"id": p.id, "namn": p.namn, "niva_tkr": maskin(p.niva_tkr, "tkr"), "saknar_utfall": p.saknar_utfall,
             "tillfallen": [
                 {"manad": manad_text(ar, t.manad), "utfall_tkr": maskin(t.utfall_tkr, "tkr"),
                  "tak_tkr": maskin(t.tak_tkr, "tkr"), "utbetalt_tkr": maskin(t.utbetalt_tkr, "tkr"),
                  "reglerat_hittills_tkr": maskin(t.reglerat_hittills_tkr, "tkr"),
                  "reglering_tkr": maskin(t.reglering_tkr, "tkr")}
                 for t in p.tillfallen]}
            for p in res.poster
        ],
        "summa_reglering_tkr": maskin(res.summa_reglering_tkr, "tkr"),
    }


def avrakning_csv(res, ar: int) -> str:
    return csv_text(("id", "manad", "niva_tkr", "utfall_tkr", "tak_tkr", "utbetalt_tkr", "reglerat_hittills_tkr",
                     "reglering_tkr"), (
        (p.id, manad_text(ar, t.manad), maskin(p.niva_tkr, "tkr"), maskin(t.utfall_tkr, "tkr"),
         maskin(t.tak_tkr, "tkr"), maskin(t.utbetalt_tkr, "tkr"), maskin(t.reglerat_hittills_tkr, "tkr"),
         maskin(t.reglering_tkr, "tkr")) for p in res.poster for t in p.tillfallen))


# --- brygga ----------------------------------------------------------------------------------


def brygga_json(r) -> dict:
    return {
        "fran_tkr": maskin(r.fran_tkr, "tkr"),
        "index": andel(r.index),
        "upprakning_tkr": maskin(r.upprakning_tkr, "tkr"),
        "upprakning_tryckt_tkr": maskin(r.upprakning_tryckt_tkr, "tkr"),
        "delsumma_angiven_tkr": maskin(r.delsumma.angiven_tkr, "tkr"),
        "delsumma_differens_tkr": maskin(r.delsumma.differens_tkr, "tkr"),
        "justeringar": [{"namn": n, "belopp_tkr": maskin(b, "tkr")} for n, b in r.justeringar],
        "summa_tryckta_tkr": maskin(r.total.summa_tkr, "tkr"),
        "angiven_tkr": maskin(r.total.angiven_tkr, "tkr"),
        "differens_tkr": maskin(r.total.differens_tkr, "tkr"),
        "tolerans_tkr": maskin(r.total.tolerans_tkr, "tkr"),
        "stammer": r.stammer,
        "ledtradar": list(r.ledtradar),
    }


def brygga_csv(r) -> str:
    rader = [("fran", "", maskin(r.fran_tkr, "tkr")), ("index", "", maskin(r.upprakning_tryckt_tkr, "tkr")),
             ("delsumma", "", maskin(r.delsumma.angiven_tkr, "tkr"))]
    rader += [("justering", n, maskin(b, "tkr")) for n, b in r.justeringar]
    rader.append(("till", "", maskin(r.total.angiven_tkr, "tkr")))
    return csv_text(("slag", "namn", "belopp_tkr"), rader)


# --- malrelaterad ----------------------------------------------------------------------------


def malrelaterad_json(res, ar: int) -> dict:
    return {
        "kvartalsbelopp_kr": maskin(res.kvartalsbelopp_kr),
        "kvartal": [{"kvartal": f"{ar}-Q{k.kvartal}", "andel_procent": maskin(k.andel_procent, "procent"),
                     "utbetalning_procent": maskin(k.utbetalning_procent, "procent"),
                     "belopp_kr": maskin(k.belopp_kr)} for k in res.kvartal],
        "summa_kr": maskin(res.summa_kr),
        "antaganden": list(res.antaganden),
    }


def malrelaterad_csv(res, ar: int) -> str:
    return csv_text(("kvartal", "andel_procent", "utbetalning_procent", "belopp_kr"), (
        (f"{ar}-Q{k.kvartal}", maskin(k.andel_procent, "procent"), maskin(k.utbetalning_procent, "procent"),
         maskin(k.belopp_kr)) for k in res.kvartal))


# --- uppfoljning -----------------------------------------------------------------------------


def _varde(v):
    if v is None or isinstance(v, str):
        return v
    return maskin(v, "procent")


def uppfoljning_json(period, bedomningar) -> dict:
    return {
        "period": str(period),
        "indikatorer": [
            {"id": b.id, "namn": b.indikator.namn, "omrade": b.indikator.omrade, "period": str(b.period),
             "typ": b.indikator.typ, "malvarde": _varde(b.indikator.malvarde), "enhet": b.indikator.enhet,
             "utfall": _varde(b.utfall), "foregaende": _varde(b.foregaende), "status": b.status}
            for b in bedomningar
        ],
    }


def uppfoljning_csv(bedomningar) -> str:
    return csv_text(("id", "namn", "period", "typ", "malvarde", "utfall", "status"), (
        (b.id, b.indikator.namn, str(b.period), b.indikator.typ, _varde(b.indikator.malvarde), _varde(b.utfall),
         b.status) for b in bedomningar))


def kalender_json(kal, indikatorer) -> dict:
    return {"tillfallen": [
        {"period": str(p), "indikatorer": [
            {"id": i, "namn": indikatorer[i].namn, "uppgiftslamnare": indikatorer[i].uppgiftslamnare} for i in ider]}
        for p, ider in kal]}


def kalender_csv(kal, indikatorer) -> str:
    return csv_text(("period", "id", "namn", "uppgiftslamnare"), (
        (str(p), i, indikatorer[i].namn, indikatorer[i].uppgiftslamnare) for p, ider in kal for i in ider))


# --- scenario --------------------------------------------------------------------------------


def scenario_json(resultat) -> dict:
    return {"scenarier": [
        {"namn": r.namn,
         "andringar": [{"id": a.id, "falt": a.falt, "fran": maskin(a.fran, "kr"), "till": maskin(a.till, "kr")}
                       for a in r.andringar],
         "forandring_plan_kr": maskin(r.forandring_plan_kr),
         "forandring_utfall_kr": maskin(r.forandring_utfall_kr),
         "kraver_namndbeslut": r.kraver_namndbeslut}
        for r in resultat]}


def scenario_csv(resultat) -> str:
    return csv_text(("namn", "forandring_plan_kr", "forandring_utfall_kr", "kraver_namndbeslut", "andringar"), (
        (r.namn, maskin(r.forandring_plan_kr), maskin(r.forandring_utfall_kr),
         "ja" if r.kraver_namndbeslut else "nej",
         ";".join(f"{a.id}.{a.falt}:{maskin(a.fran)}->{maskin(a.till)}" for a in r.andringar)) for r in resultat))
