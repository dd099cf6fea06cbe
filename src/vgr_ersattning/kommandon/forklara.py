"""forklara: en siffra som ett träd ned till sina källor (§19), och listan över siffror som kan
förklaras."""

from __future__ import annotations

from typing import Optional

from vgr_ersattning.inlasning.fel import Anvandningsfel
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl import forklaring as fk
from vgr_ersattning.kalkyl.period import KVARTAL, MANAD
from vgr_ersattning.kalkyl.uppfoljning import senaste_period
from vgr_ersattning.kommandon.berakning import berakna, prognos
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, antaganden
from vgr_ersattning.kommandon.gemensamt import period as period_
from vgr_ersattning.kommandon.kontroll import brygga, malrelaterad, uppfoljning
from vgr_ersattning.kommandon.rapporter import Figurlista, Forklaringsrapport


_BERAKNA_FIGURER = ("tillagg", "anslag", "summa")


def figurer(data: Underlag, uid: Optional[str], utfall=None, till_och_med: Optional[str] = None,
            period: Optional[str] = None) -> Korning:
    """`forklara --lista`: de siffror som kan förklaras med de givna valen."""
    ut: list[tuple[str, str]] = []
    ar = data.ar
    try:
        k = berakna(data, uid, utfall, till_och_med)
    except Anvandningsfel:
        k = None
    if k is not None:
        b = k.resultat
        tom = b.tillagg.till_och_med
        ut += [("tillagg", "tilläggsersättningen hittills (§4)"), ("anslag", "anslaget utbetalt hittills (§6)"),
               ("summa", "berakna:s summa (§4, §6, §7)")]
        ut += [(r.id, f"{r.namn}: tilläggsersättning (§4)") for r in b.tillagg.rader]
        if utfall is not None:
            ut += [(f"prognos.{r.id}", f"{r.namn}: prognos för året (§16)") for r in b.tillagg.rader]
        ut += [(f"anslag.{ar}-{m:02d}", "anslagets månadsbelopp (§6)") for m in range(1, 13)]
        ut += [(f"utbetalning.{ar}-{m:02d}", "månadens utbetalning (§4, §6, §7)") for m in range(1, tom + 1)]
        if b.avrakning is not None:
            ut += [(f"avrakning.{p.id}.{ar}-{t.manad:02d}", f"{p.namn}: avräkning (§7)")
                   for p in b.avrakning.poster for t in p.tillfallen]
    for u_id in data.med_data("brygga"):
        if uid is None or u_id == uid.upper():
            ut.append(("brygga", f"budgetbryggan för {u_id} (§8)"))
    if utfall is not None:
        for u_id, kv in utfall.malrelaterad.items():
            ut += [(f"malrelaterad.{ar}-Q{q}", f"1177 kvartal {q} för {u_id} (§9)") for q in sorted(kv)]
    for u_id in data.med_data("indikatorer"):
        if uid is None or u_id == uid.upper():
            ut += [(iid, f"{ind.namn} (§10)") for iid, ind in data.uppdrag.modell.utforare[u_id].indikatorer.lista.items()]
    return Korning(Figurlista(ut), data, utfall)


