"""forklara: en siffra som ett träd ned till sina källor (§15), och listan över siffror som kan
förklaras.

Siffran räknas av samma regler som kommandot som visar den, med en skrivare (`kalkyl.spar.Spar`) som
antecknar varje regel som tillämpas; förklaringen är det antecknade och inget annat. Här väljs bara
vilken anteckning som är siffran och hur djupt trädet visas, och källorna översätts till fil:rad:kolumn."""

from __future__ import annotations

from typing import Optional

from vgr_ersattning.inlasning.fel import Anvandningsfel
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl.brygga import berakna_brygga
from vgr_ersattning.kalkyl.malrelaterad import berakna_malrelaterad
from vgr_ersattning.kalkyl.period import KVARTAL, MANAD
from vgr_ersattning.kalkyl.resultat import BESLUT, Kalla
from vgr_ersattning.kalkyl.spar import Spar, los_upp, trad
from vgr_ersattning.kalkyl.uppfoljning import senaste_period
from vgr_ersattning.kommandon.berakning import berakna, prognos
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, antaganden, valj_utforare
from vgr_ersattning.kommandon.gemensamt import period as period_
from vgr_ersattning.kommandon.kontroll import brygga, malrelaterad, uppfoljning
from vgr_ersattning.kommandon.rapporter import Figurlista, Forklaringsrapport

# Hur många nivåer under siffran trädet visar för summor över många rader (en rads egen förklaring
# visas hel med `forklara RAD`).
DJUP_SUMMA = 4


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


def _anteckning(spar: Spar, nyckel: tuple, figur: str):
    nod = spar.figurer.get(nyckel)
    if nod is None:
        raise Anvandningsfel(f"okänd siffra {figur!r}; `ersattning forklara --lista` visar vad som kan förklaras")
    return nod


def forklara(data: Underlag, figur: str, uid: Optional[str], utfall=None, till_och_med: Optional[str] = None,
             period: Optional[str] = None, beslut=None) -> Korning:
    """Regelboken §15: siffran `figur` som ett träd ned till sina källor, ur spåret av reglerna som räknade den."""
    ar = data.ar
    delar = figur.split(".")
    djup = None
    if figur == "brygga":
        k = brygga(data, uid)
        spar = Spar(k.resultat.utforare)
        berakna_brygga(k.resultat.brygga, spar)
        nod = _anteckning(spar, ("brygga",), figur)
    elif delar[0] == "malrelaterad" and len(delar) == 2:
        if utfall is None:
            raise Anvandningsfel("ange --utfall med avsnittet malrelaterad_1177 för att förklara ett 1177-kvartal")
        k = malrelaterad(data, uid, utfall)
        q = period_(delar[1], ar, KVARTAL).nummer
        u_id = k.resultat.utforare
        if q not in utfall.malrelaterad.get(u_id, {}):
            raise Anvandningsfel(f"{figur}: utfallet har inget värde för kvartalet")
        spar = Spar(u_id)
        berakna_malrelaterad(data.utforare(u_id).malrelaterad_1177, utfall.malrelaterad[u_id], spar)
        nod = _anteckning(spar, ("malrelaterad", q), figur)
    elif delar[0] == "prognos" and len(delar) == 4:
        if utfall is None:
            raise Anvandningsfel("ange --utfall för att förklara en prognos")
        rid = ".".join(delar[1:])
        spar = Spar(valj_utforare(data, uid, "volymer", utfall=utfall))
        k = prognos(data, spar.utforare, utfall, till_och_med, beslut, spar)
        if rid not in {r.id for r in k.resultat.resultat.rader}:
            raise Anvandningsfel(f"okänd rad {rid!r} i {figur!r}")
        nod = _anteckning(spar, ("prognos", rid), figur)
    elif (agare := _indikatorns_utforare(data, uid, figur)) is not None:
        if utfall is None:
            raise Anvandningsfel("ange --utfall med indikatorvärden för att förklara en indikator")
        if period is None:      # den senaste perioden där just den indikatorn har ett värde
            egna = {figur: utfall.indikatorer.get(agare, {}).get(figur, {})}
            vald = senaste_period(egna, ar=ar)
            period = str(vald) if vald is not None else None
        spar = Spar(agare)
        k = uppfoljning(data, agare, utfall, period, beslut, spar)
        if not any(x.id == figur for x in k.resultat.bedomningar):
            raise Anvandningsfel(f"{figur} följs inte upp vid {k.resultat.period}; välj en annan --period")
        nod = _anteckning(spar, ("indikator", figur), figur)
    else:
        spar = Spar(valj_utforare(data, uid, "volymer", "ersattningsram", utfall=utfall))
        k = berakna(data, spar.utforare, utfall, till_och_med, beslut, spar)
        b = k.resultat
        tom = b.tillagg.till_och_med
        if figur in {r.id for r in b.tillagg.rader}:
            nyckel = ("tillagg", figur, tom)
        elif figur in ("tillagg", "anslag", "summa"):
            nyckel = {"tillagg": ("tillagg_summa", tom), "anslag": ("anslag_hittills", tom), "summa": ("summa",)}[figur]
            djup = DJUP_SUMMA if figur != "tillagg" else None
        elif delar[0] == "anslag" and len(delar) == 2:
            nyckel = ("anslag", period_(delar[1], ar, MANAD).nummer)
        elif delar[0] == "utbetalning" and len(delar) == 2:
            m = period_(delar[1], ar, MANAD).nummer
            if m > tom:
                raise Anvandningsfel(f"{figur}: beräkningen går till och med {ar}-{tom:02d}")
            # Samma avrundning som `berakna` visar: hela kronor kolumn för kolumn när beloppen är bråk.
            nyckel = ("utbetalning", m)
            if not b.utbetalning.ar_hela_kronor:
                b.utbetalning.avrundad(0, spar)
                nyckel = ("utbetalning_avrundad", m)
            djup = DJUP_SUMMA
        elif delar[0] == "avrakning" and len(delar) == 3 and b.avrakning is not None:
            nyckel = ("avrakning", delar[1], period_(delar[2], ar, MANAD).nummer)
            if nyckel not in spar.figurer:
                raise Anvandningsfel(f"{figur}: ingen avräkning av den posten den månaden")
        else:
            raise Anvandningsfel(f"okänd siffra {figur!r}; `ersattning forklara --lista` visar vad som kan förklaras")
        nod = _anteckning(spar, nyckel, figur)
    nod = los_upp(trad(nod, djup), lambda kalla: _los_upp(k, kalla))
    return Korning(Forklaringsrapport(figur, nod, antaganden(data, nod.alla_antaganden())), data, k.utfall,
                   k.varningar, k.beslut)


def _los_upp(k: Korning, kalla: Kalla) -> tuple[str, str]:
    """En källa → (fil:rad:kolumn, dokumentet). Ett beslut pekar på ändringen i beslutsfilen och namnger
    beslutet (källa, organ, datum, paragraf och första månad)."""
    if kalla.dokument == BESLUT and k.beslut is not None:
        uid, index, *vag = kalla.sokvag
        b = k.beslut.for_utforare(uid)[index]
        organ = f"{b.organ} {b.datum}" + (f" {b.paragraf}" if b.paragraf else "")
        return str(k.beslut.plats(uid, index, *vag)), f"{b.kalla} ({organ}, gäller från {b.fran})"
    if k.underlag is None:
        return "", ""
    return k.underlag.los_upp(kalla, k.utfall)


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
