"""kontrollera, brygga, avrakning, malrelaterad, uppföljningen, priser och antaganden: kommandona
som visar en del av uppdraget eller ett utfall mot den (§3, §7–§10, §14, §21)."""

from __future__ import annotations

from typing import Optional

from vgr_ersattning import journal as journalen
from vgr_ersattning.inlasning.fel import Anvandningsfel
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl import uppfoljning as upp
from vgr_ersattning.kalkyl.avrakning import berakna_avrakning
from vgr_ersattning.kalkyl.brygga import berakna_brygga
from vgr_ersattning.kalkyl.malrelaterad import berakna_malrelaterad
from vgr_ersattning.kalkyl.parametrar import i_kraft, utgangslage
from vgr_ersattning.kalkyl.period import Periodfel, tolka
from vgr_ersattning.kalkyl.prislista import prislista
from vgr_ersattning.kalkyl.resultat import AVRAKNING, VOLYMER, Kontroll
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, antaganden, manad, valj_utforare
from vgr_ersattning.kommandon.rapporter import (
    Antagandelista,
    Avrakningsrapport,
    Bryggrapport,
    Kalenderrapport,
    Kontrollrapport,
    Malrapport,
    Prisrapport,
    Uppfoljningsrapport,
    Utbildningsplatser,
)


def bygg_kontrollera(s: Sammanhang) -> Korning:
    """Alla kontroller av datafilerna, och med `--journal` utbetalningsjournalen (§19, §21): ordning,
    luckor, dubbletter, summor och kedjan (med `--kvittens` också att journalen når den månaden).
    Med förra årets filer i datakatalogen också att bryggan börjar från förra årets ram vid årets
    slut (§8, antagande A8); ett utkast listar det som återstår att fylla i (§24)."""
    data = s.underlag
    anm = [(uid, a) for uid, u in data.uppdrag.modell.utforare.items() for a in u.anmarkningar]
    kontroller = data.utkastets_kontroller() + list(data.kontroller) + data.arsovergang()
    if s.val.journal is not None:
        kontroller += journalens_kontroller(s.val.journal, s.argument.get("kvittens"))
    r = Kontrollrapport(kontroller, anm, utbildningsplatser(data))
    return Korning(r, data, slutkod=0 if r.ok else 1,
                   meddelanden=[f"{k.plats}: {k.meddelande}" for k in kontroller if not k.ok])


def utbildningsplatser(data: Underlag) -> tuple[Utbildningsplatser, ...]:
    """AT-platserna per utförare och ST-A-platserna bredvid dem (uppdragets AT- och ST-A-tabeller)."""
    m = data.uppdrag.modell
    kalla_at = m.at_fordelning.kalla if m.at_fordelning is not None else ""
    return tuple(Utbildningsplatser(uid, u.namn, u.at_platser, dict(u.st_a_platser.platser) if u.st_a_platser else {},
                                    kalla_at if u.at_platser is not None else "",
                                    u.st_a_platser.kalla if u.st_a_platser else "")
                 for uid, u in m.utforare.items() if u.at_platser is not None or u.st_a_platser is not None)


def journalens_kontroller(fil, kvittens: Optional[str]) -> list[Kontroll]:
    j = journalen.las_journal(fil)
    problem = journalen.kontrollera_journal(j, kvittens=kvittens)
    if problem:
        return [Kontroll(id="journal", namn="Utbetalningsjournalen", ok=False, meddelande=p.split(": ", 1)[-1],
                         plats=p.split(": ", 1)[0] if ": " in p else j.namn) for p in map(str, problem)]
    return [Kontroll(id="journal", namn="Utbetalningsjournalen", ok=True, plats=j.namn,
                     meddelande=f"{len(j.bokforingar)} bokförda månader i ordning utan luckor; varje månads "
                                "komponenter summerar till dess summa och kedjan är obruten")]


def bygg_avrakning(s: Sammanhang) -> Korning:
    """Regelboken §7."""
    data, utfall = s.underlag, s.utfall
    uid = valj_utforare(data, s.utforare, "avrakning", utfall=utfall)
    u = data.utforare(uid, "avrakning")
    varden = utfall.avrakning.get(uid, {})
    tom = manad(s.val.till_och_med, data.ar)
    if tom is None:
        manader = [m for post in varden.values() for m in post]
        if not manader:
            raise Anvandningsfel(f"utfallet har inget avräkningsutfall för {uid} (avsnittet avrakning)")
        tom = max(manader)
    varningar = data.grind(uid, {AVRAKNING})
    res = berakna_avrakning(u.avrakning, varden, tom, utgangslage(u, data.priser.modell, uid, data.ar).niva_tkr)
    return Korning(Avrakningsrapport(data.ar, uid, res, antaganden(data, [res.antagande] if res.antagande else [])),
                   data, utfall, varningar)


def brygga(data: Underlag, uid: Optional[str]) -> Korning:
    """Regelboken §8. Bryggan visas även när den inte stämmer (det är den kommandot kontrollerar)."""
    uid = valj_utforare(data, uid, "brygga")
    u = data.utforare(uid, "brygga")
    varningar = data.grind(uid, set())
    res = berakna_brygga(u.brygga)
    # Bryggans första rad mot förra årets ram vid årets slut, när förra året finns i datakatalogen (§8, A8).
    over = [k for k in data.arsovergang() if k.utforare == uid]
    return Korning(Bryggrapport(uid, res, u.brygga), data, None, varningar,
                   slutkod=0 if res.stammer and all(k.ok for k in over) else 1,
                   meddelanden=[("Förra årets ram: " if k.ok else "") + f"{k.plats}: {k.meddelande}" for k in over])


