"""Utbetalningen per månad: anslaget (regelboken §6), tillägget (§4) och avräkningens postningar
(§7), och `berakna`, som räknar dem för en utförare med värdena som gäller varje månad (§18).
Månadens utbetalning mot det betalda (§19) har dessutom, för en utförare med 1177-data, kvartalens
målrelaterade ersättning (§9, antagande A10). En utförare vars uppdrag bara har 1177 (inga volymer och
ingen ram, som Regionhälsan) har varken tillägg, anslag eller avräkning: beräkningen har dem inte
(None), och utbetalningens enda komponenter är kvartalen.

Summan här är `berakna`:s `summa_kr`; tabell, JSON och CSV läser den härifrån.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple, Optional, Sequence

from vgr_ersattning.kalkyl.anslag import Anslagsresultat, berakna_anslag
from vgr_ersattning.kalkyl.avrakning import Avrakningsresultat, berakna_avrakning
from vgr_ersattning.kalkyl.malrelaterad import Malrelateradresultat, berakna_malrelaterad
from vgr_ersattning.kalkyl.parametrar import Parametrar, i_kraft
from vgr_ersattning.kalkyl.period import KVARTAL, MANADSNAMN, Period
from vgr_ersattning.kalkyl.resultat import antagandeordning
from vgr_ersattning.kalkyl.spar import RAKNA, Rakning, formel
from vgr_ersattning.kalkyl.tillagg import Tillaggsresultat, berakna_tillagg
from vgr_ersattning.modell import Antagandetext, Priser, Uppdrag
from vgr_ersattning.pengar import avrunda, tkr_till_kr

NOLL = Decimal(0)

# Antagande A10 (regelboken §9, §19): ett 1177-kvartal förfaller från kvartalets sista månad och betalas
# i den första utbetalningen vars uttag har kvartalets resultat.
ANTAGANDE_1177 = "A10"

UTBETALNING = formel("regelboken §4, §6", "utbetalning(anslag, tillägg) = anslag + tillägg", "Utbetalning", "kr",
                     hittills=False)
UTBETALNING_AVR = formel("regelboken §4, §6, §7", "utbetalning(anslag, tillägg, avräkning) = anslag + tillägg + "
                         "avräkning", "Utbetalning", "kr", hittills=False)
AVRAKNING_KR = formel("regelboken §7", "avräkning(*postning) = summa(postning) * 1000", "Avräkning", "kr",
                      hittills=False)
HITTILLS = formel("regelboken §4, §6, §7", "hittills(*månad) = summa(månad)", "Hittills", "kr")
AVRUNDAD = formel("regelboken §1", "avrundad(hittills, hittills_före, decimaler) = avrunda(hittills, decimaler) - "
                  "avrunda(hittills_före, decimaler)", "Avrundad", "kr", hittills=False)
KOLUMNER = (("anslag", "Anslag"), ("tillagg_manad", "Tillägg"), ("avrakning_manad", "Avräkning"))


class Manadsutbetalning(NamedTuple):
    manad: int
    anslag_kr: Decimal
    tillagg_kr: Decimal
    avrakning_kr: Optional[Decimal]    # None när ingen avräkning postas den månaden

    @property
    def summa_kr(self) -> Decimal:
        if self.avrakning_kr is None:
            return UTBETALNING.f(self.anslag_kr, self.tillagg_kr)
        return UTBETALNING_AVR.f(self.anslag_kr, self.tillagg_kr, self.avrakning_kr)


class Utbetalning(NamedTuple):
    manader: tuple[Manadsutbetalning, ...]
    med_avrakning: bool

    @property
    def anslag_kr(self) -> Decimal:
        return sum((m.anslag_kr for m in self.manader), NOLL)

    @property
    def tillagg_kr(self) -> Decimal:
        return sum((m.tillagg_kr for m in self.manader), NOLL)

    @property
    def avrakning_kr(self) -> Decimal:
        return sum((m.avrakning_kr or NOLL for m in self.manader), NOLL)

    @property
    def summa_kr(self) -> Decimal:
        return self.anslag_kr + self.tillagg_kr + self.avrakning_kr

    def avrundad(self, decimaler: int = 0, spar: Optional[Rakning] = None) -> "Utbetalning":
        """Månaderna avrundade kolumn för kolumn så att varje kolumn summerar till sin avrundade
        summa: varje månad är `avrunda(hittills) − avrunda(hittills månaden före)` (half up); planens
        månader är tolftedelar som inte är hela kronor. Med `spar` antecknas varje avrundad månad
        (`("avrundad", kolumn, månad)`) och dess utbetalning (`("utbetalning_avrundad", månad)`)."""
        r = spar or RAKNA
        kolumner = []
        for (nyckel, namn), varden in zip(KOLUMNER, zip(*((m.anslag_kr, m.tillagg_kr, m.avrakning_kr or NOLL)
                                                          for m in self.manader))):
            termer = [r.hamta((nyckel, m), v) for m, v in enumerate(varden, start=1)]
            if all(v == avrunda(v, decimaler) for v in varden):    # redan i hela kronor (ören): som de är
                kolumner.append(list(varden))
                continue
            fore, ut = NOLL, []
            for m in range(1, len(termer) + 1):
                nu = r.anvand(HITTILLS, m, *termer[:m], namn=namn)
                ut.append(r.spara(("avrundad", nyckel, m), r.anvand(AVRUNDAD, m, nu, fore, decimaler,
                                                                   namn=f"{namn} (avrundad)")))
                fore = nu
            kolumner.append(ut)
        manader = []
        for m, a, t, v in zip(self.manader, *kolumner):
            x = Manadsutbetalning(m.manad, a, t, None if m.avrakning_kr is None else v)
            delar = [r.hamta(("avrundad", k, m.manad), r.hamta((k, m.manad), y)) for (k, _), y in zip(KOLUMNER, (a, t, v))]
            if x.avrakning_kr is None:
                r.spara(("utbetalning_avrundad", m.manad), r.anvand(UTBETALNING, m.manad, *delar[:2]))
            else:
                r.spara(("utbetalning_avrundad", m.manad), r.anvand(UTBETALNING_AVR, m.manad, *delar))
            manader.append(x)
        return Utbetalning(tuple(manader), self.med_avrakning)

    @property
    def ar_hela_kronor(self) -> bool:
        return all(v == v.to_integral_value() for m in self.manader
                   for v in (m.anslag_kr, m.tillagg_kr, m.avrakning_kr or NOLL))


def berakna_utbetalning(tillagg: Tillaggsresultat, anslag: Anslagsresultat,
                        avrakning: Optional[Avrakningsresultat], spar: Optional[Rakning] = None) -> Utbetalning:
    """Månad för månad t.o.m. tilläggets sista månad: anslag + tillägg + avräkningens postningar (kr). Med
    `spar` antecknas varje månads avräkning (`("avrakning_manad", månad)`) och utbetalning
    (`("utbetalning", månad)`)."""
    r = spar or RAKNA
    postningar: dict[int, list] = {}
    if avrakning is not None:
        for p in avrakning.poster:
            for tf in p.tillfallen:
                postningar.setdefault(tf.manad, []).append(r.hamta(("avrakning", p.id, tf.manad), tf.reglering_tkr))
    manader = []
    for m in range(1, tillagg.till_och_med + 1):
        a = r.hamta(("anslag", m), anslag.manader[m - 1])
        t = r.hamta(("tillagg_manad", m), tillagg.manader[m - 1])
        if m in postningar:
            avr = r.anvand(AVRAKNING_KR, m, *postningar[m])
            r.spara(("avrakning_manad", m), avr)
            r.spara(("utbetalning", m), r.anvand(UTBETALNING_AVR, m, a, t, avr))
        else:
            avr = None
            r.spara(("utbetalning", m), r.anvand(UTBETALNING, m, a, t))
        manader.append(Manadsutbetalning(m, r.ut(a), r.ut(t), None if avr is None else r.ut(avr)))
    u = Utbetalning(tuple(manader), avrakning is not None)
    tom = tillagg.till_och_med
    delar = [r.anvand(HITTILLS, tom, *(r.hamta((nyckel, m.manad), v) for m, v in zip(u.manader, varden)), namn=namn)
             for (nyckel, namn), varden in zip(KOLUMNER, ([m.anslag_kr for m in u.manader], [m.tillagg_kr for m in u.manader],
                                                          [m.avrakning_kr or NOLL for m in u.manader]))]
    period = f"t.o.m. {MANADSNAMN[tom - 1]}" if tom else None
    if avrakning is None:
        r.spara(("summa",), r.anvand(UTBETALNING, period, *delar[:2], namn="Summa utbetalt"))
    else:
        r.spara(("summa",), r.anvand(UTBETALNING_AVR, period, *delar, namn="Summa utbetalt"))
    return u


class Berakning(NamedTuple):
    """`berakna` för en utförare: tillägg, anslag, avräkning och utbetalning per månad, texterna till de
    antaganden siffrorna beror på (ur uppdragets data) och värdena som gällde varje månad. Tillägg,
    anslag och utbetalning är None när uppdraget varken har volymer eller ram (en utförare med bara
    1177, `har_ersattning`)."""

    ar: int
    utforare: str
    namn: str
    tillagg: Optional[Tillaggsresultat]
    anslag: Optional[Anslagsresultat]
    avrakning: Optional[Avrakningsresultat]
    utbetalning: Optional[Utbetalning]
    antaganden: Mapping[str, Antagandetext]
    manader_utan_data: tuple[int, ...] = ()   # månader t.o.m. till_och_med utan någon rad i utfallet
    parametrar: Optional[Parametrar] = None   # värdena som gällde varje månad (§18)
    malrelaterad: Optional[Malrelateradresultat] = None   # 1177-kvartalen i uttaget (§9), se `med_malrelaterad`
    till_och_med: int = 12                    # beräkningens sista månad

    @property
    def har_ersattning(self) -> bool:
        """Om uppdraget har tillägg och anslag (§4–§7): volymer och ram."""
        return self.utbetalning is not None

    @property
    def summa_kr(self) -> Decimal:
        if self.utbetalning is None:
            raise ValueError(f"{self.utforare} har ingen ersättning enligt §4–§7 (inga volymer och ingen ram)")
        return self.utbetalning.summa_kr

    @property
    def ikraft(self) -> Optional[Parametrar]:
        """Värdena per månad när beslut under året ändrat dem, annars None."""
        return self.parametrar if self.parametrar is not None and self.parametrar.har_beslut else None


def berakna(uppdrag: Uppdrag, priser: Priser, utforare: str,
            produktion: Optional[Mapping[str, Sequence[int]]] = None,
            avrakningsutfall: Optional[Mapping[str, Mapping[int, Decimal]]] = None,
            till_och_med: int = 12, beslut: Sequence = (), spar: Optional[Rakning] = None,
            malrelaterad: Optional[Mapping[int, Decimal]] = None) -> Berakning:
    """Regelboken §4–§7 och §18 för en utförare t.o.m. `till_och_med`, med värdena som gäller varje månad
    efter besluten under året (`beslut`). Utan `produktion` räknas planen. `malrelaterad` är uttagets
    1177-resultat (andel i procent per kvartal), för utbetalningen (§19, `med_malrelaterad`)."""
    u = uppdrag.utforare[utforare]
    p = i_kraft(u, priser, utforare, uppdrag.ar, beslut)
    if p.volymer is None and p.ram_tkr is None:       # bara 1177 (§9): inget tillägg, inget anslag
        b = Berakning(uppdrag.ar, utforare, u.namn, None, None, None, None, {}, (), p, till_och_med=till_och_med)
        return b if malrelaterad is None else med_malrelaterad(b, uppdrag, malrelaterad, spar)
    tillagg = berakna_tillagg(p, produktion, till_och_med, u.tillagg, spar)
    anslag = berakna_anslag(p.ram_tkr, p.fast_andel_procent, till_och_med, spar)
    avr = None
    if u.avrakning is not None and avrakningsutfall:
        avr = berakna_avrakning(u.avrakning, avrakningsutfall, till_och_med, p.niva_tkr, spar)
    ider = set(tillagg.antaganden) | ({avr.antagande} if avr is not None and avr.antagande else set())
    if p.pris_beslutat and uppdrag.beslutsregler:
        ider |= {uppdrag.beslutsregler.antagande} - {None}
    b = Berakning(uppdrag.ar, utforare, u.namn, tillagg, anslag, avr, berakna_utbetalning(tillagg, anslag, avr, spar),
                  {a: uppdrag.antaganden[a] for a in sorted(ider, key=antagandeordning) if a in uppdrag.antaganden}, (), p,
                  till_och_med=till_och_med)
    return b if malrelaterad is None else med_malrelaterad(b, uppdrag, malrelaterad, spar)


def forfallna_kvartal(ar: int, manad: int) -> tuple[Period, ...]:
    """Antagande A10: kvartalen som förfallit t.o.m. `manad`, de vars sista månad ≤ `manad`."""
    return tuple(q for q in (Period(ar, KVARTAL, n) for n in range(1, 5)) if q.sista_manad <= manad)


def med_malrelaterad(b: Berakning, uppdrag: Uppdrag, andelar: Optional[Mapping[int, Decimal]],
                     spar: Optional[Rakning] = None) -> Berakning:
    """Regelboken §9 och §19: beräkningen med 1177-kvartalen i uttaget (`andelar`, andel besvarade inom 8
    minuter i procent per kvartal) när uppdraget har målrelaterad ersättning för utföraren, annars `b`
    som den är. Antagande A10 hör till beräkningen när ett kvartal förfallit t.o.m. dess sista månad, och
    för en utförare med bara 1177 alltid (A10 är då det enda som bestämmer månadens utbetalning, också
    att inget betalas före det första kvartalets sista månad); §9:s antaganden när ett förfallet kvartal
    har ett resultat i uttaget."""
    m = uppdrag.utforare[b.utforare].malrelaterad_1177
    if m is None:
        return b
    res = berakna_malrelaterad(m, andelar or {}, spar)
    forfallna = {q.nummer for q in forfallna_kvartal(b.ar, b.till_och_med)}
    ider = set(b.antaganden) | ({ANTAGANDE_1177} if forfallna or not b.har_ersattning else set())
    if any(k.kvartal in forfallna for k in res.kvartal):
        ider |= set(res.antaganden)
    return b._replace(malrelaterad=res, antaganden={a: uppdrag.antaganden[a] for a in sorted(ider, key=antagandeordning)
                                                    if a in uppdrag.antaganden})


# --- regelboken §19: månadens utbetalning mot det som betalats, med efterregleringen -------------


class Komponentbetalning(NamedTuple):
    """En komponent (anslag, tillägg per rad, avräkning per post) en månad: rätten hittills t.o.m.
    månaden minus det som betalats för månaderna före. `efterreglering_kr` är den del av beloppet som
    räknar om redan bokförda månader efter ett beslut som gäller bakåt; `namn` är komponentens namn
    för en läsare (samma i alla format)."""

    komponent: str
    ratt_kr: Decimal
    betalt_kr: Decimal
    efterreglering_kr: Decimal = NOLL
    namn: str = ""

    @property
    def belopp_kr(self) -> Decimal:
        return self.ratt_kr - self.betalt_kr

    @property
    def manadens_kr(self) -> Decimal:
        """Beloppet utom efterregleringen: månadens egen rätt och uttagets revisioner."""
        return self.belopp_kr - self.efterreglering_kr

    @property
    def kreditering(self) -> bool:
        return self.belopp_kr < 0


class Manadsbetalning(NamedTuple):
    ar: int
    utforare: str
    namn: str
    manad: int
    komponenter: tuple[Komponentbetalning, ...]
    betalt_ur_journal: bool        # False: "betalt" är rätten månad för månad ur samma utfall
    berakning: Berakning

    def _summa(self, prefix: str, falt: str = "belopp_kr") -> Decimal:
        return sum((getattr(k, falt) for k in self.komponenter if k.komponent == prefix
                    or k.komponent.startswith(prefix + ":")), NOLL)

    # Summan per slag av komponent; None när uppdraget inte har slaget (anslag, tillägg och avräkning
    # för en utförare med bara 1177, 1177 för en utförare utan det), i stället för en 0 som ingen räknat.

    @property
    def anslag_kr(self) -> Optional[Decimal]:
        return self._summa("anslag") if self.berakning.anslag is not None else None

    @property
    def tillagg_kr(self) -> Optional[Decimal]:
        return self._summa("tillagg") if self.berakning.tillagg is not None else None

    @property
    def avrakning_kr(self) -> Optional[Decimal]:
        return self._summa("avrakning") if self.berakning.har_ersattning else None

    @property
    def malrelaterad_kr(self) -> Optional[Decimal]:
        """1177-kvartalen (§9, antagande A10)."""
        return self._summa("malrelaterad") if self.berakning.malrelaterad is not None else None

    @property
    def summa_kr(self) -> Decimal:
        return sum((k.belopp_kr for k in self.komponenter), NOLL)

    @property
    def efterreglering_kr(self) -> Decimal:
        """Summan av komponenternas efterreglering: den del av månadens utbetalning som räknar om
        redan bokförda månader (ett beslut som gäller bakåt)."""
        return sum((k.efterreglering_kr for k in self.komponenter), NOLL)

    def efterreglering_for(self, prefix: str) -> Decimal:
        """Efterregleringen för anslaget, tillägget eller avräkningen (`anslag`, `tillagg`, `avrakning`)."""
        return self._summa(prefix, "efterreglering_kr")

    def belopp_per_komponent(self) -> dict[str, Decimal]:
        return {k.komponent: k.belopp_kr for k in self.komponenter}


def ratt_hittills(b: Berakning, manad: int) -> dict[str, Decimal]:
    """Regelboken §19: rätten hittills t.o.m. `manad` per komponent (0 = före januari): anslaget,
    tillägget per rad (§4, med besluten §18), avräkningens postningar per post (§7) och 1177-kvartalen
    (§9, `malrelaterad:ÅÅÅÅ-QN`) som förfallit t.o.m. månaden och har ett resultat i uttaget (antagande
    A10), i kr, avrundade half up till öre (en utbetalning är hela ören; avräkningens nivå × m/12
    behöver inte vara det). En komponent som uppdraget inte har (anslag och tillägg för en utförare med
    bara 1177) finns inte med, inte ens som 0."""
    ut: dict[str, Decimal] = {}
    if b.anslag is not None:
        ut["anslag"] = sum(b.anslag.manader[:manad], NOLL)
    for r in b.tillagg.rader if b.tillagg is not None else ():
        ut[f"tillagg:{r.id}"] = r.kumulativt_kr[manad - 1] if manad else NOLL
    if b.avrakning is not None:
        for p in b.avrakning.poster:
            ut[f"avrakning:{p.id}"] = sum((tkr_till_kr(t.reglering_tkr) for t in p.tillfallen if t.manad <= manad), NOLL)
    if b.malrelaterad is not None:
        belopp = {k.kvartal: k.belopp_kr for k in b.malrelaterad.kvartal}
        for q in forfallna_kvartal(b.ar, manad):
            if q.nummer in belopp:
                ut[f"malrelaterad:{q}"] = belopp[q.nummer]
    return {k: _ore(v) for k, v in ut.items()}


def komponentnamn(b: Berakning) -> dict[str, str]:
    """Komponenternas namn för en läsare: `Anslag`, `Tillägg somatik, operation/åtgärd: Kardiologi`
    (verksamhet, kategori och rad ur volymtabellen), `Avräkning: Läkemedelsleveranser`,
    `Målrelaterad ersättning 1177: 2026-Q1`."""
    grupper = {g.id: g.namn for g in b.tillagg.grupper} if b.tillagg is not None else {}
    ut = {"anslag": "Anslag"} if b.anslag is not None else {}
    for r in b.tillagg.rader if b.tillagg is not None else ():
        verksamhet, kategori = r.id.split(".")[0], r.id.rsplit(".", 1)[0]
        delar = [grupper[g].lower() for g in (verksamhet, kategori) if g in grupper and g != r.id]
        ut[f"tillagg:{r.id}"] = "Tillägg " + (", ".join(delar) + ": " if delar else "") + r.namn
    if b.avrakning is not None:
        for p in b.avrakning.poster:
            ut[f"avrakning:{p.id}"] = f"Avräkning: {p.namn}"
    if b.malrelaterad is not None:
        for k in b.malrelaterad.kvartal:
            ut[f"malrelaterad:{Period(b.ar, KVARTAL, k.kvartal)}"] = f"Målrelaterad ersättning 1177: {b.ar}-Q{k.kvartal}"
    return ut


def _ore(v: Decimal) -> Decimal:
    """Avrundat half up till öre, skrivet utan överflödiga decimaler (276488917, 250555.5)."""
    d = avrunda(v, 2)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def utbetala(b: Berakning, manad: int, betalt_fore: Optional[Mapping[str, Decimal]] = None,
             tidigare: Optional[Berakning] = None) -> Manadsbetalning:
    """Regelboken §19: månadens utbetalning per komponent = rätten hittills t.o.m. månaden − det som
    betalats för månaderna före (ur journalen; utan journal rätten t.o.m. månaden före ur samma utfall).
    Negativ när en revision sänkt rätten: en kreditering.

    Efterreglering (regelboken §23: ett beslut vars `fran` ligger före en redan bokförd månad gäller
    bakåt): `tidigare` är samma utfall räknat med bara de beslut som fanns när månaderna före bokfördes
    (None: inget beslut är nytt). Per komponent är efterregleringen `rätt hittills(månaden före)` med
    alla beslut minus densamma med de tidigare besluten: den del av beloppet som räknar om bokförda
    månader. Den ingår i beloppet (summan är fortfarande rätt − betalt) och visas som en egen rad,
    aldrig gömd i månadens siffra. Utan journal är det betalda med `tidigare` rätten t.o.m. månaden
    före räknad med de tidigare besluten, så att efterregleringen är en del av beloppet också då."""
    ratt = ratt_hittills(b, manad)
    ur_journal = betalt_fore is not None
    fore = ratt_hittills(b, manad - 1)
    fore_tidigare = ratt_hittills(tidigare, manad - 1) if tidigare is not None else fore
    betalt = dict(betalt_fore) if ur_journal else fore_tidigare
    nycklar = list(ratt) + [k for k in betalt if k not in ratt]
    namn = komponentnamn(b)
    return Manadsbetalning(b.ar, b.utforare, b.namn, manad, tuple(
        Komponentbetalning(k, ratt.get(k, NOLL), betalt.get(k, NOLL), fore.get(k, NOLL) - fore_tidigare.get(k, NOLL),
                           namn.get(k, k))
        for k in nycklar), ur_journal, b)
