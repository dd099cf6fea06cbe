"""Regelboken (docs/regler.md) är sann mot dokumenten och mot datan: varje antagande i datafilen har
ett avsnitt i regelboken och tvärtom, inledningens intervall (§1–§N, A1–An) stämmer med rubrikerna,
varje läsning som dokumenten inte skriver ut är märkt som ett antagande med dokumentets egna ord
bredvid, och regelboken nämner inget av teamets interna underlag."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROT = Path(__file__).resolve().parents[1]
REGELBOKEN = ROT / "docs" / "regler.md"
UPPDRAG = ROT / "data" / "uppdrag_2026.yaml"

pytestmark = pytest.mark.skipif(not REGELBOKEN.exists(), reason=f"{REGELBOKEN} finns inte (kopia utan docs/)")

TEXT = REGELBOKEN.read_text(encoding="utf-8") if REGELBOKEN.exists() else ""

# Läsningar som dokumenten inte skriver ut: (antagande, kapitlet där regeln står, ord som ska stå i
# antagandets avsnitt).
LASNINGAR = [
    ("A3", "§9", "25 %"),                          # under trappans lägsta steg betalas inget
    ("A4", "§9", "avtalsperioden"),                # 2,70 mnkr "Under avtalsperioden" läst som per år
    ("A8", "§8", "slutet av förra året"),          # bryggan börjar från ramen i slutet av året före
    ("A9", "§10", "september"),                    # ST-A:s lägesrapport september–november
    ("A10", "§9", "kvartalets sista månad"),       # 1177-kvartalet: när det betalas
    ("A11", "§5", "tolftedel"),                    # planen en tolftedel i månaden
    ("A11", "§5", "hittills i år"),                # måluppfyllelsen på året hittills, över alla rader
    ("A12", "§6", "december"),                     # tolv lika stora belopp, december tar resten
    ("A13", "§7", "tolftedel"),                    # avräkningsposterna en tolftedel i månaden
    ("A14", "§9", "74,99"),                        # 74,99 % i 95 %-steget
    ("A15", "§10", "föregående period"),           # ska_oka/ska_minska mot föregående period
    ("A16", "§11", "netto"),                       # delegationsgränsen: nettot vid full leverans, per beslut
    ("A16", "§11", "beslut i nämnden"),            # en ändring över gränsen kräver nämnden (står inte utskrivet)
    ("A17", "§18", "återstående månader"),         # en ändrad ram fördelas på återstående månader
]


def _norm(text: str) -> str:
    """Texten med radbrytningar och blanksteg som ett blanksteg (stycken är radbrutna)."""
    return re.sub(r"\s+", " ", text)


def _antaganden_i_datan() -> dict:
    return yaml.safe_load(UPPDRAG.read_text(encoding="utf-8"))["antaganden"]


def _inledningen() -> str:
    return TEXT[: TEXT.index("\n## ")]


def _kapitel(nummer: str) -> str:
    """Kapitlet `## §N …` till nästa `## `-rubrik."""
    m = re.search(rf"^## {re.escape(nummer)} .*?(?=^## )", TEXT, re.MULTILINE | re.DOTALL)
    assert m, f"regelboken saknar kapitlet {nummer}"
    return m.group(0)


def _antagande(aid: str) -> str:
    """Antagandets avsnitt `### An …` till nästa rubrik."""
    m = re.search(rf"^### {aid} .*?(?=^#{{2,3}} |\Z)", TEXT, re.MULTILINE | re.DOTALL)
    assert m, f"regelboken saknar avsnittet ### {aid}"
    return m.group(0)


def _antagandelinje(kapitel: str) -> str:
    m = re.search(r"^\*\*Antaganden\.\*\*(.*?)(?=\n\n)", kapitel, re.MULTILINE | re.DOTALL)
    assert m, kapitel.splitlines()[0] + " har ingen rad **Antaganden.**"
    return m.group(1)


def test_varje_antagande_i_datan_har_ett_avsnitt_och_tvartom():
    i_datan = set(_antaganden_i_datan())
    rubriker = re.findall(r"^### (A\d+) ", TEXT, re.MULTILINE)
    assert len(rubriker) == len(set(rubriker)), "ett antagande har två avsnitt"
    assert set(rubriker) == i_datan, (sorted(i_datan - set(rubriker)), sorted(set(rubriker) - i_datan))
    # I nummerordning, utan luckor.
    assert [int(a[1:]) for a in rubriker] == list(range(1, len(rubriker) + 1))


def test_regelboken_namner_inga_kallfiler_och_inte_teamets_regelbok():
    assert "REGLER" not in TEXT
    assert not re.search(r"\d{3}_[0-9a-f]{16}", TEXT), "regelboken nämner en källfil"
    assert not re.search(r"\.txt\b", TEXT)
    assert not re.search(r"\.\./|\bshared\b|\bseeds?\b", TEXT, re.IGNORECASE)


def test_inledningens_intervall_stammer_med_rubrikerna():
    inledning = _inledningen()
    kapitel = [int(n) for n in re.findall(r"^## §(\d+) ", TEXT, re.MULTILINE)]
    antaganden = [int(n) for n in re.findall(r"^### A(\d+) ", TEXT, re.MULTILINE)]
    assert kapitel == list(range(1, len(kapitel) + 1))
    paragrafer = re.search(r"§1–§(\d+)", inledning)
    ider = re.search(r"\(A1–A(\d+)\)", inledning)
    assert paragrafer and int(paragrafer.group(1)) == kapitel[-1], inledning
    assert ider and int(ider.group(1)) == antaganden[-1], inledning
    # Förklaringskapitlet hänvisar till samma intervall.
    assert f"(§1–§{kapitel[-1]})" in _kapitel("§15")


@pytest.mark.parametrize("aid,kapitel,ord_", LASNINGAR, ids=[f"{x[0]}-{x[2]}" for x in LASNINGAR])
def test_lasningen_ar_markt_som_antagande(aid, kapitel, ord_):
    avsnitt = _antagande(aid)
    assert ord_ in _norm(avsnitt), f"{aid}: {ord_!r} står inte i avsnittet"
    # Avsnittet har regelbokens delar, och dokumentets egna ord står citerade bredvid.
    for del_ in ("**Antagande.**", "**Dokumentets ord.**", "**Varför.**", "**Var det verkar.**"):
        assert del_ in avsnitt, f"{aid} saknar {del_}"
    ord_stycke = avsnitt.split("**Dokumentets ord.**", 1)[1].split("\n\n", 1)[0]
    assert re.search(r'"[^"]{8,}"', ord_stycke), f"{aid}: dokumentets ord är inte citerade"
    assert kapitel in avsnitt.split("**Var det verkar.**", 1)[1], f"{aid} säger inte att det verkar i {kapitel}"
    # Kapitlet märker läsningen i regeln och listar antagandet.
    k = _kapitel(kapitel)
    assert re.search(rf"\bantagande {aid}\b", k), f"{kapitel} märker inte läsningen som antagande {aid}"
    assert re.search(rf"\b{aid}\b", _antagandelinje(k)), f"{kapitel}: **Antaganden.** nämner inte {aid}"


def test_varje_antagande_har_dokumentets_ord():
    for aid in _antaganden_i_datan():
        avsnitt = _antagande(aid)
        assert "**Dokumentets ord.**" in avsnitt and "**Var det verkar.**" in avsnitt, aid


def test_datans_kalla_pekar_pa_ett_kapitel_som_listar_antagandet():
    for aid, a in _antaganden_i_datan().items():
        m = re.match(r"Regelboken \(docs/regler\.md\), (§\d+) ", a["kalla"])
        assert m, a["kalla"]
        assert re.search(rf"\b{aid}\b", _antagandelinje(_kapitel(m.group(1)))), (aid, m.group(1))


def test_de_kanda_felen_ar_borta():
    # Uppföljningstabellen har Månadsvis, Delår augusti och Helår; april är en avräkningsmånad.
    assert "delårsrapporterna i april" not in _norm(TEXT)
    prognos = _kapitel("§16")
    assert "April är alltså en avräkningsmånad" in _norm(prognos)
    # Citatet om justering under innevarande år står under Finansiering av regiongemensamma uppdrag 2026.
    beslut = _kapitel("§18")
    assert "både basvolymerna som tilläggsvolymerna kan komma" not in _norm(TEXT)
    assert "Finansiering av regiongemensamma uppdrag 2026: \"För både besök och behandling kan såväl" in _norm(beslut)
    # A6: dokumenten säger att priserna beslutas årligen; A6 säger vad som gäller om ett beslut ändå ändrar ett.
    a6 = _antagande("A6")
    assert "beslutas årligen" in _norm(a6) and "ändå" in a6
    assert "priser kan ändras under året" not in _norm(TEXT)
    # ST-A:s lägesrapport följer A9, inte varje månad.
    uppfoljning = _kapitel("§10")
    assert "`st_a_lagesrapport`" in uppfoljning and "antagande A9" in uppfoljning
    assert "`st_a_lagesrapport`, månadsvis" not in _norm(uppfoljning)
    # A4: den andra läsningen (hela avtalsperioden) och vad den skulle ändra.
    a4 = _antagande("A4")
    assert all(t in _norm(a4) for t in ("225 000 kr", "675 000 kr", "kvartal_per_belopp: 12"))


def test_de_nya_kapitlen_for_journalen_forhandsvisningen_och_besluten():
    kedja = _norm(_kapitel("§21"))
    for text in ("SHA-256", "kvittens", "`kontrollera --journal J --kvittens H`", "ersattning uppgradera-journal",
                 "`manad:`", "`summa:`", "tre första rader"):
        assert text in kedja, text
    forhand = _norm(_kapitel("§22"))
    assert "slutkoden är 1" in forhand and "`\"bokford\": true`" in forhand and "differens" in forhand
    beslut = _norm(_kapitel("§23"))
    for text in ("fil:rad:kolumn", "slutkoden är 2", "efterreglering", "SHA-256", "större än noll", "två gånger"):
        assert text in beslut, text


def test_varje_kapitel_har_inledningens_delar():
    # Inledningen lovar att varje avsnitt har regel, formel, exempel, antaganden och grund (§24 och §25
    # hade i stället "Dokumentets ord" med en omskrivning utan citat).
    for nummer in re.findall(r"^## (§\d+) ", TEXT, re.MULTILINE):
        kapitel = _kapitel(nummer)
        for del_ in ("**Regel.**", "**Formel.**", "**Exempel.**", "**Antaganden.**", "**Grund.**"):
            assert del_ in kapitel, f"{nummer} saknar {del_}"
        assert "**Dokumentets ord.**" not in kapitel, f"{nummer}: dokumentets ord hör till antagandena"


# Dokumentens avsnitt som regelboken citerar, och för några citat det avsnitt där de står: Uppdrag
# 2026 SV har "För både besök och behandling kan såväl basvolymerna som tilläggsvolymerna komma att
# justeras under innevarande år" under Finansiering av regiongemensamma uppdrag 2026 (inte under
# Produktionsvolymerna egen regi, som §18 förr angav), delegationen "upp till 3 miljoner kronor"
# under Produktionsvolymerna egen regi, "Anslaget betalas ut månatligen" och "Avräkning sker per
# april, augusti och december" under Principer för ersättning till utföraren, "uppdateras
# ersättningsramen under året" under Ersättning; Uppdrag 2025–2027 SV har "… inför nästkommande år"
# under Uppdragets omfattning och giltighetstid; Uppdrag 2025–2027 RH har "… i mars och september"
# under Förändringar under giltighetstiden.
AVSNITTEN = ("Produktionsvolymerna egen regi", "Finansiering av regiongemensamma uppdrag 2026", "Ersättning",
             "Principer för ersättning till utföraren", "Förändringar jämfört med föregående uppdrag",
             "Uppföljning", "Uppdragets omfattning och giltighetstid", "Förändringar under giltighetstiden",
             "Målrelaterad ersättning 1177")
CITATENS_AVSNITT = {
    "komma att justeras under innevarande år": "Finansiering av regiongemensamma uppdrag 2026",
    "Tillägg för besök, exklusive koloskopier": "Finansiering av regiongemensamma uppdrag 2026",
    "löpande uppdatering på delegation upp till 3": "Produktionsvolymerna egen regi",
    "Planerade och genomförda produktionsvolymerna": "Produktionsvolymerna egen regi",
    "Anslaget betalas ut månatligen": "Principer för ersättning till utföraren",
    "Avräkning sker per april, augusti och december": "Principer för ersättning till utföraren",
    "Ersättningen utgår per utförd prestation": "Principer för ersättning till utföraren",
    "uppdateras ersättningsramen under året": "Ersättning",
    "Måluppfyllelse, utförda volymer i förhållande till plan": "Uppföljning",
    "inför nästkommande år": "Uppdragets omfattning och giltighetstid",
    "huvudsakligen genomförs i mars och september": "Förändringar under giltighetstiden",
}


def _citerade_avsnitt(text: str) -> list[tuple[str, str]]:
    """(citat, avsnitt) för varje förekomst av ett citat i CITATENS_AVSNITT i ett stycke som namnger
    avsnitt. Avsnittet är det som står i en parentes direkt efter citatet ("…" (Uppdrag …, AVSNITT)),
    annars det som senast namngetts före citatet (avsnitt AVSNITT: "…"). Namn inne i citat räknas inte."""
    ut = []
    for stycke in re.split(r"\n\s*\n", text):
        s = _norm(stycke)
        citat = [(m.start(), m.end()) for m in re.finditer(r'"[^"]*"', s)]
        maskad = re.sub(r'"[^"]*"', lambda m: '"' + "x" * (len(m.group(0)) - 2) + '"', s)
        namn = sorted({(k.start(), a) for a in AVSNITTEN
                       for k in re.finditer(rf"(?<![\wåäö]){re.escape(a)}(?![\wåäö])", maskad)})
        # "Ersättning" inne i "Principer för ersättning …" är inte ett eget avsnitt.
        namn = [(b, a) for b, a in namn if not any(b2 <= b and b + len(a) <= b2 + len(a2) and a2 != a for b2, a2 in namn)]
        if not namn:
            continue
        for c in CITATENS_AVSNITT:
            for m in re.finditer(re.escape(c), s):
                slut = next(e for b, e in citat if b <= m.start() < e)
                inne = []
                if p := re.match(r"[.,]? ?\(", s[slut:]):
                    nasta = min([b for b, _ in citat if b > slut] + [len(s)])
                    stang = max([i for i in range(slut + p.end(), nasta) if s[i] == ")"] + [slut])
                    inne = [a for b, a in namn if slut < b < stang]
                fore = [a for b, a in namn if b < m.start()]
                ut.append((c, inne[0] if inne else (fore[-1] if fore else "")))
    return ut


def test_citaten_star_under_det_avsnitt_dokumentet_har_dem():
    hittade = _citerade_avsnitt(TEXT)
    assert {c for c, _ in hittade} == set(CITATENS_AVSNITT), "ett citat saknas i regelboken"
    fel = [(c, a) for c, a in hittade if a and a != CITATENS_AVSNITT[c]]
    assert not fel, fel


def test_citatkontrollen_hittar_det_gamla_felet_i_18():
    # §18:s grund citerade justeringen under innevarande år under Produktionsvolymerna egen regi.
    fel = TEXT.replace("§ 293), avsnitt Finansiering av regiongemensamma uppdrag\n2026: \"För både",
                       "§ 293), avsnitt Produktionsvolymerna egen regi: \"För både", 1)
    assert fel != TEXT
    assert ("komma att justeras under innevarande år", "Produktionsvolymerna egen regi") in _citerade_avsnitt(fel)


def test_verktygets_lasningar_presenteras_inte_som_dokumentens():
    # Psykiatrins kategorirader: dokumentet trycker "0 0"; att de är rubriker är verktygets läsning.
    for kapitel in ("§3", "§14"):
        k = _norm(_kapitel(kapitel))
        assert "Verktyget läser" in k and "rubriker" in k, kapitel
    assert "och är rubriker, inte summor som är 0" not in _norm(TEXT)
    # "Delår augusti" som T2 är verktygets läsning.
    assert 'verktyget räknar "Delår augusti" som T2' in _norm(_kapitel("§10"))
    # Anslaget: dokumentet säger "i huvudsak", inte "i sin helhet".
    anslag = _norm(_kapitel("§6"))
    assert '"i huvudsak som ett årligt anslag' in anslag and "i sin helhet fast" not in anslag
    # Att uttagen revideras och att ett beslut kan gälla bakåt står inte i dokumenten.
    assert "uttagen revideras månadsvis" not in _norm(TEXT)
    assert "står inte i dokumenten" in _norm(_kapitel("§17"))
    efterreglering = _norm(_kapitel("§23"))
    assert "följer av att" not in efterreglering and "verktygets regel" in efterreglering
    # En ändring över delegationsgränsen kräver nämnden: verktygets läsning (A16), också i §18.
    assert "antagande A16" in _kapitel("§11") and "A16" in _kapitel("§18").split("\n\n")[1]
    # Andra styrelser: samma regler är verktygets läsning, och tabellen Priser 2026 ger inga tilläggspriser.
    ar = _norm(_kapitel("§24"))
    assert "verktygets läsning" in ar and "ingår inte i tilläggsersättningen" in ar and "Priser-tabellen" not in ar


def test_datans_antaganden_har_dokumentets_ord_som_regelboken():
    """Hjälpen och noterna under tabellerna visar antagandets text ur datan: varje text har dokumentets
    egna ord, och samma ord står i regelbokens avsnitt om antagandet."""
    for aid, a in _antaganden_i_datan().items():
        assert "Dokumentets ord: " in a["text"], aid
        ord_ = a["text"].split("Dokumentets ord: ", 1)[1]
        citat = re.findall(r'"([^"]{4,})"', ord_)
        assert citat, f"{aid}: inga citat"
        avsnitt = _norm(_antagande(aid).split("**Dokumentets ord.**", 1)[1].split("**Varför.**", 1)[0])
        for c in citat:
            assert c in avsnitt, (aid, c)


def test_hjalpen_visar_dokumentets_ord(kor):
    hjalp = _norm(kor("berakna", "--help").ut)
    assert 'A12: Anslaget betalas i tolv månadsbelopp' in hjalp
    assert 'Dokumentets ord: "Anslaget betalas ut månatligen".' in hjalp


# --- hänvisningarna till regelboken pekar på rätt avsnitt ---------------------------------------------
# Regelboken numrerar avsnitten på sitt eget sätt (§15 forklara, §16 prognos, §17 jämförelse, §18
# beslut, §19 utbetalning, …); en hänvisning med ett annat dokuments nummer leder en läsare fel. Varje
# hänvisning i koden, datan och README:n prövas mot ämnesorden i satsen den står i: en sats om
# prognosen får inte hänvisa bara till §17. Dokumentens egna paragrafer ("§ 293", med blanksteg) är
# inte regelbokens avsnitt.

RUBRIKER = {int(n): t.strip() for n, t in re.findall(r"^## §(\d+) (.+)$", TEXT, re.MULTILINE)}

# Ämnesord (början av ord, skiftläge spelar ingen roll) och de avsnitt en sats med ordet handlar om.
# En grupp hänvisningar är rätt när den har ett avsnitt som något av satsens ämnesord hör till.
AMNEN = {
    r"prognos": {16},
    r"jämförelse|jamfor\b|två uttag|revision": {17, 19},
    r"beslut|som\s+gäll": {11, 18, 23, 24},
    r"efterreglering": {23},
    r"utbetal|rätten hittills|komponent": {4, 6, 7, 9, 19, 21, 22, 23},
    r"förklaring|forklara|träd ned till": {15},
    r"journal|kedja|kvittens": {19, 21, 22},
    r"avräkn|avrakning": {7},
    r"brygg": {8, 24},
    r"uppfölj|uppfoljning|indikator|målvärde": {10},
    r"anslag": {6},
    r"tilläggsersättning|tillägget": {4},
    r"måluppfyllelse|mot planen": {5},
    r"planen": {5, 16},
    r"1177|målrelaterad": {9, 19},
    r"delegation|scenari": {11, 18},
    r"excel|xlsx|arbetsbok|dialekt": {20},
    r"json": {13},
    r"utkast|utförare och år|nytt år": {24},
    r"slutkod": {12},
    r"kända fel": {14},
    r"rapport till nämnden|månadens rapport|html": {25},
}
_AMNESORD = [(re.compile(rf"(?<![\wåäö])(?:{m})", re.IGNORECASE), a) for m, a in AMNEN.items()]
# En grupp hänvisningar: §N, §N–§M, "§N, §M", "§N och §M" (utan blanksteg efter §).
_GRUPP = re.compile(r"§\d+(?:\s*[–-]\s*§\d+)?(?:(?:,\s*|\s+och\s+)§\d+(?:\s*[–-]\s*§\d+)?)*")
_GRANS = re.compile(r"[(),:;\"]|\. |\n\s*\n| – |\s#\s")


def _avsnitten_i(grupp: str) -> set[int]:
    ut: set[int] = set()
    for a, b in re.findall(r"§(\d+)(?:\s*[–-]\s*§(\d+))?", grupp):
        ut |= set(range(int(a), int(b or a) + 1))
    return ut


def _satserna(text: str, start: int, slut: int) -> list[str]:
    """Satserna som en grupp hänvisningar kan höra till, i den ordning de prövas. Står gruppen i en
    parentes: parentesens text före gruppen ("(§4, med besluten §18)") och satsen före parentesen
    ("prognosen för året (§16)", "Beslut under året (YAML, regelboken §18)"). Inleder gruppen sitt
    ämne ("Regelboken §19: månadens utbetalning …", "Regelboken §17 – jämförelse …"): satsen efter.
    En sats går tillbaka (eller fram) till närmaste gräns: parentes, komma, kolon, semikolon,
    citattecken, meningsslut, tankstreck. En hänvisning mitt i en sats ("värderas med §4") prövas inte."""
    ut = []
    fore = text[:start]
    oppen, stangd = fore.rfind("("), fore.rfind(")")
    if oppen > stangd and start - oppen < 60:
        ut.append(_GRUPP.sub(" ", fore[oppen + 1:]))
        ut.append(_GRANS.split(fore[:oppen])[-1][-120:])
    if m := re.match(r"\s*(?::| –)\s*", text[slut:]):
        ut.append(_GRANS.split(text[slut + m.end():])[0][:120])
    return ut


def felaktiga_hanvisningar(text: str) -> list[tuple[str, set[int], list[str]]]:
    """(sats, hänvisade avsnitt, satsens ämnesord) för varje grupp hänvisningar där ingen av de
    hänvisade avsnitten hör till något av ämnesorden i den första av gruppens satser som har ett, och
    för varje hänvisning till ett avsnitt som inte finns."""
    fel = []
    text = re.sub(r'"\s*\n\s*[fr]?"', "", text)      # strängar i följd i Python är en sträng
    for m in _GRUPP.finditer(text):
        avsnitt = _avsnitten_i(m.group(0))
        if not avsnitt <= set(RUBRIKER):
            fel.append((m.group(0), avsnitt, ["finns inte"]))
            continue
        for sats in _satserna(text, m.start(), m.end()):
            traffar = [(t.group(0), a) for t, a in ((o.search(sats), a) for o, a in _AMNESORD) if t]
            if traffar:
                if not avsnitt & set().union(*(a for _, a in traffar)):
                    fel.append((sats.strip(), avsnitt, [o for o, _ in traffar]))
                break
    return fel


def _filer_med_hanvisningar() -> list[Path]:
    filer = sorted((ROT / "src").rglob("*.py")) + sorted((ROT / "data").glob("*.yaml"))
    return filer + [f for f in (ROT / "README.md", ROT / "docs" / "json.md") if f.exists()]


def test_varje_hanvisning_till_regelboken_har_avsnittets_amne():
    assert len(RUBRIKER) == 25 and RUBRIKER[15].startswith("Förklaring") and RUBRIKER[16].startswith("Prognos")
    fel = []
    for fil in _filer_med_hanvisningar():
        fel += [(str(fil.relative_to(ROT)), *f) for f in felaktiga_hanvisningar(fil.read_text(encoding="utf-8"))]
    assert not fel, "\n".join(f"{f}: {s!r} hänvisar till {sorted(a)} men handlar om {o!r}" for f, s, a, o in fel)


# Satser ur koden med en annan numrering än regelbokens (§15 beslut, §16 utbetalning, §17 prognos,
# §18 jämförelse, §19 forklara), som kontrollen ska hitta, och samma satser med regelbokens nummer.
# Kontrollen ser inte ett fel i en grupp som också har ett rätt avsnitt ("(§16, §21, §22)" om journalen).
GAMLA_FEL = [
    ('"(regelboken §16), produktionen mot planen (§5)', '"{manad.lang}: utbetalningen per komponent "\n        '),
    ("prognosen för året (§17), avräkningen (§7), ", ""),
    ("uppföljningen (§10) och besluten som gäller (§15).", ""),
    ('f"Beslut i kraft under {b.ar} (regelboken §15): {b.namn}"', ""),
    ('"""Regelboken §16: varje komponent med rätten hittills, det betalda före och månadens belopp."""',
     "def utbetalningstabell():\n    "),
    ("Rapporterna: `prognos` (regelboken §17, antagande A7), `jamfor` (§18) och `scenario` (§11).", ""),
    ("- och för varje siffra som kan förklaras dess förklaring (§19, `forklara`).", ""),
    ("`forklara` som arbetsbok: en siffra som ett träd ned till sina källor (regelboken §19)", ""),
    ("Ersättningsramen och hur anslaget betalas (§6), med ramen som ett beslut ändrat (§15).", ""),
]
RATTADE = [
    ('"(regelboken §19), produktionen mot planen (§5)', '"{manad.lang}: utbetalningen per komponent "\n        '),
    ("prognosen för året (§16), avräkningen (§7), ", ""),
    ("uppföljningen (§10) och besluten som gäller (§18).", ""),
    ('f"Beslut i kraft under {b.ar} (regelboken §18): {b.namn}"', ""),
    ('"""Regelboken §19: varje komponent med rätten hittills, det betalda före och månadens belopp."""',
     "def utbetalningstabell():\n    "),
    ("Rapporterna: `prognos` (regelboken §16, antagande A7), `jamfor` (§17) och `scenario` (§11).", ""),
    ("- och för varje siffra som kan förklaras dess förklaring (§15, `forklara`).", ""),
    ("`forklara` som arbetsbok: en siffra som ett träd ned till sina källor (regelboken §15)", ""),
    ("Ersättningsramen och hur anslaget betalas (§6), med ramen som ett beslut ändrat (§18).", ""),
]


@pytest.mark.parametrize("text,fore", GAMLA_FEL, ids=[f"gammalt-{i}" for i in range(len(GAMLA_FEL))])
def test_kontrollen_hittar_de_gamla_felen(text, fore):
    assert felaktiga_hanvisningar(fore + text), text


@pytest.mark.parametrize("text,fore", RATTADE, ids=[f"rattat-{i}" for i in range(len(RATTADE))])
def test_kontrollen_godtar_de_rattade_satserna(text, fore):
    assert not felaktiga_hanvisningar(fore + text), text


def test_kontrollen_hittar_ett_avsnitt_som_inte_finns():
    assert felaktiga_hanvisningar("Se regelboken §26.")
    assert not felaktiga_hanvisningar("Uppdrag 2026 SV (OSN 2025-09-25 § 293), avsnitt Ersättning")


# Kommandon med ett eget avsnitt, och ett ord i avsnittets rubrik.
KOMMANDOTS_RUBRIK = {
    "forklara": "(forklara)", "prognos": "Prognos", "jamfor": "Jämförelse", "utbetala": "utbetalning",
    "rapport": "rapport till nämnden", "avrakning": "Avräkning", "brygga": "Budgetbryggan",
    "malrelaterad": "Målrelaterad", "uppfoljning": "Uppföljning", "scenario": "scenarier",
    "uppgradera-journal": "Journalens",
}


def _avsnittet_som_heter(ord_: str) -> int:
    nummer = [n for n, t in RUBRIKER.items() if ord_.lower() in t.lower()]
    assert len(nummer) == 1, (ord_, nummer)
    return nummer[0]


@pytest.mark.parametrize("namn", sorted(KOMMANDOTS_RUBRIK))
def test_kommandots_hjalp_hanvisar_till_avsnittet_som_bar_dess_namn(namn):
    import typer.main

    from vgr_ersattning.cli import AVSNITT, app

    n = _avsnittet_som_heter(KOMMANDOTS_RUBRIK[namn])
    hjalp = typer.main.get_command(app).commands[namn].help or ""
    hanvisade = set().union(*(_avsnitten_i(g) for g in _GRUPP.findall(hjalp)))
    assert n in hanvisade, f"{namn} --help hänvisar till {sorted(hanvisade)}, inte §{n} {RUBRIKER[n]}"
    # Hjälpens epilog visar antagandena för kommandots avsnitt.
    if namn in AVSNITT:
        assert n in AVSNITT[namn], f"AVSNITT[{namn!r}] saknar §{n}"


def test_datans_hanvisningar_med_rubrik_har_avsnittets_rubrik():
    """`kalla` i datan skriver "Regelboken (docs/regler.md), §N Rubrik": rubriken är §N:s."""
    antal = 0
    for fil in sorted((ROT / "data").glob("*.yaml")):
        for n, rubrik in re.findall(r"Regelboken \(docs/regler\.md\), §(\d+) ([^,;\"]+?), antagande",
                                   fil.read_text(encoding="utf-8")):
            assert RUBRIKER.get(int(n)) == rubrik, (fil.name, n, rubrik)
            antal += 1
    assert antal >= len(_antaganden_i_datan())