def bygg_brygga(s: Sammanhang) -> Korning:
    return brygga(s.underlag, s.utforare)


def malrelaterad(data: Underlag, uid: Optional[str], utfall) -> Korning:
    """Regelboken §9."""
    uid = valj_utforare(data, uid, "malrelaterad_1177", utfall=utfall)
    u = data.utforare(uid, "malrelaterad_1177")
    andelar = utfall.malrelaterad.get(uid)
    if not andelar:
        raise Anvandningsfel(f"utfallet har inget avsnitt malrelaterad_1177 för {uid}")
    varningar = data.grind(uid, set())
    res = berakna_malrelaterad(u.malrelaterad_1177, andelar)
    return Korning(Malrapport(data.ar, uid, res, antaganden(data, res.antaganden)), data, utfall, varningar)


def bygg_malrelaterad(s: Sammanhang) -> Korning:
    return malrelaterad(s.underlag, s.utforare, s.utfall)


def bygg_kalender(s: Sammanhang) -> Korning:
    """Regelboken §10: per tillfälle vad som ska rapporteras och av vem – för en utförare, eller utan
    `-u` för alla uppdrag med indikatorer (id:n skrivs då `UTFÖRARE.id`)."""
    data, uid = s.underlag, s.utforare
    if uid:
        lista = data.utforare(uid, "indikatorer").indikatorer.lista
        agare = {iid: uid.upper() for iid in lista}
        return Korning(Kalenderrapport(uid.upper(), upp.kalender(lista, data.ar), lista, agare), data)
    lista, agare = {}, {}
    for u_id in data.med_data("indikatorer"):
        for iid, ind in data.uppdrag.modell.utforare[u_id].indikatorer.lista.items():
            lista[f"{u_id}.{iid}"], agare[f"{u_id}.{iid}"] = ind, u_id
    return Korning(Kalenderrapport(", ".join(data.med_data("indikatorer")), upp.kalender(lista, data.ar), lista, agare),
                   data)


def uppfoljning(data: Underlag, uid: Optional[str], utfall, period: Optional[str] = None, beslut=None,
                spar=None) -> Korning:
    """Regelboken §10 (och §5 för indikatorer som räknas ur produktionen), med målvärdena som gäller i
    periodens sista månad efter besluten under året (§18)."""
    if utfall is None:
        raise Anvandningsfel("ange --utfall FIL (eller --kalender)")
    uid = valj_utforare(data, uid, "indikatorer", utfall=utfall)
    u = data.utforare(uid, "indikatorer")
    lista = u.indikatorer.lista
    varden = utfall.indikatorer.get(uid, {})
    sista = utfall.sista_manad(uid)
    beraknade = {}
    omraden = set()
    if sista is not None and u.volymer is not None and any(i.berakning for i in lista.values()):
        omraden = {VOLYMER}
        beraknade = upp.beraknade_varden(lista, u.volymer, utfall.produktion[uid], data.ar, sista)
    if period is None:
        vald = upp.senaste_period(varden, beraknade, ar=data.ar)
        if vald is None:
            raise Anvandningsfel(f"utfallet har inga indikatorvärden för {uid}; ange --period")
    else:
        try:
            vald = tolka(period, ar=data.ar)
        except Periodfel as e:
            raise Anvandningsfel(f"--period {period}: {e}") from None
    varningar = data.grind(uid, omraden)
    if beslut is not None:
        beslut.kontrollera_utforare(uid)
    malvarden = i_kraft(u, data.priser.modell, uid, data.ar,
                        beslut.for_utforare(uid) if beslut is not None else ()).malvarde
    return Korning(Uppfoljningsrapport(uid, vald, upp.berakna_uppfoljning(lista, varden, vald, beraknade, malvarden,
                                                                          spar)),
                   data, utfall, varningar, beslut)


def bygg_uppfoljning(s: Sammanhang) -> Korning:
    return uppfoljning(s.underlag, s.utforare, s.utfall, s.val.period, s.beslut)


def bygg_priser(s: Sammanhang) -> Korning:
    """Tabellen Priser med varje sjukhus avstånd till det kalkylerade priset."""
    tabell = s.underlag.priser.modell.priser
    return Korning(Prisrapport(prislista(s.underlag.priser.modell), tabell.kalla if tabell else "",
                               s.underlag.priser.modell.ar), s.underlag)


def bygg_antaganden(s: Sammanhang) -> Korning:
    """Antagandena ur uppdragets data och var i datan de verkar (`antagande: An`)."""
    data = s.underlag
    anvandning: dict[str, list[str]] = {}
    for sokvag in data.uppdrag.positioner.karta:
        if sokvag and sokvag[-1] == "antagande":
            varde = _hamta(data.uppdrag.modell, sokvag)
            if isinstance(varde, str):
                anvandning.setdefault(varde, []).append(str(data.plats("uppdrag", sokvag)))
    return Korning(Antagandelista(data.uppdrag.modell.antaganden, anvandning), data)


def _hamta(obj, sokvag):
    for s in sokvag:
        if obj is None:
            return None
        if isinstance(obj, dict):
            obj = obj.get(s)
        elif isinstance(obj, list):
            obj = obj[s] if isinstance(s, int) and s < len(obj) else None
        else:
            obj = getattr(obj, str(s), None)
    return obj
