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
    ("A8", "§8", "slutet av förra året"),          # bryggan börjar från ramen i slutet av året före
    ("A9", "§10", "september"),                    # ST-A:s lägesrapport september–november
    ("A10", "§9", "kvartalets sista månad"),       # 1177-kvartalet: när det betalas
    ("A11", "§5", "tolftedel"),                    # planen en tolftedel i månaden
    ("A12", "§6", "december"),                     # tolv lika stora belopp, december tar resten
    ("A13", "§7", "tolftedel"),                    # avräkningsposterna en tolftedel i månaden
    ("A14", "§9", "74,99"),                        # 74,99 % i 95 %-steget
    ("A15", "§10", "föregående period"),           # ska_oka/ska_minska mot föregående period
    ("A16", "§11", "netto"),                       # delegationsgränsen: nettot vid full leverans, per beslut
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


@pytest.mark.parametrize("aid,kapitel,ord_", LASNINGAR, ids=[x[0] for x in LASNINGAR])
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
