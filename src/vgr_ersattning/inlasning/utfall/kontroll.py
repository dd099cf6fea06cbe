"""Utfallet mot uppdraget: det som kräver uppdraget kontrolleras här, med positioner.

- `kontrollera_rad`: en rad i en tabell (CSV eller ett blad i en arbetsbok) – känd utförare med
  volymer, känt rad-id, en månad i uppdragsåret och ett antal.
- `kontrollera_mot_uppdraget`: en YAML- eller JSON-fil – utföraren, året, rad-id och poster med
  avräkning, indikatorerna och deras perioder och sorter, och kvartalen för målrelaterad ersättning.

Ett fel per problem, i `Felsamlare`n; inget läggs in i utfallet här.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from vgr_ersattning.inlasning.fel import Felsamlare, sokvag_text
from vgr_ersattning.inlasning.tal import heltal_ur_text, visa
from vgr_ersattning.inlasning.yamlpos import Positioner
from vgr_ersattning.kalkyl.malrelaterad import andel_procent
from vgr_ersattning.kalkyl.period import (
    AR,
    KVARTAL,
    MANAD,
    TERTIAL,
    Period,
    Periodfel,
    arets_perioder,
    tolka,
)
from vgr_ersattning.kalkyl.period import tolka_manad as _tolka_manad
from vgr_ersattning.modell import Uppdrag

PRODUKTION, AVRAKNING, INDIKATORER, MALRELATERAD = "produktion", "avrakning", "indikatorer", "malrelaterad_1177"
AVSNITT = (PRODUKTION, AVRAKNING, INDIKATORER, MALRELATERAD)

_BESTAMD = {MANAD: "månaden", KVARTAL: "kvartalet", TERTIAL: "tertialet", AR: "året"}
_TILLFALLE = {"manad": "varje månad", "T1": "T1", "T2": "T2 (delår augusti)", "T3": "T3", "ar": "helår"}


def period(text: str, slag: tuple[str, ...], ar: int | None = None) -> Period:
    """`kalkyl.period.tolka`, men en text som är för lång för att vara en period citeras aldrig i
    sin helhet i felet."""
    if len(text) > 20:
        raise Periodfel(f"{visa(text)} är ingen period")
    return tolka(text, slag=slag, ar=ar)


def tolka_manad(text: str, ar: int) -> tuple[int | None, str]:
    """`kalkyl.period.tolka_manad` som (månad, "") eller (None, svenskt meddelande)."""
    try:
        return _tolka_manad(text, ar), ""
    except Periodfel as e:
        return None, str(e)


def kontrollera_rad(rad: list[str], index: tuple[int, int, int, int], antal_fel: bool, slutrad: int,
                    rader, uppdrag: Uppdrag, ar: int, fel: Felsamlare,
                    tolka_antal: Callable[[str], tuple[int | None, str]] = heltal_ur_text,
                    ) -> tuple[str, str, int] | None:
    """Varje fel på raden (utförare, rad-id, månad, antal), i kolumnordning; den giltiga nyckeln
    (utförare, rad-id, månad) eller None. `rader.plats(slutrad, rad, i)` ger platsen för fält `i`
    (`CsvRader`, `xlsx.Bladrader` eller snabbvägens rad)."""
    iu, ir, im, ia = index
    utf, rid, manad_text = rad[iu].strip(), rad[ir].strip(), rad[im].strip()
    problem: list[tuple[int, str, str]] = []
    u = uppdrag.utforare.get(utf)
    if u is None or u.volymer is None:
        med_volymer = [k for k, v in uppdrag.utforare.items() if v.volymer is not None]
        problem.append((iu, "utforare", f"okänd utförare {visa(utf)} (med volymer: {', '.join(med_volymer)})"
                        if u is None else f"utföraren {utf} har ingen volymtabell"))
    elif rid not in u.volymer.rader:
        problem.append((ir, "rad", f"okänt rad-id {visa(rid)} för {utf}"))
    manad = None
    try:
        manad = period(manad_text, (MANAD,), ar).nummer
    except Periodfel as e:
        problem.append((im, "manad", str(e)))
    if antal_fel:
        problem.append((ia, "antal", tolka_antal(rad[ia])[1]))
    for i, sokvag, medd in sorted(problem):
        fel(rader.plats(slutrad, rad, i), sokvag, medd)
    if any(i != ia for i, _, _ in problem):
        return None
    return (utf, rid, manad)  # type: ignore[return-value]


def kontrollera_mot_uppdraget(utf: str | None, ar: int | None, avsnitt: dict[str, dict], uppdrag: Uppdrag,
                              uppdragsar: int, pos: Positioner, fel: Felsamlare, inlagg: list | None) -> None:
    """Andra passet: det som kräver uppdraget, med positioner. Med en lista `inlagg` (strukturen
    höll) läggs varje giltigt värde där som (nyckel, plats, nyckelväg, värde) för
    `Utfall.registrera`. `utf` och `ar` är filens utförare och år (None om de har fel)."""

    def f(vag: tuple, medd: str) -> None:
        fel(pos.plats(vag), sokvag_text(vag), medd)

    def giltig_period(vag: tuple, text: str, slag: tuple[str, ...]) -> Period | None:
        try:
            return period(text, slag)
        except Periodfel as e:
            f(vag, str(e))
            return None

    if utf is not None and utf not in uppdrag.utforare:
        f(("utforare",), f"okänd utförare {visa(utf)} (finns: {', '.join(uppdrag.utforare)})")
        utf = None
    if ar is not None and ar != uppdragsar:
        f(("ar",), f"året {ar} är inte uppdragsåret {uppdragsar}")
        return
    if utf is None or ar is None:
        return
    u = uppdrag.utforare[utf]

    def manad(vag: tuple, text: str) -> int | None:
        p = giltig_period(vag, text, (MANAD,))
        if p is not None and p.ar != ar:
            f(vag, f"månaden {p} ligger utanför uppdragsåret {ar}")
            return None
        return p.nummer if p is not None else None

    # produktion: rad → månad → antal; avrakning: post → månad → tkr. Samma form: ett känt id och
    # en månad i uppdragsåret per värde.
    rader = u.volymer.rader if u.volymer else {}
    poster = u.avrakning.poster if u.avrakning else {}
    finns = f" (finns: {', '.join(poster)})" if poster else f" ({utf} har ingen avräkning)"
    for sektion, kanda, okand in (
            (PRODUKTION, rader, lambda i: f"okänt rad-id {visa(i)} för {utf}" if u.volymer else
             f"utföraren {utf} har ingen volymtabell"),
            (AVRAKNING, poster, lambda i: f"okänd post med avräkning {visa(i)} för {utf}{finns}")):
        for nid, manader in avsnitt[sektion].items():
            if nid not in kanda:
                f((sektion, nid), okand(nid))
                continue
            for mtext, varde in manader.items():
                vag = (sektion, nid, mtext)
                m = manad(vag, mtext)
                if m is not None and inlagg is not None:
                    inlagg.append(((sektion, utf, nid, m), pos.plats(vag), sokvag_text(vag), varde))

    # indikatorer: id → period → värde
    lista = u.indikatorer.lista if u.indikatorer else {}
    if avsnitt[INDIKATORER]:
        # Uppföljningens regel om vilka perioder en indikator följs upp (§10), bara när utfallet har
        # indikatorer: en CSV med produktion läser den aldrig (uppstarten).
        from vgr_ersattning.kalkyl.uppfoljning import ar_aktuell
    for iid, perioder in avsnitt[INDIKATORER].items():
        vag = (INDIKATORER, iid)
        ind = lista.get(iid)
        if ind is None:
            f(vag, f"okänd indikator {visa(iid)} för {utf}")
            continue
        if ind.berakning:
            f(vag, "indikatorn räknas fram ur produktionen och skrivs inte in")
            continue
        rapporteras = [p for p in arets_perioder(ar, (MANAD, TERTIAL, AR)) if ar_aktuell(ind, p)]
        # Perioden före en rapporterad period får anges som jämförelse för ska_oka och ska_minska
        # (månaden, tertialet eller året före; för årets första period ligger den året före).
        jamforelse = {p.foregaende() for p in rapporteras} if ind.typ in ("ska_oka", "ska_minska") else set()
        aret_fore = ", ".join(str(x) for x in sorted(jamforelse, key=lambda x: x.ordning) if x.ar != ar)
        tillfallen = ", ".join(_TILLFALLE.get(t, t) if t != "manad" or ind.manader is None
                               else "månaderna " + ", ".join(f"{m:02d}" for m in ind.manader) for t in ind.tillfallen)
        for ptext, varde in perioder.items():
            v2 = vag + (ptext,)
            p = giltig_period(v2, ptext, (MANAD, TERTIAL, AR))
            if p is None:
                continue
            if p not in rapporteras and p not in jamforelse:
                if p.ar != ar:
                    extra = f"; året före får bara anges som jämförelse ({aret_fore})" if aret_fore else ""
                    f(v2, f"{_BESTAMD[p.slag]} {p} ligger utanför uppdragsåret {ar}{extra}")
                else:
                    f(v2, f"{iid} följs inte upp för {_BESTAMD[p.slag]} {p} (uppföljning: {tillfallen})")
                continue
            # Värdets sort mot indikatorns typ (också när strukturen har fel: ett värde som är
            # None eller av fel slag har redan fått sitt fel).
            if isinstance(varde, str) or (isinstance(varde, (int, Decimal)) and not isinstance(varde, bool)):
                if ind.typ == "ja_nej" and varde not in ("Ja", "Nej"):
                    f(v2, f"{visa(varde)} ska vara Ja eller Nej")
                    continue
                if ind.typ not in ("ja_nej", "information") and isinstance(varde, str):
                    f(v2, f"{visa(varde)} är inte ett tal")
                    continue
            if inlagg is not None:
                inlagg.append(((INDIKATORER, utf, iid, str(p)), pos.plats(v2), sokvag_text(v2), varde))

    # malrelaterad_1177: ÅÅÅÅ-Qn → {besvarade_inom_8_min, samtal} eller {andel_procent}
    mal = avsnitt[MALRELATERAD]
    if mal and u.malrelaterad_1177 is None:
        f((MALRELATERAD,), f"{utf} har ingen målrelaterad ersättning för 1177")
        return
    for ktext, v in mal.items():
        vag = (MALRELATERAD, ktext)
        p = giltig_period(vag, ktext, (KVARTAL,))
        if p is None:
            continue
        if p.ar != ar:
            f(vag, f"kvartalet {p} ligger utanför uppdragsåret {ar}")
            continue
        if inlagg is not None:
            andel = v.andel_procent if v.andel_procent is not None else andel_procent(v.besvarade_inom_8_min,
                                                                                      v.samtal)
            inlagg.append(((MALRELATERAD, utf, None, p.nummer), pos.plats(vag), sokvag_text(vag), andel))
