"""scenario: vad händer om volymer och priser ändras, och ryms ändringen i delegationen (§11).

Med JSON eller CSV strömmas resultaten: rapporten bär en `Scenarieflode` som räknar och lämnar
varje resultat till det strömmande formatets skrivare (`visning.strom`), och körningen gör utdata
synlig först när allt är granskat och räknat. Med --som-beslut blir scenariot ett utkast till
beslut, en ny fil som körningen skriver sist (en effekt)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import itertools
import os
import tempfile
from typing import Optional

from vgr_ersattning.inlasning.beslut import utkast
from vgr_ersattning.inlasning.fel import Anvandningsfel, Fel, Inlasningsfel, Kontrollfel, Plats
from vgr_ersattning.inlasning.scenarier import Blockpost, Omstart, Scenarioflode, las_scenariofil, tolka_argument
from vgr_ersattning.inlasning.scenariodelar import Namnlogg, delningspunkter
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl.resultat import PRISER, VOLYMER
from vgr_ersattning.kalkyl.scenario import Resultatblock, Scenariofel, Scenariomotor, delade_platser
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, manad, valj_utforare
from vgr_ersattning.kommandon.rapporter import Scenariorapport
from vgr_ersattning.utskrift import NyFil
from vgr_ersattning.visning.strom import Scenarioskrivare

INGEN = "ange minst en ändring (--satt, --andra, --pris) eller --scenariofil"
MAX_FEL = 50


def bygg_scenario(s: Sammanhang) -> Korning:
    a = s.argument
    if s.val.format in ("json", "csv") and a["som_beslut"] is None:
        flode = Strommadescenarier(s)
        return Korning(Scenariorapport(s.utforare, [], None, s.utfall is not None, strom=flode), s.underlag,
                       s.utfall, flode.varningar)
    scenarier, fel = [], []
    try:
        scenarier += _argumenten(a)
    except Inlasningsfel as e:
        fel += e.fel
    try:
        if a["scenariofil"] is not None:
            scenarier += las_scenariofil(a["scenariofil"])
    except Inlasningsfel as e:
        fel += e.fel
    if fel:
        raise Inlasningsfel(fel)
    if not scenarier:
        raise Anvandningsfel(INGEN)
    k = scenario(s.underlag, s.utforare, scenarier, s.utfall, s.scenarieframsteg(len(scenarier)))
    if a["som_beslut"] is not None:
        k.effekter.append(NyFil(a["som_beslut"], _som_beslut(s.underlag, k, scenarier, a["fran"])))
    return k


def _argumenten(a: dict) -> list:
    if a["satt"] or a["andra"] or a["pris"]:
        return [tolka_argument(a["satt"], a["andra"], a["pris"])]
    return []


def _som_beslut(data: Underlag, k: Korning, scenarier: list, fran: Optional[str]) -> bytes:
    """Scenarierna som ett utkast till beslutsfil (regelboken §11, §18); organet är delegation när
    förändringen ryms i delegationsgränsen, annars nämnden (uppdragets beslutande organ)."""
    if fran is None:
        raise Anvandningsfel("--som-beslut kräver --fran ÅÅÅÅ-MM (första månaden beslutet gäller)")
    manad(fran, data.ar, "--fran")
    r = k.resultat
    u = data.utforare(r.utforare)
    namnd = u.beslut.organ if u.beslut is not None else "nämnden"
    text = utkast(r.utforare, data.ar, namnd, scenarier, r.resultat, fran, datetime.date.today().isoformat())
    return text.encode("utf-8")


def scenario(data: Underlag, uid: Optional[str], scenarier, utfall=None, framsteg=None, ut=None,
             ut_block=None, delad=None) -> Korning:
    """Regelboken §11: varje scenario räknas med §4:s funktion på de ändrade raderna.

    `scenarier` är (scenario, ändringarnas platser) i en lista eller en ström (`Scenarioflode`, som
    kastar sina inläsningsfel först när filen är slut, och med `block=True` också ger `Blockpost`). Med
    `ut` lämnas varje resultat till `ut(resultat)` så snart det är räknat och hålls inte; efter det
    första felet lämnas inget mer. Ett block som räknas i ett svep (`Scenariomotor.utvardera_block`)
    lämnas till `ut_block(resultatblock)` när den finns. `delad` är motorns `DeladTabell` (flera
    processer). Indatafel i filen går före felen i scenarierna."""
    if isinstance(scenarier, list) and not scenarier:
        raise Anvandningsfel(INGEN)
    try:
        uid = valj_utforare(data, uid, "volymer", "delegation", utfall=utfall)
        u = data.utforare(uid, "volymer", "delegation")
        varningar = data.grind(uid, {VOLYMER, PRISER})
        produktion, tom = None, 12
        if utfall is not None:
            produktion = utfall.produktion.get(uid, {})
            tom = utfall.sista_manad(uid) or 12
        motor = Scenariomotor(u.volymer, data.priser.modell, uid, u.delegation.grans_kr, produktion, tom, u.tillagg,
                              delad=delad)
    except (Anvandningsfel, Inlasningsfel, Kontrollfel):
        # Felen i scenariofilen först, och "ange minst en ändring" före valet av utförare.
        if not isinstance(scenarier, list) and not sum(1 for _ in scenarier):
            raise Anvandningsfel(INGEN) from None
        raise
    # Allt som lästs in lever hela körningen: skräpsamlaren behöver inte gå igenom det om och om
    # igen. Under batchen skapas inga cykler (tupler, listor, tal), så den står still tills den är klar.
    gc.freeze()
    pa = gc.isenabled()
    gc.disable()
    resultat, fel, antal = [], [], 0
    totalt = len(scenarier) if isinstance(scenarier, list) else 0
    utvardera, rapport = motor.utvardera, framsteg if totalt else None
    try:
        for sc, platser in _med_block(scenarier, motor, fel):
            if type(sc) is Resultatblock:
                antal += len(sc.namn)
                if ut_block is not None:
                    ut_block(sc)
                elif ut is not None:
                    for r in sc.resultat():
                        ut(r)
                else:
                    resultat.extend(sc.resultat())
                continue
            antal += 1
            if fel and len(fel) >= MAX_FEL:
                continue            # resten av filen granskas ändå: dess inläsningsfel går före
            try:
                r = utvardera(sc)
            except Scenariofel as e:
                plats = platser[e.index] if e.index < len(platser) else None
                if plats is not None and plats.rad:
                    fel.append(Fel(plats, sc.namn, str(e)))
                else:
                    fel.append(Fel(Plats(plats.fil if plats else "scenario", 0, 0), sc.andringar[e.index].id, str(e)))
                if totalt and len(fel) >= MAX_FEL:
                    break
                continue
            if ut is None:
                resultat.append(r)
            elif not fel:
                ut(r)
            if rapport is not None:
                rapport(antal, totalt)
    finally:
        if pa:
            gc.enable()
        if framsteg is not None and totalt:
            framsteg(totalt, totalt)        # förloppet stängs också efter ett fel
    if fel:
        raise Inlasningsfel(fel)
    if not antal:
        raise Anvandningsfel(INGEN)
    return Korning(Scenariorapport(uid, resultat, u.delegation.grans_kr, utfall is not None), data, utfall, varningar)


def _med_block(scenarier, motor: Scenariomotor, fel: list):
    """Scenarierna, och varje `Blockpost` som ett `Resultatblock` (med None) när blocket kan räknas i
    ett svep och inget fel har kommit; annars blockets scenarier ett i taget."""
    for post in scenarier:
        if type(post) is Blockpost:
            rb = None if fel else motor.utvardera_block(post.block)
            if rb is not None:
                yield rb, None
            else:
                yield from post.scenarier()
        else:
            yield post


class Strommadescenarier:
    """Scenarierna i en ström: `skriv_till(skrivare)` läser, räknar och lämnar varje resultat till
    skrivaren (`visning.strom.Scenarioskrivare`). Ett namn som återkommer efter ett annat scenario
    bildar ändå ett scenario: det skrivna kastas (`skrivare.borja_om()`) och filen läses om i minnet.
    En stor CSV-fil räknas i flera processer (`_i_delar`)."""

    def __init__(self, s: Sammanhang):
        self.s = s
        self.varningar: list = []

    def skriv_till(self, skrivare: Scenarioskrivare) -> None:
        s, a = self.s, self.s.argument
        fel = []
        try:
            forst = _argumenten(a)
        except Inlasningsfel as e:
            forst, fel = [], list(e.fel)
        fil = a["scenariofil"]
        flode = Scenarioflode(fil, s.scenarieframsteg, block=True) if fil is not None else None
        if fel:
            try:
                if flode is not None:
                    for _ in flode:      # filens fel också, som när den läses i förväg
                        pass
            except Omstart:
                try:
                    flode.alla()
                except Inlasningsfel as e:
                    fel += e.fel
            except Inlasningsfel as e:
                fel += e.fel
            raise Inlasningsfel(fel)
        k = None
        if not forst and fil is not None:
            k = _i_delar(s.underlag, s.utforare, fil, s.utfall, skrivare, s.scenarieframsteg)
        if k is None:
            try:
                k = scenario(s.underlag, s.utforare, itertools.chain(forst, flode or ()), s.utfall, ut=skrivare.skriv,
                             ut_block=skrivare.skriv_block)
            except Omstart:
                skrivare.borja_om()
                k = scenario(s.underlag, s.utforare, forst + flode.alla(), s.utfall,  # type: ignore[union-attr]
                             ut=skrivare.skriv)
        self.varningar[:] = k.varningar


# En scenariofil från den här storleken delas vid gränser mellan scenarier och räknas i flera
# processer (`parallell.kor`): en del per processor, och minst en halv PARALLELL_BYTE per del, var
# och en med sin egen motor. Under den kostar processerna mer än de sparar.
PARALLELL_BYTE = 1024 * 1024


def _i_delar(data: Underlag, uid: Optional[str], sokvag, utfall, skrivare, framsteg):
    """Scenariofilen delad vid gränser mellan scenarier, varje del räknad i en egen process (den
    första i den här, `parallell.kor`): den första delen skrivs direkt av `skrivare`, varje annan av en
    egen skrivare till en temporär fil, som läggs till i ordning: byte för byte samma text som i en
    process. Delarna läses direkt ur filen (`Scenarioflode(…, intervall=…)`), och varje del lägger
    namnen som inleder dess scenarier i en egen `Namnlogg`, som prövas tillsammans när alla är klara.

    Ger None när det inte går eller inte lönar sig (en processor, ingen fork, en liten fil, en fil
    som inte kan delas säkert), och också när något i en del inte är rent: ett fel, ett namn som
    återkommer, eller samma namn i två delar. Då har inget skrivits (det som lagts till kastas), och
    hela filen räknas i en process."""
    try:
        storlek = os.stat(sokvag).st_size
    except (OSError, ValueError):
        return None
    if storlek < PARALLELL_BYTE:
        return None
    from vgr_ersattning import parallell

    antal = min(parallell.processer(), storlek // max(1, PARALLELL_BYTE // 2))
    punkter = delningspunkter(sokvag, PARALLELL_BYTE, antal)
    if punkter is None:
        return None
    rubrik, granser = punkter
    # Förändringarna som motorerna räknar delas mellan processerna (varje del ser nästan alla lägen).
    try:
        u = data.utforare(valj_utforare(data, uid, "volymer", "delegation", utfall=utfall), "volymer", "delegation")
        delad = parallell.DeladTabell(delade_platser(u.volymer))
    except (Anvandningsfel, Inlasningsfel, Kontrollfel, OSError, ValueError):
        delad = None                # felen ges av `scenario`
    delar = [(b"", 0, granser[0])] + [(rubrik, a, b) for a, b in zip(granser, [*granser[1:], storlek])]
    rapport = framsteg(storlek, True) if framsteg is not None else None
    with tempfile.TemporaryDirectory(prefix="vgr-ersattning-scenarier-") as katalog:
        utfiler = [os.path.join(katalog, f"resultat{i + 1}") for i in range(len(delar))]
        format, dialekt = skrivare.format, skrivare.dialekt
        # Den första delen räknas i den här processen: förloppet följer den (dess byte är filens).
        forlopp = (lambda _storlek, _byte: lambda klart, _totalt: rapport(klart, storlek)) if rapport else None

        def rakna(i: int):
            """En del: (körningen utan underlaget och utfallet, namnloggen), eller None när något inte
            är rent."""
            logg = Namnlogg(os.path.join(katalog, f"namn{i + 1}"))
            try:
                flode = Scenarioflode(sokvag, forlopp if i == 0 else None, logg, delar[i], block=True)
                if i == 0:
                    k = scenario(data, uid, flode, utfall, ut=skrivare.skriv, ut_block=skrivare.skriv_block,
                                 delad=delad)
                else:
                    with open(utfiler[i], "wb") as f:
                        egen = Scenarioskrivare(format, dialekt, f)
                        k = scenario(data, uid, flode, utfall, ut=egen.skriv, ut_block=egen.skriv_block,
                                     delad=delad)
                        egen.klar()
                if flode.citat or flode.kodning != "utf-8":
                    return None         # delen läses kanske inte som i hela filen (`delningspunkter`)
                return dataclasses.replace(k, underlag=None, utfall=None), logg.stang()
            except Exception:            # allt som inte är rent räknas om i en process
                return None

        forsta = None
        loggar: list = []
        try:
            with contextlib.closing(parallell.kor(rakna, range(len(delar)))) as svar:
                for i, del_svar in enumerate(svar):
                    if del_svar is None:
                        break
                    loggar.append(del_svar[1])
                    if forsta is None:
                        forsta = del_svar[0]
                    else:
                        with open(utfiler[i], "rb") as f:
                            skrivare.lagg_till(f)
                    if rapport is not None:
                        rapport(granser[i] if i < len(granser) else storlek, storlek)
        finally:
            if rapport is not None:
                rapport(storlek, storlek)
        if forsta is None or len(loggar) < len(delar) or Namnlogg.aterkommer_i(loggar):
            skrivare.borja_om()
            return None
        return dataclasses.replace(forsta, underlag=data, utfall=utfall)
