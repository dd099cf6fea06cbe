"""berakna, prognos och jamfor: tilläggsersättning, anslag och avräkning hittills (§4–§7), årets
prognos (§16) och förändringen mellan två uttag (§17), alla med värdena som gäller varje månad efter
besluten under året (§18); och beräkningen som månadens utbetalning bygger på (`berakna_for_utbetalning`),
också för en utförare vars uppdrag bara har målrelaterad ersättning 1177 (§9)."""

from __future__ import annotations

from typing import Optional

from vgr_ersattning.inlasning.fel import Anvandningsfel, Fel, Inlasningsfel, sokvag_text
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl.parametrar import Parametrar, i_kraft
from vgr_ersattning.kalkyl.resultat import AVRAKNING, PRISER, RAM, VOLYMER
from vgr_ersattning.kalkyl.utbetalning import berakna as berakna_karna
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, antaganden, bara, manad, valj_utforare
from vgr_ersattning.kommandon.rapporter import Jamforelserapport, Prognosrapport


def varden(data: Underlag, uid: str, beslut=None) -> Parametrar:
    """Värdena som gäller varje månad för utföraren (§18): uppdraget och priserna ändrade av besluten."""
    if beslut is not None:
        beslut.kontrollera_utforare(uid)
    return i_kraft(data.utforare(uid), data.priser.modell, uid, data.ar,
                   beslut.for_utforare(uid) if beslut is not None else ())


def _beslutens_antaganden(data: Underlag, p: Parametrar) -> list[str]:
    """Antagande A6 när ett beslut ändrat ett pris."""
    regler = data.uppdrag.modell.beslutsregler
    return [regler.antagande] if p.pris_beslutat and regler and regler.antagande else []


def berakna(data: Underlag, uid: Optional[str], utfall=None, till_och_med: Optional[str] = None,
            beslut=None, spar=None) -> Korning:
    """Regelboken §4–§7: tilläggsersättning, anslag, avräkning och utbetalning per månad."""
    uid = valj_utforare(data, uid, "volymer", "ersattningsram", utfall=utfall)
    tom = manad(till_och_med, data.ar)
    produktion = avr = None
    if utfall is not None:
        produktion = utfall.produktion.get(uid)
        if produktion is None and tom is None:
            raise Anvandningsfel(f"utfallet har ingen produktion för {uid}; ange --till-och-med för att räkna ändå")
        produktion = produktion or {}
        tom = tom or utfall.sista_manad(uid)
        avr = utfall.avrakning.get(uid) or None
    varningar = data.grind(uid, {VOLYMER, PRISER, RAM} | ({AVRAKNING} if avr else set()))
    if beslut is not None:
        beslut.kontrollera_utforare(uid)
    res = berakna_karna(data.uppdrag.modell, data.priser.modell, uid, produktion, avr, tom or 12,
                        beslut.for_utforare(uid) if beslut is not None else (), spar)
    arsplan = None
    if utfall is not None:
        med_data = utfall.produktionsmanader.get(uid, set())
        res = res._replace(manader_utan_data=tuple(m for m in range(1, res.tillagg.till_och_med + 1)
                                                  if m not in med_data))
        # Planens tilläggsersättning per månad för hela året (arbetsbokens diagram plan mot utfall).
        arsplan = tuple(berakna_karna(data.uppdrag.modell, data.priser.modell, uid).tillagg.manader)
    return Korning(res, data, utfall, varningar, beslut, arsplan=arsplan)


# Det som månadens utbetalning kräver av uppdraget: volymer och ram (§4–§7), eller bara 1177 (§9).
UTBETALNINGENS_KRAV = ("volymer", "ersattningsram")
BARA_1177 = ("malrelaterad_1177",)


def bara_1177(data: Underlag, uid: str) -> bool:
    """Om utförarens uppdrag bara har målrelaterad ersättning 1177: inga volymer och ingen ram."""
    return bara(data.utforare(uid), BARA_1177, UTBETALNINGENS_KRAV)


def berakna_for_utbetalning(data: Underlag, uid: Optional[str], utfall, till_och_med: str, beslut=None) -> Korning:
    """Beräkningen som månadens utbetalning (§19) bygger på, t.o.m. månaden: `berakna` för en utförare
    med volymer och ram; för en utförare vars uppdrag bara har målrelaterad ersättning 1177 en
    beräkning utan tillägg, anslag och avräkning (None), som utbetalningen lägger kvartalen till
    (`kalkyl.utbetalning.med_malrelaterad`). Ett beslut om ram för en sådan utförare vägras: det finns
    ingen ram att ändra och inget anslag att räkna det med."""
    uid = valj_utforare(data, uid, *UTBETALNINGENS_KRAV, utfall=utfall, eller=BARA_1177)
    if not bara_1177(data, uid):
        return berakna(data, uid, utfall, till_och_med, beslut)
    tom = manad(till_och_med, data.ar)
    varningar = data.grind(uid, set())
    if beslut is not None:
        beslut.kontrollera_utforare(uid)
        _ingen_ram(beslut, uid)
    res = berakna_karna(data.uppdrag.modell, data.priser.modell, uid, None, None, tom or 12,
                        beslut.for_utforare(uid) if beslut is not None else ())
    return Korning(res, data, utfall, varningar, beslut)


