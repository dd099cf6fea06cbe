"""regelboken §12: varje slags felaktig indata ger en svensk rad med fil:rad:kolumn och slutkod 2."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PRISER_FIL, UPPDRAG_FIL, andrad_kopia
from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.yamlpos import las_yaml_text

RAD = re.compile(r"^[^:]+:\d+:\d+: ")


def fel_for(tmp_path, text: bytes | str, namn="u.yaml") -> list[str]:
    p = tmp_path / namn
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    rader = [str(f) for f in e.value.fel]
    assert all(RAD.match(r) for r in rader), rader
    return rader


def test_inte_yaml(tmp_path):
    assert "ogiltig YAML" in fel_for(tmp_path, "ar: [2026\n")[0]


def test_inte_utf8(tmp_path):
    r = fel_for(tmp_path, "ar: 2026\nnamn: \xe5\n".encode("latin-1"))
    assert r[0].endswith("u.yaml:2:7: filen är inte UTF-8 (byte 0xe5)")


def test_tabbar(tmp_path):
    assert "tabbtecken" in fel_for(tmp_path, "ar: 2026\nutforare:\n\tSV: {}\n")[0]


def test_dubblerad_nyckel(tmp_path):
    assert fel_for(tmp_path, "ar: 2026\nar: 2027\n")[0].endswith("u.yaml:2:1: ar: nyckeln förekommer två gånger")


def test_aliasbomb(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    r = fel_for(tmp_path, bomb)
    assert all("ankare och alias" in x for x in r)


def test_for_stor_fil(tmp_path):
    r = fel_for(tmp_path, b"#" * (9 * 1024 * 1024))
    assert "för stor" in r[0]


def test_fel_typ_okand_nyckel_negativt_och_decimaltal(tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "uppdrag: 5500, bas: 3858", "uppdrag: 5500, bas: -3858")
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    (f,) = e.value.fel
    assert str(f).endswith("utforare.SV.volymer.rader.somatik.forstabesok.hud.bas: får inte vara negativt")
    assert f.plats.rad == p.read_text().splitlines().index(
        next(r for r in p.read_text().splitlines() if "bas: -3858" in r)) + 1

    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "bas: 3858", "bas: 3858.5")
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    assert "ska vara ett heltal" in str(e.value)

    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "bas: 3858", 'bas: "3858"')
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    assert "ska vara ett heltal" in str(e.value)

    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "ar: 2026\n", "ar: 2026\nokand: 1\n")
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    assert str(e.value.fel[0]).endswith("okand: okänd nyckel (tillåtna: ar, antaganden, at_fordelning, utforare, prognos, beslutsregler, regionala_indikatorer)")


def test_pengar_blir_decimal_aldrig_float(tmp_path, uppdrag):
    p = andrad_kopia(tmp_path, PRISER_FIL, "pris_kr: 2503", "pris_kr: 2503.10")
    pris = las_priser(p).modell.tillagg["besok"].pris_kr
    assert type(pris).__name__ == "Decimal" and str(pris) == "2503.10"
    assert type(uppdrag.utforare["RH"].malrelaterad_1177.belopp_mnkr).__name__ == "Decimal"


def test_felaktigt_id(tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "somatik.forstabesok.hud:", "somatik.forstabesok.Hud:")
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    assert "regelboken §2" in str(e.value)


def test_profil_som_inte_summerar_till_ett(tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "priskategori: kologastro}\n        somatik.undersokning.koloskopi",
                     "priskategori: kologastro, profil: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2]}\n"
                     "        somatik.undersokning.koloskopi")
    with pytest.raises(Inlasningsfel) as e:
        las_uppdrag(p)
    assert "summerar till 1.3" in str(e.value)


def test_cli_dataf_fel_ger_kod_2_utan_traceback(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "ar: 2026\n", "ar: 2026\nar: 2026\n")
    for kommando in (["kontrollera"], ["berakna"], ["brygga"]):
        k = kor(*kommando, "--uppdrag", p)
        assert k.kod == 2
        assert re.search(r"uppdrag_2026\.yaml:\d+:1: ar: nyckeln förekommer två gånger", k.fel)
        assert k.ut == ""


def test_saknad_fil(kor, tmp_path):
    k = kor("kontrollera", "--priser", tmp_path / "finns_inte.yaml")
    assert k.kod == 2 and "filen finns inte" in k.fel


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t 0123456789.,?<=%@`")), max_size=200))
def test_godtycklig_text_ger_data_eller_inlasningsfel(text):
    try:
        las_yaml_text(text, "x.yaml")
    except Inlasningsfel as e:
        assert e.fel and all(RAD.match(str(f)) for f in e.fel)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_godtyckliga_byte_ger_aldrig_annat_undantag(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("b") / "u.yaml"
    p.write_bytes(data)
    try:
        las_uppdrag(p)
    except Inlasningsfel as e:
        assert e.fel


def test_belopp_kan_sta_som_text_men_inte_som_flyttal_i_text(tmp_path):
    p = andrad_kopia(tmp_path, PRISER_FIL, "pris_kr: 2503", 'pris_kr: "2503.10"')
    assert str(las_priser(p).modell.tillagg["besok"].pris_kr) == "2503.10"
    p = andrad_kopia(tmp_path, PRISER_FIL, "pris_kr: 2503", 'pris_kr: "2 503"')
    with pytest.raises(Inlasningsfel) as e:
        las_priser(p)
    assert "tillagg.besok.pris_kr: ska vara ett tal" in str(e.value)


VERKLIG_TEXT = UPPDRAG_FIL.read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VERKLIG_TEXT)), st.integers(0, 40),
                          st.text(alphabet=st.sampled_from(list("-: \n\t0123456789abcxyz.[]{}&*'\"#,åä")), max_size=12)),
                min_size=1, max_size=4))
def test_godtyckliga_andringar_av_den_riktiga_filen(andringar):
    """Radera en bit och skriv in något annat, några gånger: modell eller rena fel, inget annat."""
    from vgr_ersattning.inlasning.pydanticfel import validera
    from vgr_ersattning.modell import Uppdrag

    text = VERKLIG_TEXT
    for start, langd, ny in andringar:
        start = min(start, len(text))
        text = text[:start] + ny + text[start + langd:]
    try:
        data, pos = las_yaml_text(text, "uppdrag_2026.yaml")
        validera(Uppdrag, data, pos)
    except Inlasningsfel as e:
        assert e.fel and all(RAD.match(str(f)) for f in e.fel)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("SV,2026-01.-x\"3 \tsomatik.forstabesok.hud")), max_size=40),
                max_size=8))
def test_godtycklig_csv_ger_utfall_eller_rena_fel(tmp_path_factory, rader):
    from vgr_ersattning.inlasning.dokument import las_uppdrag as lu
    from vgr_ersattning.inlasning.utfall.filer import las_utfall

    uppdrag = lu(UPPDRAG_FIL).modell
    p = tmp_path_factory.mktemp("c") / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "\n".join(rader) + "\n", encoding="utf-8")
    try:
        ut = las_utfall([p], uppdrag)
        assert all(v >= 0 for rader_ in ut.produktion.values() for m in rader_.values() for v in m)
    except Inlasningsfel as e:
        assert e.fel and all(RAD.match(str(f)) for f in e.fel)


# --- utfalls- och scenariofiler: godtyckliga indata ger resultat eller Inlasningsfel, aldrig annat ---

_UTFALL_ALFABET = list("SV,RH\n\r\t \"'#:-[]{}&*!|>.0123456789eE+_QTaåx") + [
    "utforare", "rad", "manad", "antal", "ar: 2026", "produktion", "avrakning", "indikatorer",
    "malrelaterad_1177", "somatik.forstabesok.hud", "lakemedelsleveranser", "belaggningsgrad_somatik",
    "digitala_vardmoten", "2026-01", "2026-T2", "2026-Q1", "2025-12", "andel_procent", "samtal",
    "besvarade_inom_8_min", "utforare: SV\n", "utforare,rad,manad,antal\n", ".inf", "1e40", "9" * 60, "Ja"]
_SCENARIO_ALFABET = list(",\n\r\t \"'#:-[]{}&*.0123456789eE+") + [
    "namn", "id", "falt", "satt", "andra", "pris", "andringar", "bas", "tillagg", "besok", "scenarier",
    "somatik.forstabesok.hud", "namn,id,falt,satt,andra\n", "- namn: a\n  andringar:\n", "1e40", "9" * 60,
    "Infinity", "NaN", "\u2212"]


def _rent_fel(e: Inlasningsfel) -> None:
    assert e.fel and all(RAD.match(str(f)) for f in e.fel), [str(f) for f in e.fel]
    assert not any("Decimal(" in str(f) or "Traceback" in str(f) for f in e.fel)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_UTFALL_ALFABET), max_size=60), st.sampled_from(["u.csv", "u.yaml", "u.txt", "u"]))
def test_godtyckligt_utfall_ger_utfall_eller_rena_fel(tmp_path_factory, delar, namn):
    from vgr_ersattning.inlasning.utfall.filer import las_utfall

    uppdrag = las_uppdrag(UPPDRAG_FIL).modell
    p = tmp_path_factory.mktemp("u") / namn
    p.write_text("".join(delar), encoding="utf-8")
    try:
        ut = las_utfall([p], uppdrag)
        assert all(0 <= v for r in ut.produktion.values() for m in r.values() for v in m)
    except Inlasningsfel as e:
        _rent_fel(e)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["u.csv", "u.yaml", "u.json"]))
def test_godtyckliga_byte_som_utfall_och_scenariofil(tmp_path_factory, data, namn):
    from vgr_ersattning.inlasning.scenarier import las_scenariofil
    from vgr_ersattning.inlasning.utfall.filer import las_utfall

    uppdrag = las_uppdrag(UPPDRAG_FIL).modell
    p = tmp_path_factory.mktemp("b") / namn
    p.write_bytes(data)
    for las in (lambda: las_utfall([p], uppdrag), lambda: las_scenariofil(p)):
        try:
            las()
        except Inlasningsfel as e:
            _rent_fel(e)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SCENARIO_ALFABET), max_size=60), st.sampled_from(["s.csv", "s.yaml", "s.json", "s"]))
def test_godtycklig_scenariofil_ger_scenarier_eller_rena_fel(tmp_path_factory, delar, namn):
    from vgr_ersattning.inlasning.scenarier import las_scenariofil

    p = tmp_path_factory.mktemp("s") / namn
    p.write_text("".join(delar), encoding="utf-8")
    try:
        for s, platser in las_scenariofil(p):
            assert len(platser) == len(s.andringar)
    except Inlasningsfel as e:
        _rent_fel(e)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=.+-\u22120123456789eE abxINFNa")), max_size=30), max_size=5),
       st.lists(st.text(max_size=30), max_size=3))
def test_godtyckliga_argument_ger_scenario_eller_rena_fel(satt, pris):
    from vgr_ersattning.inlasning.scenarier import tolka_argument

    try:
        s, platser = tolka_argument(satt, satt, pris)
        assert len(platser) == len(s.andringar)
    except Inlasningsfel as e:
        assert e.fel and all(str(f).startswith(("--satt ", "--andra ", "--pris ")) for f in e.fel)
