"""CSV (regelboken §13): punktformat, en rad per volymrad, tillfälle, kvartal, indikator eller
scenario, med samma kolumnnamn som JSON-nycklarna."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from vgr_ersattning.pengar import maskin
from vgr_ersattning.visning.jsonformat import andel, manad_text, varde


def csv_text(rubrik: Iterable[str], rader: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(rubrik)
    for r in rader:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def kontrollera(rapport) -> str:
    return csv_text(("namn", "ok", "meddelande", "plats", "varde", "differens", "enhet"), (
        (k.namn, "ja" if k.ok else "nej", k.meddelande, k.plats, maskin(k.varde, k.enhet or "antal"),
         maskin(k.differens, k.enhet or "antal"), k.enhet) for k in rapport.resultat.kontroller))


BERAKNA_CSV = ("id", "namn", "bas", "tillagg", "utfall", "ersatta", "pris_kr", "belopp_kr", "maluppfyllelse",
               "kalla", "plats")


def berakna(rapport) -> str:
    from vgr_ersattning.kalkyl.forklaring import Kalla

    b = rapport.resultat

    def rad(r):
        plats, kalla = rapport.kalla(Kalla("uppdrag", ("utforare", b.utforare, "volymer", "rader", r.id)))
        return (r.id, r.namn, r.bas, r.tillagg, maskin(r.utfall, "antal"), maskin(r.ersatta, "antal"),
                maskin(r.pris_kr), maskin(r.belopp_kr), andel(r.maluppfyllelse), kalla, plats)
    return csv_text(BERAKNA_CSV, (rad(r) for r in b.tillagg.rader))


def avrakning(rapport) -> str:
    r = rapport.resultat
    return csv_text(("id", "manad", "niva_tkr", "utfall_tkr", "tak_tkr", "utbetalt_tkr", "reglerat_hittills_tkr",
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
    return csv_text(("slag", "namn", "belopp_tkr"), rader)


def malrelaterad(rapport) -> str:
    m = rapport.resultat
    return csv_text(("kvartal", "andel_procent", "utbetalning_procent", "belopp_kr"), (
        (f"{m.ar}-Q{k.kvartal}", maskin(k.andel_procent, "procent"), maskin(k.utbetalning_procent, "procent"),
         maskin(k.belopp_kr)) for k in m.resultat.kvartal))


def uppfoljning(rapport) -> str:
    return csv_text(("id", "namn", "period", "typ", "malvarde", "utfall", "status"), (
        (b.id, b.indikator.namn, str(b.period), b.indikator.typ, varde(b.indikator.malvarde), varde(b.utfall),
         b.status) for b in rapport.resultat.bedomningar))


def kalender(rapport) -> str:
    r = rapport.resultat
    return csv_text(("period", "id", "namn", "uppgiftslamnare"), (
        (str(p), i, r.indikatorer[i].namn, r.indikatorer[i].uppgiftslamnare) for p, ider in r.tillfallen for i in ider))


def scenario(rapport) -> str:
    return csv_text(("namn", "forandring_plan_kr", "forandring_utfall_kr", "kraver_namndbeslut", "andringar"), (
        (r.namn, maskin(r.forandring_plan_kr), maskin(r.forandring_utfall_kr),
         "ja" if r.kraver_namndbeslut else "nej",
         ";".join(f"{a.id}.{a.falt}:{maskin(a.fran)}->{maskin(a.till)}" for a in r.andringar))
        for r in rapport.resultat.resultat))


def forklara(rapport) -> str:
    r = rapport.resultat
    if hasattr(r, "figurer"):
        return csv_text(("figur", "beskrivning"), r.figurer)

    def rader(n, djup):
        v = n.varde
        yield (djup, n.namn, v if isinstance(v, str) or v is None else maskin(v, n.enhet or "antal"), n.enhet,
               n.regel, n.formel, n.plats, n.dokument, ";".join(n.antaganden))
        for d in n.delar:
            yield from rader(d, djup + 1)
    return csv_text(("djup", "namn", "varde", "enhet", "regel", "formel", "plats", "kalla", "antaganden"),
                    rader(r.nod, 0))


def antaganden(rapport) -> str:
    r = rapport.resultat
    return csv_text(("id", "text", "kalla", "platser"), (
        (a, t.text, t.kalla, ";".join(r.anvandning.get(a, []))) for a, t in r.antaganden.items()))


def prognos(rapport) -> str:
    r = rapport.resultat
    return csv_text(("id", "namn", "utfall", "plan_hittills", "takt", "prognos_antal", "ersatta", "belopp_kr",
                     "utan_ersattning", "tak_manad"), (
        (x.id, x.namn, x.utfall, maskin(x.plan_hittills, "antal"), maskin(x.takt, "procent"), x.prognos_antal,
         maskin(x.resultat.ersatta, "antal"), maskin(x.belopp_kr), x.utan_ersattning,
         manad_text(r.ar, x.tak_manad) if x.tak_manad else None) for x in r.resultat.rader))


def jamfor(rapport) -> str:
    return csv_text(("id", "namn", "revision_kr", "nya_manader_kr", "forandring_kr", "korsar"), (
        (x.id, x.namn, maskin(x.revision_kr), maskin(x.nya_manader_kr), maskin(x.forandring_kr), ";".join(x.korsar))
        for x in rapport.resultat.resultat.rader))