def _ingen_ram(beslut, uid: str) -> None:
    """Ett beslut om årets ram för en utförare utan ram (bara 1177) vägras med beslutets plats."""
    fel = []
    for i, b in enumerate(beslut.for_utforare(uid)):
        for j, a in enumerate(b.andringar):
            if a.slag == "ram":
                vag = beslut.platser[(uid, i)][1] + ("andringar", j, "ram_tkr")
                fel.append(Fel(beslut.plats(uid, i, "andringar", j, "ram_tkr"), sokvag_text(vag),
                               f"{uid} har ingen ersättningsram i uppdraget (bara målrelaterad ersättning 1177); "
                               "utbetala räknar inget anslag ur ett beslut om ram"))
    if fel:
        raise Inlasningsfel(fel)


def bygg_berakna(s: Sammanhang) -> Korning:
    return berakna(s.underlag, s.utforare, s.utfall, s.val.till_och_med, s.beslut)


def prognos(data: Underlag, uid: Optional[str], utfall, till_och_med: Optional[str] = None, beslut=None,
            spar=None) -> Korning:
    """Regelboken §16 (antagande A7): årets prognos per rad och i summa, värderad med §4 och värdena som
    gäller i varje prognosmånad (§18)."""
    uid = valj_utforare(data, uid, "volymer", utfall=utfall)
    u = data.utforare(uid, "volymer")
    tom = manad(till_och_med, data.ar) or utfall.sista_manad(uid)
    if tom is None:
        raise Anvandningsfel(f"utfallet har ingen produktion för {uid}; en prognos bygger på utfallet hittills")
    varningar = data.grind(uid, {VOLYMER, PRISER})
    regler = getattr(data.uppdrag.modell, "prognos", None)
    antagande = regler.antagande if regler is not None else None
    p = varden(data, uid, beslut)
    from vgr_ersattning.kalkyl.prognos import berakna_prognos  # bara för prognos

    res = berakna_prognos(p, utfall.produktion.get(uid, {}), tom, u.tillagg, antagande, spar)
    ider = list(res.antaganden) + _beslutens_antaganden(data, p)
    return Korning(Prognosrapport(data.ar, u.namn, res, antaganden(data, ider), u.volymer.grupper),
                   data, utfall, varningar, beslut)


def bygg_prognos(s: Sammanhang) -> Korning:
    return prognos(s.underlag, s.utforare, s.utfall, s.val.till_och_med, s.beslut)


def jamfor(data: Underlag, uid: Optional[str], fore, efter, beslut=None) -> Korning:
    """Regelboken §17: förändringen mellan två uttag, revision och nya månader per rad; båda uttagen
    värderas med samma värden per månad (§18)."""
    uid = valj_utforare(data, uid, "volymer", utfall=efter)
    u = data.utforare(uid, "volymer")
    a, b = fore.sista_manad(uid), efter.sista_manad(uid)
    if a is None or b is None:
        raise Anvandningsfel(f"{'--fore' if a is None else '--efter'}: uttaget har ingen produktion för {uid}")
    if b < a:
        raise Anvandningsfel(f"--efter täcker t.o.m. {data.ar}-{b:02d} men --fore t.o.m. {data.ar}-{a:02d}; "
                             "ange det senare uttaget som --efter")
    varningar = data.grind(uid, {VOLYMER, PRISER})
    p = varden(data, uid, beslut)
    from vgr_ersattning.kalkyl.jamforelse import jamfor as jamfor_karna  # bara för jamfor

    res = jamfor_karna(p, fore.produktion.get(uid, {}), a, efter.produktion.get(uid, {}), b, u.tillagg)
    ider = ([u.tillagg.antagande] if u.tillagg and u.tillagg.antagande else []) + _beslutens_antaganden(data, p)
    return Korning(Jamforelserapport(data.ar, u.namn, res, antaganden(data, ider)), data, efter, varningar, beslut)


def bygg_jamfor(s: Sammanhang) -> Korning:
    fore = s.las_utfall(s.argument["fore"])
    efter = s.las_utfall(s.argument["efter"])
    return jamfor(s.underlag, s.utforare, fore, efter, s.beslut)
