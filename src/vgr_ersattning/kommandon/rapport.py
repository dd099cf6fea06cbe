"""rapport: månadens rapport till nämnden (regelboken §25) – det en controller tar till nämnden för en
utförare och en månad, samlat i en rapport:

- månadens utbetalning per komponent och året hittills (`utbetala`: med journalen det bokförda och
  kvittensen, med besluten efterregleringen);
- produktionen mot planen per rad, för månaden och hittills i år (§5);
- prognosen för året med dess tre listor (§16);
- avräkningen när månaden är en avräkningsmånad (§7);
- indikatorerna som ska rapporteras i månaden, med status när utfallet har dem (§10);
- besluten som gäller (§18) och källorna och antagandena;
- och för varje siffra som kan förklaras dess förklaring (§15, `forklara`).

Allt räknas av de andra kommandonas byggsteg; här samlas bara deras resultat.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, NamedTuple, Optional

from vgr_ersattning.inlasning.fel import Anvandningsfel
from vgr_ersattning.kalkyl.period import Period
from vgr_ersattning.kalkyl.uppfoljning import arets_tillfallen
from vgr_ersattning.kommandon.berakning import berakna, prognos
from vgr_ersattning.kommandon.forklara import forklara
from vgr_ersattning.kommandon.gemensamt import Korning, Sammanhang, antaganden
from vgr_ersattning.kommandon.kontroll import uppfoljning
from vgr_ersattning.kommandon.utbetalning import bygg_utbetala

NOLL = Decimal(0)


class Produktionsrad(NamedTuple):
    """En rads produktion mot planen: månaden och hittills i år (§5)."""

    id: str
    namn: str
    bas: int
    tillagg: int
    plan_manad: Decimal
    utfall_manad: int
    plan_hittills: Decimal
    utfall_hittills: int

    @property
    def maluppfyllelse(self) -> Optional[Decimal]:
        """Utfall hittills / plan hittills (1 = 100 %); None när planen hittills är 0."""
        return Decimal(self.utfall_hittills) / self.plan_hittills if self.plan_hittills else None


class Uppfoljningstillfalle(NamedTuple):
    """Ett uppföljningstillfälle som slutar i månaden (månaden, tertialet, året) och dess bedömningar."""

    period: Period
    bedomningar: list


class Manadsrapport(NamedTuple):
    ar: int
    manad: int
    utforare: str
    namn: str
    utbetalning: Any                   # kommandon.rapporter.Utbetalningsrapport (som `utbetala`)
    produktion: tuple                  # Produktionsrad per volymrad
    grupper: Mapping                   # gruppernas namn ur volymtabellen
    prognos: Any                       # kommandon.rapporter.Prognosrapport (som `prognos`)
    avrakningsmanad: bool              # månaden är en av avräkningens månader (§7)
    uppfoljning: tuple                 # Uppfoljningstillfalle per tillfälle som slutar i månaden
    forklaringar: Mapping              # figur → förklaringsträd (som `forklara`)
    antaganden: Mapping                # id → text och källa, alla som rapportens siffror bygger på
    indata: tuple                      # utfallsfilerna, beslutsfilerna och journalen, som de gavs

    @property
    def berakning(self):
        """Beräkningen t.o.m. månaden med besluten (`berakna`), som utbetalningen bygger på."""
        return self.utbetalning.resultat.berakning

    @property
    def ar_hittills(self) -> tuple[tuple[str, str, Decimal, Decimal, Decimal], ...]:
        """(id, namn, betalt före månaden, månadens belopp, hittills i år) för anslaget, tillägget,
        avräkningen, 1177-kvartalen (när utbetalningen har dem) och summan: månadens utbetalning och året
        hittills."""
        komponenter = self.utbetalning.resultat.komponenter
        slag = [("anslag", "Anslag"), ("tillagg", "Tillägg"), ("avrakning", "Avräkning")]
        if any(k.komponent.startswith("malrelaterad:") for k in komponenter):
            slag.append(("malrelaterad", "Målrelaterad ersättning 1177"))
        ut = []
        for prefix, namn in slag:
            delar = [k for k in komponenter if k.komponent == prefix or k.komponent.startswith(prefix + ":")]
            betalt = sum((k.betalt_kr for k in delar), NOLL)
            belopp = sum((k.belopp_kr for k in delar), NOLL)
            ut.append((prefix, namn, betalt, belopp, betalt + belopp))
        ut.append(("summa", "Totalt", *(sum((x[i] for x in ut), NOLL) for i in (2, 3, 4))))
        return tuple(ut)

    def kategorinamn(self, kategori: str) -> str:
        """`Somatik, operation/åtgärd`: verksamhetens och kategorins namn ur volymtabellen."""
        verksamhet = kategori.split(".")[0]
        namn = self.grupper.get(kategori, kategori)
        return f"{self.grupper.get(verksamhet, verksamhet)}, {namn[:1].lower()}{namn[1:]}" if verksamhet != kategori else namn

    @property
    def kategorier(self) -> tuple[tuple[str, str, Decimal, int, Decimal, int], ...]:
        """(id, namn, plan för månaden, utfall för månaden, plan hittills, utfall hittills) per kategori
        i volymtabellen (`somatik.operation`)."""
        ut: dict[str, list] = {}
        for r in self.produktion:
            k = r.id.rsplit(".", 1)[0]
            rad = ut.setdefault(k, [k, self.kategorinamn(k), NOLL, 0, NOLL, 0])
            rad[2] += r.plan_manad
            rad[3] += r.utfall_manad
            rad[4] += r.plan_hittills
            rad[5] += r.utfall_hittills
        return tuple(tuple(x) for x in ut.values())


def bygg_rapport(s: Sammanhang) -> Korning:
    data, utfall = s.underlag, s.utfall
    if utfall is None:
        raise Anvandningsfel("rapport kräver --utfall FIL")
    manad_text = s.argument["manad"]
    # Månadens utbetalning som `utbetala` räknar den (journalens kontroller, efterregleringen och
    # kvittensen), utan bokföring.
    ku = bygg_utbetala(Sammanhang(s.val, {"manad": manad_text, "bokfor": False}, data, utfall, s.beslut,
                                  s.las_utfall, s.las_beslut))
    u = ku.resultat
    b = u.resultat.berakning
    uid, ar, m = b.utforare, b.ar, u.resultat.manad
    utf = data.utforare(uid)
    kp = prognos(data, uid, utfall, manad_text, s.beslut)
    tillfallen = _uppfoljning(data, uid, utfall, m, s.beslut)
    figurer = _figurer(b, kp.resultat.resultat, tillfallen, m)
    forklaringar, ider = {}, set(u.antaganden) | set(kp.resultat.antaganden)
    for figur, period in figurer:
        try:
            fk = forklara(data, figur, uid, utfall, manad_text, period, s.beslut)
        except Anvandningsfel:
            continue
        forklaringar[figur if period is None else f"{figur}@{period}"] = fk.resultat.nod
        ider |= set(fk.resultat.antaganden)
    avr = utf.avrakning
    indata = tuple(str(f) for f in (*s.val.utfall, *s.val.beslut)) + ((str(s.val.journal),) if s.val.journal else ())
    r = Manadsrapport(ar, m, uid, b.namn, u, _produktion(data, b, utfall, uid, m, s.beslut), utf.volymer.grupper,
                      kp.resultat, avr is not None and m in avr.manader, tillfallen, forklaringar,
                      antaganden(data, ider), indata)
    return Korning(r, data, utfall, ku.varningar, s.beslut)


def _produktion(data, b, utfall, uid: str, m: int, beslut) -> tuple[Produktionsrad, ...]:
    """Varje rads plan och utfall för månaden och hittills i år; planen före månaden ur samma beräkning
    t.o.m. månaden före (med besluten)."""
    fore = {}
    if m > 1:
        fore = {r.id: r.plan for r in berakna(data, uid, utfall, f"{b.ar}-{m - 1:02d}", beslut).resultat.tillagg.rader}
    produktion = utfall.produktion.get(uid, {})
    return tuple(Produktionsrad(r.id, r.namn, r.bas, r.tillagg, r.plan - fore.get(r.id, NOLL),
                                (produktion.get(r.id) or [0] * 12)[m - 1], r.plan, r.utfall)
                 for r in b.tillagg.rader)


def _uppfoljning(data, uid: str, utfall, m: int, beslut) -> tuple[Uppfoljningstillfalle, ...]:
    """Regelboken §10: indikatorerna vid varje tillfälle som slutar i månaden, med status."""
    u = data.utforare(uid)
    if u.indikatorer is None:
        return ()
    ut = []
    for p in arets_tillfallen(data.ar):
        if p.sista_manad != m:
            continue
        bedomningar = uppfoljning(data, uid, utfall, str(p), beslut).resultat.bedomningar
        if bedomningar:
            ut.append(Uppfoljningstillfalle(p, bedomningar))
    return tuple(ut)


def _figurer(b, p, tillfallen, m: int) -> list[tuple[str, Optional[str]]]:
    """Siffrorna i rapporten som förklaras: månadens utbetalning, anslaget och tillägget hittills,
    varje rad med tillägg hittills, varje rad med tillägg i prognosen, avräkningen i månaden och
    indikatorerna med utfall."""
    ar = b.ar
    figurer: list[tuple[str, Optional[str]]] = [(f"utbetalning.{ar}-{m:02d}", None), ("anslag", None),
                                                (f"anslag.{ar}-{m:02d}", None), ("tillagg", None)]
    figurer += [(r.id, None) for r in b.tillagg.rader if r.belopp_kr]
    figurer += [(f"prognos.{x.id}", None) for x in p.rader if x.belopp_kr]
    if b.avrakning is not None:
        figurer += [(f"avrakning.{post.id}.{ar}-{m:02d}", None) for post in b.avrakning.poster
                    if any(t.manad == m for t in post.tillfallen)]
    figurer += [(x.id, str(t.period)) for t in tillfallen for x in t.bedomningar if x.utfall is not None]
    return figurer
