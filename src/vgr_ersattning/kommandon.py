"""Det kommandona gör, under kommandoraden: vilket underlag, vilket utfall, vilken utförare, vilka
kontroller som måste hålla, och vilken kärnfunktion som räknar. `cli.py` tolkar bara argument,
anropar en funktion här och lämnar resultatet till en renderare.

Fel: `Inlasningsfel` och `Anvandningsfel` (slutkod 2), `Kontrollfel` (slutkod 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Mapping, NamedTuple, Optional

from vgr_ersattning.kalkyl.period import KVARTAL, MANAD, Periodfel, tolka
from vgr_ersattning.kalkyl.resultat import AVRAKNING, BESLUT, PRISER, RAM, VOLYMER, Kontroll
from vgr_ersattning.underlag import Anvandningsfel, Underlag


# --- rapporterna som renderarna visar ----------------------------------------------------------
#
# Rapporterna är NamedTuple, inte dataklasser: alla skapas när modulen importeras, vid varje
# kommando, och en fryst dataklass kostar ~0,45 ms att skapa (genererad kod som kompileras), en
# NamedTuple ~0,05 ms (issue 17, uppstarten). De läses bara med namn av renderarna.


class Kontrollrapport(NamedTuple):
    kontroller: list
    anmarkningar: list            # (utförare, Anmarkning) – regelboken §14

    @property
    def ok(self) -> bool:
        return all(k.ok for k in self.kontroller)


class Avrakningsrapport(NamedTuple):
    ar: int
    utforare: str
    resultat: Any
    antaganden: Mapping


class Bryggrapport(NamedTuple):
    utforare: str
    resultat: Any
    brygga: Any                   # modellen (radernas namn och anmärkningar)


class Malrapport(NamedTuple):
    ar: int
    utforare: str
    resultat: Any
    antaganden: Mapping


class Uppfoljningsrapport(NamedTuple):
    utforare: str
    period: Any
    bedomningar: list


class Kalenderrapport(NamedTuple):
    utforare: str
    tillfallen: list
    indikatorer: Mapping
    agare: Mapping                # nyckel → utförare vars uppdrag indikatorn hör till

    def indikator_id(self, nyckel: str) -> str:
        return nyckel.split(".", 1)[1] if "." in nyckel else nyckel


@dataclass(frozen=True)
class Scenariorapport:
    """Scenariernas resultat. `skriven`: resultaten har redan skrivits medan de räknades (strömmad
    JSON eller CSV, `visning.strom`) och hålls inte; `resultat` är då tom och `antal` säger hur många."""

    utforare: str
    resultat: list
    delegation_kr: Decimal
    med_utfall: bool
    skriven: bool = False
    antal: int = 0


class Prognosrapport(NamedTuple):
    ar: int
    namn: str
    resultat: Any
    antaganden: Mapping
    grupper: Mapping              # gruppernas namn ur volymtabellen


class Jamforelserapport(NamedTuple):
    ar: int
    namn: str
    resultat: Any
    antaganden: Mapping


class Utbetalningsrapport(NamedTuple):
    resultat: Any                 # kalkyl.utbetalning.Manadsbetalning
    med_journal: bool
    bokford: bool
    antaganden: Mapping


class Forklaringsrapport(NamedTuple):
    figur: str
    nod: Any
    antaganden: Mapping


class Figurlista(NamedTuple):
    figurer: list                 # (namn, beskrivning)


class Antagandelista(NamedTuple):
    antaganden: Mapping
    anvandning: Mapping           # id → [fil:rad:kolumn där antagandet verkar]


@dataclass
class Korning:
    """Ett kommandos resultat, underlaget det räknades på och varningar (underkända kontroller som
    inte rör resultatets siffror)."""

    resultat: Any
    underlag: Underlag
    utfall: Any = None
    varningar: list = field(default_factory=list)
    beslut: Any = None              # beslutsfil.Beslutslista

    def kalla(self, k) -> tuple[str, str]:
        if k.dokument == BESLUT and self.beslut is not None:
            uid, index = k.sokvag
            b = self.beslut.for_utforare(uid)[index]
            organ = f"{b.organ} {b.datum}" + (f" {b.paragraf}" if b.paragraf else "")
            return str(self.beslut.plats(uid, index)), f"{b.kalla} ({organ}, gäller från {b.fran})"
        return self.underlag.los_upp(k, self.utfall)


# --- gemensamt ------------------------------------------------------------------------------------


def valj_utforare(data: Underlag, uid: Optional[str], *krav: str, utfall=None) -> str:
    """Utföraren: den angivna, annars den enda som har data för kommandot (bland dem som har utfall
    i utfallsfilerna, när sådana ges)."""
    if uid:
        data.utforare(uid, *krav)
        return uid.upper()
    finns = data.med_data(*krav)
    if utfall is not None and len(finns) > 1:
        i_utfallet = set(utfall.produktion) | set(utfall.avrakning) | set(utfall.indikatorer) | set(utfall.malrelaterad)
        finns = [u for u in finns if u in i_utfallet] or finns
    if len(finns) == 1:
        return finns[0]
    raise Anvandningsfel("ange utförare med --utforare/-u (utförare med data för kommandot: "
                         f"{', '.join(finns) or 'inga'})")


def manad(text: Optional[str], ar: int, flagga: str = "--till-och-med") -> Optional[int]:
    if text is None:
        return None
    try:
        return tolka(text, slag=(MANAD,), ar=ar).nummer
    except Periodfel as e:
        raise Anvandningsfel(f"{flagga} {text}: {e}") from None


def _antaganden(data: Underlag, ider) -> dict:
    alla = data.uppdrag.modell.antaganden
    return {a: alla[a] for a in sorted(set(ider)) if a in alla}


# --- kommandona ------------------------------------------------------------------------------------


def berakna(data: Underlag, uid: Optional[str], utfall=None, till_och_med: Optional[str] = None,
            beslut=None) -> Korning:
    """Regelboken §4–§7: tilläggsersättning, anslag, avräkning och utbetalning per månad."""
    from vgr_ersattning.kalkyl.utbetalning import berakna as berakna_karna

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
                        beslut.for_utforare(uid) if beslut is not None else ())
    if utfall is not None:
        med_data = utfall.produktionsmanader.get(uid, set())
        res = res._replace(manader_utan_data=tuple(m for m in range(1, res.tillagg.till_och_med + 1)
                                                  if m not in med_data))
    return Korning(res, data, utfall, varningar, beslut)


def prognos(data: Underlag, uid: Optional[str], utfall, till_och_med: Optional[str] = None) -> Korning:
    """Regelboken §16 (antagande A7): årets prognos per rad och i summa, värderad med §4."""
    from vgr_ersattning.kalkyl.prognos import berakna_prognos

    uid = valj_utforare(data, uid, "volymer", utfall=utfall)
    u = data.utforare(uid, "volymer")
    tom = manad(till_och_med, data.ar) or utfall.sista_manad(uid)
    if tom is None:
        raise Anvandningsfel(f"utfallet har ingen produktion för {uid}; en prognos bygger på utfallet hittills")
    varningar = data.grind(uid, {VOLYMER, PRISER})
    regler = getattr(data.uppdrag.modell, "prognos", None)
    antagande = regler.antagande if regler is not None else None
    res = berakna_prognos(u.volymer, data.priser.modell, uid, utfall.produktion.get(uid, {}), tom, u.tillagg, antagande)
    return Korning(Prognosrapport(data.ar, u.namn, res, _antaganden(data, res.antaganden), u.volymer.grupper),
                   data, utfall, varningar)


def jamfor(data: Underlag, uid: Optional[str], fore, efter) -> Korning:
    """Regelboken §17: förändringen mellan två uttag, revision och nya månader per rad."""
    from vgr_ersattning.kalkyl.jamforelse import jamfor as jamfor_karna

    uid = valj_utforare(data, uid, "volymer", utfall=efter)
    u = data.utforare(uid, "volymer")
    a, b = fore.sista_manad(uid), efter.sista_manad(uid)
    if a is None or b is None:
        raise Anvandningsfel(f"{'--fore' if a is None else '--efter'}: uttaget har ingen produktion för {uid}")
    if b < a:
        raise Anvandningsfel(f"--efter täcker t.o.m. {data.ar}-{b:02d} men --fore t.o.m. {data.ar}-{a:02d}; "
                             "ange det senare uttaget som --efter")
    varningar = data.grind(uid, {VOLYMER, PRISER})
    res = jamfor_karna(u.volymer, data.priser.modell, uid, fore.produktion.get(uid, {}), a,
                       efter.produktion.get(uid, {}), b, u.tillagg)
    ider = [u.tillagg.antagande] if u.tillagg and u.tillagg.antagande else []
    return Korning(Jamforelserapport(data.ar, u.namn, res, _antaganden(data, ider)), data, efter, varningar)


def utbetala(data: Underlag, uid: Optional[str], utfall, manad_text: str, beslut=None,
             journal_fil=None, bokfor: bool = False, indatafiler=()) -> Korning:
    """Regelboken §19: månadens utbetalning per komponent mot det som betalats (journalen), och
    med `bokfor` månaden bokförd i journalen (atomiskt, bara i ordning)."""
    from vgr_ersattning.kalkyl.utbetalning import utbetala as utbetala_karna

    m = manad(manad_text, data.ar, "--manad")
    if utfall is not None:
        sista = utfall.sista_manad(valj_utforare(data, uid, "volymer", "ersattningsram", utfall=utfall))
        if sista is not None and sista < m:
            raise Anvandningsfel(f"--manad {manad_text}: utfallet har produktion t.o.m. {data.ar}-{sista:02d}; "
                                 "månadens utbetalning kräver ett uttag som täcker månaden")
    if bokfor and journal_fil is None:
        raise Anvandningsfel("--bokfor kräver --journal FIL")
    k = berakna(data, uid, utfall, manad_text, beslut)
    b = k.resultat
    journal = None
    if journal_fil is not None:
        from vgr_ersattning.journal import las_journal

        journal = las_journal(journal_fil, saknas_ok=bokfor)
        if journal is not None:
            if journal.utforare.upper() != b.utforare or journal.ar != data.ar:
                raise Anvandningsfel(f"{journal.namn}: journalen gäller {journal.utforare} {journal.ar}, "
                                     f"beräkningen {b.utforare} {data.ar}")
            sista = journal.sista_manad() or 0
            if sista < m - 1:
                raise Anvandningsfel(f"{journal.namn}: journalen är bokförd t.o.m. "
                                     + (f"{data.ar}-{sista:02d}" if sista else "ingen månad")
                                     + f"; {manad_text} kan räknas först när månaderna före är bokförda")
        elif m != 1:
            raise Anvandningsfel(f"{journal_fil}: journalen finns inte; en ny journal börjar med januari")
    res = utbetala_karna(b, m, journal.betalt_fore(m) if journal is not None else (
        {} if journal_fil is not None else None))
    if bokfor:
        from vgr_ersattning.journal import bokfor as bokfor_journal, skapa_bokforing

        bokfor_journal(journal_fil, b.utforare, data.ar,
                       skapa_bokforing(manad_text, res.belopp_per_komponent(), indatafiler))
    return Korning(Utbetalningsrapport(res, journal_fil is not None, bokfor, b.antaganden),
                   data, utfall, k.varningar, beslut)


def kontrollera(data: Underlag, journal_fil=None) -> Korning:
    """Alla kontroller av datafilerna, och med `journal_fil` utbetalningsjournalen (§19): ordning,
    luckor, dubbletter och att varje månads komponenter summerar till dess summa."""
    anm = [(uid, a) for uid, u in data.uppdrag.modell.utforare.items() for a in u.anmarkningar]
    kontroller = list(data.kontroller)
    if journal_fil is not None:
        from vgr_ersattning.journal import kontrollera_journal, las_journal

        j = las_journal(journal_fil)
        problem = kontrollera_journal(j)
        if problem:
            kontroller += [Kontroll(namn="Utbetalningsjournalen", ok=False, meddelande=p.split(": ", 1)[-1],
                                    plats=p.split(": ", 1)[0] if ": " in p else j.namn) for p in problem]
        else:
            kontroller.append(Kontroll(namn="Utbetalningsjournalen", ok=True, plats=j.namn,
                                       meddelande=f"{len(j.bokforingar)} bokförda månader i ordning utan luckor; "
                                                  "varje månads komponenter summerar till dess summa"))
    return Korning(Kontrollrapport(kontroller, anm), data)


def avrakning(data: Underlag, uid: Optional[str], utfall, till_och_med: Optional[str] = None) -> Korning:
    """Regelboken §7."""
    from vgr_ersattning.kalkyl.avrakning import berakna_avrakning

    uid = valj_utforare(data, uid, "avrakning", utfall=utfall)
    u = data.utforare(uid, "avrakning")
    varden = utfall.avrakning.get(uid, {})
    tom = manad(till_och_med, data.ar)
    if tom is None:
        manader = [m for post in varden.values() for m in post]
        if not manader:
            raise Anvandningsfel(f"utfallet har inget avräkningsutfall för {uid} (avsnittet avrakning)")
        tom = max(manader)
    varningar = data.grind(uid, {AVRAKNING})
    res = berakna_avrakning(u.avrakning, varden, tom)
    return Korning(Avrakningsrapport(data.ar, uid, res, _antaganden(data, [res.antagande] if res.antagande else [])),
                   data, utfall, varningar)


def brygga(data: Underlag, uid: Optional[str]) -> Korning:
    """Regelboken §8. Bryggan visas även när den inte stämmer (det är den kommandot kontrollerar)."""
    from vgr_ersattning.kalkyl.brygga import berakna_brygga

    uid = valj_utforare(data, uid, "brygga")
    u = data.utforare(uid, "brygga")
    varningar = data.grind(uid, set())
    return Korning(Bryggrapport(uid, berakna_brygga(u.brygga), u.brygga), data, None, varningar)


def malrelaterad(data: Underlag, uid: Optional[str], utfall) -> Korning:
    """Regelboken §9."""
    from vgr_ersattning.kalkyl.malrelaterad import berakna_malrelaterad

    uid = valj_utforare(data, uid, "malrelaterad_1177", utfall=utfall)
    u = data.utforare(uid, "malrelaterad_1177")
    andelar = utfall.malrelaterad.get(uid)
    if not andelar:
        raise Anvandningsfel(f"utfallet har inget avsnitt malrelaterad_1177 för {uid}")
    varningar = data.grind(uid, set())
    res = berakna_malrelaterad(u.malrelaterad_1177, andelar)
    return Korning(Malrapport(data.ar, uid, res, _antaganden(data, res.antaganden)), data, utfall, varningar)


def kalender(data: Underlag, uid: Optional[str]) -> Korning:
    """Regelboken §10: per tillfälle vad som ska rapporteras och av vem – för en utförare, eller utan
    `-u` för alla uppdrag med indikatorer (id:n skrivs då `UTFÖRARE.id`)."""
    from vgr_ersattning.kalkyl import uppfoljning as upp

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


def uppfoljning(data: Underlag, uid: Optional[str], utfall, period: Optional[str] = None) -> Korning:
    """Regelboken §10 (och §5 för indikatorer som räknas ur produktionen)."""
    from vgr_ersattning.kalkyl import uppfoljning as upp

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
    return Korning(Uppfoljningsrapport(uid, vald, upp.berakna_uppfoljning(lista, varden, vald, beraknade)),
                   data, utfall, varningar)


def scenario(data: Underlag, uid: Optional[str], scenarier, utfall=None, framsteg=None, ut=None) -> Korning:
    """Regelboken §11: varje scenario räknas med §4:s funktion på de ändrade raderna.

    `scenarier` är (scenario, ändringarnas platser) i en lista eller en ström (`scenariofil.Scenarioflode`,
    som kastar sina inläsningsfel först när filen är slut). Med `ut` lämnas varje resultat till
    `ut(resultat)` så snart det är räknat och hålls inte (rapporten är `skriven`); efter det första
    felet lämnas inget mer, och den som skriver kastar det skrivna när ett fel kastas härifrån.
    Indatafel i filen går före felen i scenarierna, som förut när hela filen lästes först."""
    import gc

    from vgr_ersattning.kalkyl.scenario import Scenariofel, Scenariomotor
    from vgr_ersattning.laddning import Fel, Inlasningsfel, Plats

    ingen = "ange minst en ändring (--satt, --andra, --pris) eller --scenariofil"
    if isinstance(scenarier, list) and not scenarier:
        raise Anvandningsfel(ingen)
    try:
        uid = valj_utforare(data, uid, "volymer", "delegation", utfall=utfall)
        u = data.utforare(uid, "volymer", "delegation")
        varningar = data.grind(uid, {VOLYMER, PRISER})
        produktion, tom = None, 12
        if utfall is not None:
            produktion = utfall.produktion.get(uid, {})
            tom = utfall.sista_manad(uid) or 12
        motor = Scenariomotor(u.volymer, data.priser.modell, uid, u.delegation.grans_kr, produktion, tom, u.tillagg)
    except Exception:
        # Felen i scenariofilen först, och "ange minst en ändring" före valet av utförare.
        if not isinstance(scenarier, list) and not sum(1 for _ in scenarier):
            raise Anvandningsfel(ingen) from None
        raise
    # Allt som lästs in lever hela körningen: skräpsamlaren behöver inte gå igenom det om och om
    # igen (en batch med 100 000 scenarier tog annars nästan dubbelt så lång tid). Under batchen
    # skapas inga cykler (tupler, listor, tal), så skräpsamlaren står still tills den är klar.
    gc.freeze()
    pa = gc.isenabled()
    gc.disable()
    resultat, fel, antal = [], [], 0
    totalt = len(scenarier) if isinstance(scenarier, list) else 0
    try:
        for s, platser in scenarier:
            antal += 1
            if len(fel) >= 50:
                continue            # resten av filen granskas ändå: dess inläsningsfel går före
            try:
                r = motor.utvardera(s)
            except Scenariofel as e:
                plats = platser[e.index] if e.index < len(platser) else None
                if plats is not None and plats.rad:
                    fel.append(Fel(plats, s.namn, str(e)))
                else:
                    fel.append(Fel(Plats(plats.fil if plats else "scenario", 0, 0), s.andringar[e.index].id, str(e)))
                if totalt and len(fel) >= 50:
                    break
                continue
            if ut is None:
                resultat.append(r)
            elif not fel:
                ut(r)
            if framsteg is not None and totalt:
                framsteg(antal, totalt)
    finally:
        if pa:
            gc.enable()
        if framsteg is not None and totalt:
            framsteg(totalt, totalt)        # förloppet stängs också efter ett fel
    if fel:
        raise Inlasningsfel(fel)
    if not antal:
        raise Anvandningsfel(ingen)
    return Korning(Scenariorapport(uid, resultat, u.delegation.grans_kr, utfall is not None, ut is not None, antal),
                   data, utfall, varningar)


def scenario_strommat(data: Underlag, uid: Optional[str], argumenten, scenariofil, utfall, format: str,
                      dialekt: str, ut: Optional[str], framsteg=None) -> Korning:
    """`scenario` med JSON eller CSV: varje resultat skrivs när det är räknat (`visning.strom`) till
    `utskrift.Strommad`, som gör det synligt (`ut` eller standard ut) först när hela indata är granskad
    och allt är räknat; ett fel lämnar ingenting efter sig. Rapporten är `skriven`.

    `argumenten()` ger kommandoradens scenario (eller inget); `scenariofil` läses som en ström
    (`scenariofil.Scenarioflode`). En stor CSV-fil räknas i två processer (`_scenario_i_tva_delar`)."""
    import itertools

    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.scenariofil import Omstart, Scenarioflode
    from vgr_ersattning.utskrift import Strommad
    from vgr_ersattning.visning.strom import Scenarioskrivare

    fel = []
    try:
        forst = argumenten()
    except Inlasningsfel as e:
        forst, fel = [], list(e.fel)
    flode = Scenarioflode(scenariofil, framsteg) if scenariofil is not None else None
    if fel:
        try:
            if flode is not None:
                for _ in flode:      # filens fel också, som när den lästes i förväg
                    pass
        except Omstart:
            try:
                flode.alla()
            except Inlasningsfel as e:
                fel += e.fel
        except Inlasningsfel as e:
            fel += e.fel
        raise Inlasningsfel(fel)
    with Strommad(ut) as fil:
        skrivare = Scenarioskrivare(format, dialekt, fil)
        k = None
        if not forst and scenariofil is not None:
            k = _scenario_i_tva_delar(data, uid, scenariofil, utfall, skrivare, framsteg)
        if k is None:
            try:
                k = scenario(data, uid, itertools.chain(forst, flode or ()), utfall, ut=skrivare.skriv)
            except Omstart:
                # Ett namn återkommer efter ett annat scenario: det bildar ändå ett scenario (README),
                # på sin första plats. Det skrivna kastas och filen läses om i minnet.
                skrivare.borja_om()
                k = scenario(data, uid, forst + flode.alla(), utfall, ut=skrivare.skriv)  # type: ignore[union-attr]
        skrivare.klar()
    return k


# En scenariofil från den här storleken räknas i två processer (fork): hälften var, var och en med
# sin egen motor, och den andras resultat läggs efter. Under den kostar processen mer än den sparar.
PARALLELL_BYTE = 1024 * 1024


def _skriv_och_minns(skriv, namn: set):
    """`ut` för en del av en delad scenariofil: skriver resultatet och minns scenariots namn (ett namn
    i båda delarna gör att filen räknas om i en process)."""
    def ut(r, lagg=namn.add) -> None:
        lagg(r.namn)
        skriv(r)
    return ut


def _scenario_i_tva_delar(data: Underlag, uid: Optional[str], sokvag, utfall, skrivare, framsteg):
    """Scenariofilen i två delar (`scenariofil.delningspunkt`, vid en gräns mellan två scenarier), den andra
    i en barnprocess, och barnets resultat efter förälderns, byte för byte samma text som i en process.

    Ger None när det inte går eller inte lönar sig (ingen fork, en liten fil, en fil som inte kan
    delas säkert), och också när något i en del inte är rent: ett fel, ett namn som återkommer, eller
    samma namn i båda delarna. Då har inget skrivits, och hela filen räknas i en process, som ger
    felen med sina platser och slår ihop återkommande namn."""
    import os
    import pickle
    import tempfile

    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.scenariofil import Omstart, Scenarioflode, delningspunkt, skriv_delar
    from vgr_ersattning.visning.strom import Scenarioskrivare

    punkt = delningspunkt(sokvag, PARALLELL_BYTE) if hasattr(os, "fork") else None
    if punkt is None:
        return None
    with tempfile.TemporaryDirectory(prefix="vgr-ersattning-scenarier-") as katalog:
        forsta, andra = skriv_delar(sokvag, *punkt, katalog)
        barnets = os.path.join(katalog, "resultat")
        las, skriv = os.pipe()
        pid = os.fork()
        if pid == 0:                     # barnet: den andra delen
            os.close(las)
            svar = ("fel",)
            try:
                namn: set = set()
                with open(barnets, "wb") as f:
                    egen = Scenarioskrivare(skrivare.format, skrivare.dialekt, f)
                    k = scenario(data, uid, Scenarioflode(andra), utfall, ut=_skriv_och_minns(egen.skriv, namn))
                    egen.klar()
                svar = ("ok", k.resultat.antal, namn)
            except BaseException:        # allt som inte är rent räknas om i en process
                pass
            try:
                data_ut = pickle.dumps(svar, protocol=pickle.HIGHEST_PROTOCOL)
                while data_ut:
                    data_ut = data_ut[os.write(skriv, data_ut):]
            finally:
                os._exit(0)
        os.close(skriv)
        svar = ("fel",)
        klar = False
        try:
            mina: set = set()
            try:
                k = scenario(data, uid, Scenarioflode(forsta, framsteg), utfall, ut=_skriv_och_minns(skrivare.skriv, mina))
            except (Inlasningsfel, Omstart, Anvandningsfel):
                k = None
            if k is not None:
                with os.fdopen(os.dup(las), "rb") as f:
                    svar = pickle.loads(f.read())
                klar = True
        finally:
            os.close(las)
            if not klar:
                import signal

                try:
                    os.kill(pid, signal.SIGKILL)    # barnets del behövs inte (ett fel, Ctrl-C)
                except ProcessLookupError:
                    pass
            os.waitpid(pid, 0)
        if k is None or svar[0] != "ok" or not mina.isdisjoint(svar[2]):
            skrivare.borja_om()
            return None
        with open(barnets, "rb") as f:
            skrivare.lagg_till(f)
        r = k.resultat
        return Korning(replace(r, antal=r.antal + svar[1]), k.underlag, k.utfall, k.varningar)


def scenario_som_beslut(data: Underlag, k: Korning, scenarier: list, fil: str, fran: Optional[str]) -> None:
    """`scenario --som-beslut`: scenarierna som ett utkast till beslutsfil (regelboken §11, §18), skrivet
    atomiskt till en ny fil; organet är delegation när förändringen ryms i delegationsgränsen, annars
    nämnden (uppdragets beslutande organ)."""
    import datetime

    from vgr_ersattning.beslutsfil import utkast
    from vgr_ersattning.utskrift import skriv

    if fran is None:
        raise Anvandningsfel("--som-beslut kräver --fran ÅÅÅÅ-MM (första månaden beslutet gäller)")
    manad(fran, data.ar, "--fran")
    r = k.resultat
    u = data.utforare(r.utforare)
    namnd = u.beslut.organ if u.beslut is not None else "nämnden"
    skriv(utkast(r.utforare, data.ar, namnd, scenarier, r.resultat, fran, datetime.date.today().isoformat()), fil)


class Prisrapport(NamedTuple):
    rader: tuple
    kalla: str


def priser(data: Underlag) -> Korning:
    """Tabellen Priser 2026 med varje sjukhus avstånd till det kalkylerade priset."""
    from vgr_ersattning.kalkyl.prislista import prislista

    tabell = data.priser.modell.priser
    return Korning(Prisrapport(prislista(data.priser.modell), tabell.kalla if tabell else ""), data)


def antaganden(data: Underlag) -> Korning:
    """Antagandena ur uppdragets data och var i datan de verkar (`antagande: An`)."""
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


# --- forklara --------------------------------------------------------------------------------------

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
    from vgr_ersattning.kalkyl import forklaring as fk

    ar = data.ar
    delar = figur.split(".")
    if figur == "brygga":
        k = brygga(data, uid)
        nod = fk.brygga(k.resultat.resultat, k.resultat.brygga, k.resultat.utforare)
    elif delar[0] == "malrelaterad" and len(delar) == 2:
        if utfall is None:
            raise Anvandningsfel("ange --utfall med avsnittet malrelaterad_1177 för att förklara ett 1177-kvartal")
        k = malrelaterad(data, uid, utfall)
        q = _period(delar[1], ar, KVARTAL).nummer
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
            from vgr_ersattning.kalkyl.uppfoljning import senaste_period

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
            nod = fk.anslag_manad(b.anslag, b.utforare, _period(delar[1], ar, MANAD).nummer, b.ikraft)
        elif delar[0] == "utbetalning" and len(delar) == 2:
            m = _period(delar[1], ar, MANAD).nummer
            if m > b.tillagg.till_och_med:
                raise Anvandningsfel(f"{figur}: beräkningen går till och med {ar}-{b.tillagg.till_och_med:02d}")
            nod = fk.utbetalning_manad(b, m)
        elif delar[0] == "avrakning" and len(delar) == 3 and b.avrakning is not None:
            m = _period(delar[2], ar, MANAD).nummer
            post = next((p for p in b.avrakning.poster if p.id == delar[1]), None)
            tf = [t for t in post.tillfallen] if post else []
            i = next((j for j, t in enumerate(tf) if t.manad == m), None)
            if i is None:
                raise Anvandningsfel(f"{figur}: ingen avräkning av den posten den månaden")
            nod = fk.avrakning(post, tf[i], tf[i - 1] if i else None, b.utforare, b.avrakning.antagande)
        else:
            raise Anvandningsfel(f"okänd siffra {figur!r}; `ersattning forklara --lista` visar vad som kan förklaras")
    nod = fk.los_upp(nod, k.kalla)
    return Korning(Forklaringsrapport(figur, nod, _antaganden(data, nod.alla_antaganden())), data, k.utfall,
                   k.varningar, k.beslut)


def _period(text: str, ar: int, slag: str):
    try:
        return tolka(text, slag=(slag,), ar=ar)
    except Periodfel as e:
        raise Anvandningsfel(str(e)) from None


def _indikatorns_utforare(data: Underlag, uid: Optional[str], figur: str) -> Optional[str]:
    for u_id in data.med_data("indikatorer"):
        if (uid is None or u_id == uid.upper()) and figur in data.uppdrag.modell.utforare[u_id].indikatorer.lista:
            return u_id
    return None

