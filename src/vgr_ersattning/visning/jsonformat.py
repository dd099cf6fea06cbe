"""JSON (regelboken §13): belopp som exakta decimalsträngar, aldrig flyttal; en rad (`jq .` ger
läsbar form). Nyckelnamnen är svensk ascii och stabila; de står i README:n."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from vgr_ersattning.kalkyl.resultat import BESLUT, Kalla
from vgr_ersattning.kalkyl.spar import kallor
from vgr_ersattning.pengar import fordela_avrundning, maskin


def manad_text(ar: int, m: int) -> str:
    return f"{ar}-{m:02d}"


def json_text(data: Any) -> str:
    """En rad JSON. Utan indrag används json-modulens C-kodare (indrag tvingar fram den långsamma
    Python-kodaren, som ensam tog mer än hela beräkningen av 10 000 scenarier)."""
    return json.dumps(data, ensure_ascii=False) + "\n"


def andel(v: Decimal | None) -> str | None:
    """En andel (1 = 100 %) i maskinformat: `0.022`."""
    return maskin(v, "procent") if v is not None else None


def _manader_ore(ar: int, belopp) -> list[dict]:
    """Månadsbelopp till öre, avrundade så att de summerar till den avrundade summan (planens
    tolftedelar är inte hela ören)."""
    return [{"manad": manad_text(ar, i + 1), "belopp_kr": maskin(b)} for i, b in enumerate(fordela_avrundning(belopp, 2))]


# --- kontrollera -------------------------------------------------------------------------------


def kontroller_data(rapport) -> dict:
    r = rapport.resultat
    return {
        "ok": r.ok,
        "kontroller": [
            {"id": k.id, "namn": k.namn, "ok": k.ok, "meddelande": k.meddelande, "plats": k.plats,
             "varde": maskin(k.varde, k.enhet or "antal"), "differens": maskin(k.differens, k.enhet or "antal"),
             "enhet": k.enhet or None}
            for k in r.kontroller
        ],
        "anmarkningar": [{"utforare": uid, "text": a.text, "kalla": a.kalla} for uid, a in r.anmarkningar],
        "platser": [{"utforare": p.utforare, "namn": p.namn, "at_platser": p.at, "st_a_platser": dict(p.st_a)}
                    for p in getattr(r, "platser", ())],
    }


def kontrollera(rapport) -> str:
    return json_text(kontroller_data(rapport))


# --- berakna -----------------------------------------------------------------------------------


def _rad(r, rapport, utforare: str) -> dict:
    plats, kalla = rapport.kalla(Kalla("uppdrag", ("utforare", utforare, "volymer", "rader", r.id)))
    return {"id": r.id, "namn": r.namn, "bas": r.bas, "tillagg": r.tillagg,
            "utfall": maskin(r.utfall, "antal"), "plan": maskin(r.plan, "antal"),
            "ersatta": maskin(r.ersatta, "antal"), "priskategori": r.priskategori,
            "pris_kr": maskin(r.pris_kr), "belopp_kr": maskin(r.belopp_kr),
            "maluppfyllelse": andel(r.maluppfyllelse), "kalla": kalla, "plats": plats}


def berakna_data(rapport) -> dict:
    b = rapport.resultat
    t, a, ar = b.tillagg, b.anslag, b.ar
    return {
        "utforare": b.utforare,
        "ar": ar,
        "till_och_med": manad_text(ar, t.till_och_med),
        "plan": t.ar_plan,
        "tillagg": {
            "rader": [_rad(r, rapport, b.utforare) for r in t.rader],
            "grupper": [{"id": g.id, "namn": g.namn, "bas": g.bas, "tillagg": g.tillagg,
                         "utfall": maskin(g.utfall, "antal"), "ersatta": maskin(g.ersatta, "antal"),
                         "belopp_kr": maskin(g.belopp_kr), "maluppfyllelse": andel(g.maluppfyllelse)}
                        for g in t.grupper],
            "manader": _manader_ore(ar, t.manader),
            "summa_kr": maskin(t.summa_kr),
            "maluppfyllelse": andel(t.maluppfyllelse),
        },
        "anslag": {
            "ram_tkr": maskin(a.ram_tkr, "tkr"),
            "utbetalt_kr": maskin(a.utbetalt_kr),
            "manader": [{"manad": manad_text(ar, i + 1), "belopp_kr": maskin(v)}
                        for i, v in enumerate(a.manader[: a.till_och_med])],
        },
        "avrakning": _avrakning(b.avrakning, ar) if b.avrakning is not None else None,
        "summa_kr": maskin(b.summa_kr),
        "manader_utan_data": [manad_text(ar, m) for m in b.manader_utan_data],
        "antaganden": list(b.antaganden),
    }


def berakna(rapport) -> str:
    if getattr(rapport.resultat, "regionens_vy", False):
        return berakna_region(rapport)
    return json_text(berakna_data(rapport))


# --- avrakning ---------------------------------------------------------------------------------


def _avrakning(res, ar: int) -> dict:
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
        "antaganden": [res.antagande] if res.antagande else [],
    }


def avrakning(rapport) -> str:
    r = rapport.resultat
    return json_text(_avrakning(r.resultat, r.ar))


# --- brygga ------------------------------------------------------------------------------------


def brygga(rapport) -> str:
    r = rapport.resultat.resultat
    return json_text({
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
    })


# --- malrelaterad ------------------------------------------------------------------------------


def malrelaterad(rapport) -> str:
    m = rapport.resultat
    res, ar = m.resultat, m.ar
    return json_text({
        "kvartalsbelopp_kr": maskin(res.kvartalsbelopp_kr),
        "kvartal": [{"kvartal": f"{ar}-Q{k.kvartal}", "andel_procent": maskin(k.andel_procent, "procent"),
                     "utbetalning_procent": maskin(k.utbetalning_procent, "procent"),
                     "belopp_kr": maskin(k.belopp_kr)} for k in res.kvartal],
        "summa_kr": maskin(res.summa_kr),
        "antaganden": list(res.antaganden),
    })


# --- uppfoljning -------------------------------------------------------------------------------


def varde(v):
    if v is None or isinstance(v, str):
        return v
    return maskin(v, "procent")


def uppfoljning_data(period, bedomningar) -> dict:
    return {
        "period": str(period),
        "indikatorer": [
            {"id": b.id, "namn": b.indikator.namn, "omrade": b.indikator.omrade, "period": str(b.period),
             "typ": b.indikator.typ, "malvarde": varde(b.indikator.malvarde), "enhet": b.indikator.enhet,
             "utfall": varde(b.utfall), "foregaende": varde(b.foregaende), "status": b.status}
            for b in bedomningar
        ],
    }


def uppfoljning(rapport) -> str:
    r = rapport.resultat
    return json_text(uppfoljning_data(r.period, r.bedomningar))


def kalender(rapport) -> str:
    r = rapport.resultat
    return json_text({"tillfallen": [
        {"period": str(p), "indikatorer": [
            {"id": r.indikator_id(i), "utforare": r.agare.get(i, r.utforare), "namn": r.indikatorer[i].namn,
             "uppgiftslamnare": r.indikatorer[i].uppgiftslamnare,
             "redovisas": getattr(r.indikatorer[i], "redovisas", None)}
            for i in ider]}
        for p, ider in r.tillfallen]})


# --- scenario ----------------------------------------------------------------------------------


def scenario(rapport) -> str:
    return json_text({"scenarier": [
        {"namn": r.namn,
         "andringar": [{"id": a.id, "falt": a.falt, "fran": maskin(a.fran, "kr"), "till": maskin(a.till, "kr")}
                       for a in r.andringar],
         "forandring_plan_kr": maskin(r.forandring_plan_kr),
         "forandring_utfall_kr": maskin(r.forandring_utfall_kr),
         "kraver_namndbeslut": r.kraver_namndbeslut}
        for r in rapport.resultat.resultat]})


# --- forklara och antaganden -----------------------------------------------------------------------


def _nodvarde(n):
    v = n.varde
    if isinstance(v, bool):
        return v
    return v if isinstance(v, str) or v is None else maskin(v, n.enhet or "antal")


def forklara(rapport) -> str:
    """Trädet (`forklaring`, varje nod med sin källa och dess nummer `kalla_nr`) och källorna en gång
    var, numrerade (`kallor`)."""
    r = rapport.resultat
    if hasattr(r, "figurer"):
        return json_text({"figurer": [{"figur": f, "beskrivning": b} for f, b in r.figurer]})
    lista, nummer = kallor(r.nod)

    def nod(n) -> dict:
        return {"namn": n.namn, "varde": _nodvarde(n),
                "enhet": n.enhet or None, "regel": n.regel or None, "formel": n.formel or None,
                "plats": n.plats or None, "kalla": n.dokument or None,
                "kalla_nr": nummer.get((n.plats, n.dokument)), "antaganden": list(n.antaganden),
                "delar": [nod(d) for d in n.delar]}
    return json_text({"figur": r.figur, "forklaring": nod(r.nod),
                      "kallor": [{"nr": i, "plats": p or None, "kalla": d or None} for i, (p, d) in enumerate(lista, 1)],
                      "antaganden": [{"id": a, "text": t.text, "kalla": t.kalla} for a, t in r.antaganden.items()]})


def antaganden(rapport) -> str:
    r = rapport.resultat
    return json_text({"antaganden": [
        {"id": a, "text": t.text, "kalla": t.kalla, "platser": r.anvandning.get(a, [])}
        for a, t in r.antaganden.items()]})


# --- prognos och jamfor ----------------------------------------------------------------------------


def prognos_data(r) -> dict:
    """`prognos` (en `Prognosrapport`) med JSON:s nycklar."""
    p, ar = r.resultat, r.ar
    return {
        "utforare": p.utforare,
        "prognos": True,
        "till_och_med": manad_text(ar, p.till_och_med),
        "prognosmanader": [manad_text(ar, m) for m in range(p.till_och_med + 1, 13)],
        "tillagg_kr": maskin(p.tillagg_kr),
        "rader": [{"id": x.id, "namn": x.namn, "bas": x.bas, "tillagg": x.tillagg, "utfall": x.utfall,
                   "plan_hittills": maskin(x.plan_hittills, "antal"), "takt": maskin(x.takt, "procent"),
                   "prognos_antal": x.prognos_antal, "ersatta": maskin(x.resultat.ersatta, "antal"),
                   "belopp_kr": maskin(x.belopp_kr), "utan_ersattning": x.utan_ersattning,
                   "tak_manad": manad_text(ar, x.tak_manad) if x.tak_manad else None}
                  for x in p.rader],
        "nar_inte_basen": [x.id for x in p.nar_inte_basen],
        "nar_taket_tidigt": [{"id": x.id, "manad": manad_text(ar, x.tak_manad)} for x in p.nar_taket_tidigt],
        "utan_ersattning": [{"id": x.id, "antal": x.utan_ersattning} for x in p.utan_ersattning],
        "manader": [{"manad": manad_text(ar, m + 1), "plan": maskin(p.plan_per_manad[m], "antal"),
                     "utfall": maskin(p.utfall_per_manad[m], "antal") if m < p.till_och_med else None,
                     "prognos": maskin(p.prognos_per_manad[m], "antal"), "ar_prognos": m >= p.till_och_med}
                    for m in range(12)],
        "antaganden": list(p.antaganden),
    }


def prognos(rapport) -> str:
    if getattr(rapport.resultat, "regionens_vy", False):
        return prognos_region(rapport)
    return json_text(prognos_data(rapport.resultat))


def jamfor(rapport) -> str:
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    return json_text({
        "utforare": j.utforare,
        "fore_till_och_med": manad_text(ar, j.fore_till_och_med),
        "efter_till_och_med": manad_text(ar, j.efter_till_och_med),
        "forandring_kr": maskin(j.forandring_kr),
        "revision_kr": maskin(j.revision_kr),
        "nya_manader_kr": maskin(j.nya_manader_kr),
        "rader": [{"id": x.id, "namn": x.namn, "revision_kr": maskin(x.revision_kr),
                   "nya_manader_kr": maskin(x.nya_manader_kr), "forandring_kr": maskin(x.forandring_kr),
                   "utfall_fore": maskin(x.utfall_fore, "antal"), "utfall_efter_samma_manader":
                   maskin(x.utfall_efter_a, "antal"), "utfall_efter": maskin(x.utfall_efter, "antal"),
                   "korsar": list(x.korsar)} for x in j.rader],
    })


# --- utbetala ----------------------------------------------------------------------------------------


def bokfort_for(r, komponent: str) -> Decimal | None:
    """Det bokförda för en komponent i en förhandsvisning av en redan bokförd månad (0 när komponenten
    inte bokfördes), None när månaden inte var bokförd före körningen."""
    return None if r.bokfort is None else r.bokfort.get(komponent, Decimal(0))


def utbetala(rapport) -> str:
    if getattr(rapport.resultat, "regionens_vy", False):
        return utbetala_region(rapport)
    return json_text(utbetala_data(rapport.resultat))


def utbetala_data(r) -> dict:
    """`utbetala` (en `Utbetalningsrapport`) med JSON:s nycklar."""
    u = r.resultat
    return {
        "utforare": u.utforare,
        "manad": manad_text(u.ar, u.manad),
        "betalt_enligt": "journal" if u.betalt_ur_journal else "berakning",
        "bokford": r.bokford,
        "kvittens": r.kvittens,
        "anslag_kr": maskin(u.anslag_kr),
        "tillagg_kr": maskin(u.tillagg_kr),
        "avrakning_kr": maskin(u.avrakning_kr),
        "malrelaterad_kr": maskin(u.malrelaterad_kr),
        "summa_kr": maskin(u.summa_kr),
        "efterreglering_kr": maskin(u.efterreglering_kr),
        "bokfort_kr": maskin(r.bokfort_kr),
        "differens_kr": maskin(r.differens_kr),
        "rader": [{"id": k.komponent, "namn": k.namn, "ratt_hittills_kr": maskin(k.ratt_kr),
                   "betalt_fore_kr": maskin(k.betalt_kr), "belopp_kr": maskin(k.belopp_kr),
                   "efterreglering_kr": maskin(k.efterreglering_kr), "manadens_kr": maskin(k.manadens_kr),
                   "kreditering": k.kreditering, "bokfort_kr": maskin(bokfort_for(r, k.komponent))}
                  for k in u.komponenter],
        "antaganden": list(r.antaganden),
    }


# --- priser ------------------------------------------------------------------------------------------


def priser(rapport) -> str:
    r = rapport.resultat
    return json_text({"kalla": r.kalla, "rader": [
        {"id": x.id, "grupp": x.grupp, "namn": x.namn, "kalkylerat_kr": maskin(x.kalkylerat_kr),
         "priser": [{"utforare": p.utforare, "pris_kr": maskin(p.pris_kr), "differens_kr": maskin(p.differens_kr),
                     "andel": andel(p.andel)} for p in x.priser]} for x in r.rader]})


# --- rapport -----------------------------------------------------------------------------------------


def _beslut_data(rapport, b) -> list[dict]:
    """Besluten som gäller i beräkningen: vad som ändrades (nyckeln: `bas.RAD`, `tillagg.RAD`,
    `pris.PRISKATEGORI`, `ram`, `avrakning.POST`, `delegation`, `malvarde.INDIKATOR`), från vilken månad,
    värdet före och efter, och var beslutet står."""
    ut = []
    from vgr_ersattning.rapport.beslut import beslutat  # bara när besluten skrivs

    for x in beslutat(b):
        enhet = x.enhet if x.enhet in ("kr", "tkr") else "antal"
        plats, dokument = rapport.kalla(Kalla(BESLUT, (b.utforare, x.index)))
        ut.append({"nyckel": x.nyckel, "fran": manad_text(b.ar, x.manad), "beslut": dokument or None,
                   "plats": plats or None,
                   "fore": x.fore if x.fore is None or isinstance(x.fore, str) else maskin(x.fore, enhet),
                   "efter": x.efter if isinstance(x.efter, str) else maskin(x.efter, enhet)})
    return ut


def rapport(rapport) -> str:
    """`rapport`: månadens rapport (regelboken §25) med samma nycklar som `utbetala`, `prognos`,
    `avrakning` och `uppfoljning` för sina delar."""
    r = rapport.resultat
    b = r.berakning
    ar = r.ar
    return json_text({
        "utforare": r.utforare,
        "namn": r.namn,
        "manad": manad_text(ar, r.manad),
        "indata": list(r.indata),
        "utbetalning": utbetala_data(r.utbetalning),
        "ar_hittills": [{"id": i, "namn": namn, "betalt_fore_kr": maskin(betalt), "belopp_kr": maskin(belopp),
                         "hittills_kr": maskin(hittills)} for i, namn, betalt, belopp, hittills in r.ar_hittills],
        "produktion": {
            "rader": [{"id": x.id, "namn": x.namn, "bas": x.bas, "tillagg": x.tillagg,
                       "plan_manad": maskin(x.plan_manad, "antal"), "utfall_manad": x.utfall_manad,
                       "plan_hittills": maskin(x.plan_hittills, "antal"), "utfall_hittills": x.utfall_hittills,
                       "maluppfyllelse": andel(x.maluppfyllelse)} for x in r.produktion],
            "kategorier": [{"id": i, "namn": namn, "plan_manad": maskin(plan_m, "antal"), "utfall_manad": utfall_m,
                            "plan_hittills": maskin(plan, "antal"), "utfall_hittills": utfall,
                            "maluppfyllelse": andel(Decimal(utfall) / plan) if plan else None}
                           for i, namn, plan_m, utfall_m, plan, utfall in r.kategorier],
        },
        "prognos": prognos_data(r.prognos),
        "avrakningsmanad": r.avrakningsmanad,
        "avrakning": _avrakning(b.avrakning, ar) if r.avrakningsmanad and b.avrakning is not None else None,
        "uppfoljning": [uppfoljning_data(t.period, t.bedomningar) for t in r.uppfoljning],
        "beslut": _beslut_data(rapport, b),
        "forklarade": sorted(r.forklaringar),
        "antaganden": [{"id": a, "text": t.text, "kalla": t.kalla} for a, t in r.antaganden.items()],
    })


# --- berakna -u alla (regionens vy) ------------------------------------------------------------


def _per_utforare(r, data) -> list[dict]:
    """Varje utförares data i regionens vy (`data(k)`), med `id` i stället för `utforare`."""
    ut = []
    for k in r.utforare:
        d = data(k)
        del d["utforare"]
        ut.append({"id": k.id, **d})
    return ut


def berakna_region(rapport) -> str:
    """Regionens summor och varje utförares `berakna` (med `id` i stället för `utforare`)."""
    r = rapport.resultat
    utforare = _per_utforare(r, lambda k: berakna_data(replace(rapport, resultat=k.korning.resultat,
                                                               kalla=k.korning.kalla)))
    return json_text({
        "ar": r.ar,
        "tillagg_kr": maskin(r.tillagg_kr),
        "anslag_kr": maskin(r.anslag_kr),
        "avrakning_kr": maskin(r.avrakning_kr) if r.avrakning_kr is not None else None,
        "summa_kr": maskin(r.summa_kr),
        "utforare": utforare,
    })


def prognos_region(rapport) -> str:
    """Regionens prognos för tilläggsersättningen och varje utförares `prognos` (med `id`)."""
    r = rapport.resultat
    utforare = _per_utforare(r, lambda k: prognos_data(k.korning.resultat))
    return json_text({"ar": r.ar, "prognos": True, "tillagg_kr": maskin(r.tillagg_kr), "utforare": utforare})


def utbetala_region(rapport) -> str:
    """Regionens summor för månaden och varje utförares `utbetala` (med `id`)."""
    r = rapport.resultat
    utforare = _per_utforare(r, lambda k: utbetala_data(k.korning.resultat))
    return json_text({"manad": manad_text(r.ar, r.manad), "anslag_kr": maskin(r.anslag_kr),
                      "tillagg_kr": maskin(r.tillagg_kr), "avrakning_kr": maskin(r.avrakning_kr),
                      "malrelaterad_kr": maskin(r.malrelaterad_kr), "summa_kr": maskin(r.summa_kr), "efterreglering_kr": maskin(r.efterreglering_kr),
                      "utforare": utforare})