def forklara(data: Underlag, figur: str, uid: Optional[str], utfall=None, till_och_med: Optional[str] = None,
             period: Optional[str] = None, beslut=None) -> Korning:
    """Regelboken §15: siffran `figur` som ett träd ned till sina källor."""
    ar = data.ar
    delar = figur.split(".")
    if figur == "brygga":
        k = brygga(data, uid)
        nod = fk.brygga(k.resultat.resultat, k.resultat.brygga, k.resultat.utforare)
    elif delar[0] == "malrelaterad" and len(delar) == 2:
        if utfall is None:
            raise Anvandningsfel("ange --utfall med avsnittet malrelaterad_1177 för att förklara ett 1177-kvartal")
        k = malrelaterad(data, uid, utfall)
        q = period_(delar[1], ar, KVARTAL).nummer
        kv = next((x for x in k.resultat.resultat.kvartal if x.kvartal == q), None)
        if kv is None:
            raise Anvandningsfel(f"{figur}: utfallet har inget värde för kvartalet")
        m = data.utforare(k.resultat.utforare).malrelaterad_1177
        nod = fk.malrelaterad_kvartal(k.resultat.resultat, kv, m, ar, k.resultat.utforare)
    elif delar[0] == "prognos" and len(delar) == 4:
        if utfall is None:
            raise Anvandningsfel("ange --utfall för att förklara en prognos")
        k = prognos(data, uid, utfall, till_och_med)
        pr = k.resultat.resultat
        rad = next((r for r in pr.rader if r.id == ".".join(delar[1:])), None)
        if rad is None:
            raise Anvandningsfel(f"okänd rad {'.'.join(delar[1:])!r} i {figur!r}")
        nod = fk.prognosrad(rad, pr.utforare, pr.till_och_med, pr.antagande, pr.basmodell_antagande)
    elif (agare := _indikatorns_utforare(data, uid, figur)) is not None:
        if utfall is None:
            raise Anvandningsfel("ange --utfall med indikatorvärden för att förklara en indikator")
        if period is None:      # den senaste perioden där just den indikatorn har ett värde
            egna = {figur: utfall.indikatorer.get(agare, {}).get(figur, {})}
            vald = senaste_period(egna, ar=ar)
            period = str(vald) if vald is not None else None
        k = uppfoljning(data, agare, utfall, period)
        b = next((x for x in k.resultat.bedomningar if x.id == figur), None)
        if b is None:
            raise Anvandningsfel(f"{figur} följs inte upp vid {k.resultat.period}; välj en annan --period")
        nod = fk.indikator(b, k.resultat.utforare)
    else:
        k = berakna(data, uid, utfall, till_och_med, beslut)
        b = k.resultat
        rader = {r.id: r for r in b.tillagg.rader}
        if figur in rader:
            t = b.tillagg
            nod = fk.rad(rader[figur], b.utforare, t.till_och_med, t.basmodell, t.basmodell_antagande, b.ikraft)
        elif figur == "tillagg":
            nod = fk.tillagg(b.tillagg)
        elif figur == "anslag":
            nod = fk.anslag(b.anslag, b.utforare, b.ikraft)
        elif figur == "summa":
            nod = fk.summa(b)
        elif delar[0] == "anslag" and len(delar) == 2:
            nod = fk.anslag_manad(b.anslag, b.utforare, period_(delar[1], ar, MANAD).nummer, b.ikraft)
        elif delar[0] == "utbetalning" and len(delar) == 2:
            m = period_(delar[1], ar, MANAD).nummer
            if m > b.tillagg.till_och_med:
                raise Anvandningsfel(f"{figur}: beräkningen går till och med {ar}-{b.tillagg.till_och_med:02d}")
            nod = fk.utbetalning_manad(b, m)
        elif delar[0] == "avrakning" and len(delar) == 3 and b.avrakning is not None:
            m = period_(delar[2], ar, MANAD).nummer
            post = next((p for p in b.avrakning.poster if p.id == delar[1]), None)
            tf = [t for t in post.tillfallen] if post else []
            i = next((j for j, t in enumerate(tf) if t.manad == m), None)
            if i is None:
                raise Anvandningsfel(f"{figur}: ingen avräkning av den posten den månaden")
            nod = fk.avrakning(post, tf[i], tf[i - 1] if i else None, b.utforare, b.avrakning.antagande)
        else:
            raise Anvandningsfel(f"okänd siffra {figur!r}; `ersattning forklara --lista` visar vad som kan förklaras")
    nod = fk.los_upp(nod, k.kalla)
    return Korning(Forklaringsrapport(figur, nod, antaganden(data, nod.alla_antaganden())), data, k.utfall,
                   k.varningar, k.beslut)


def _indikatorns_utforare(data: Underlag, uid: Optional[str], figur: str) -> Optional[str]:
    for u_id in data.med_data("indikatorer"):
        if (uid is None or u_id == uid.upper()) and figur in data.uppdrag.modell.utforare[u_id].indikatorer.lista:
            return u_id
    return None


def bygg_figurer(s: Sammanhang) -> Korning:
    return figurer(s.underlag, s.utforare, s.utfall, s.val.till_och_med, s.val.period)


def bygg_forklara(s: Sammanhang) -> Korning:
    figur = s.argument.get("figur")
    if not figur:
        raise Anvandningsfel("ange vilken siffra som ska förklaras (FIGUR), eller --lista")
    return forklara(s.underlag, figur, s.utforare, s.utfall, s.val.till_och_med, s.val.period, s.beslut)
