"""Utfalls- och scenariofiler: struktur mot modellerna, kontroller mot uppdraget, gränser för tal,
svenska fel med rätt plats, och formatet efter innehållet (regelboken §12).

Varje test kontrollerar meddelandet och platsen, inte bara att inläsningen misslyckas.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from vgr_ersattning.inlasning.fel import MAX_FEL, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import las_text
from vgr_ersattning.inlasning.scenarier import las_scenariofil, tolka_argument
from vgr_ersattning.inlasning.tal import MAX_ANTAL
from vgr_ersattning.inlasning.utfall.csv import las_csv
from vgr_ersattning.inlasning.utfall.filer import Utfall, las_utfall
from vgr_ersattning.inlasning.utfall.kontroll import tolka_manad
from vgr_ersattning.inlasning.yamlpos import las_yaml_text

HUD = "somatik.forstabesok.hud"
RUBRIK = "utforare,rad,manad,antal\n"
TUSENTALS_SIFFROR = "9" * 5000


def skriv(tmp_path: Path, namn: str, text: str | bytes) -> Path:
    p = tmp_path / namn
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def utfallsfel(uppdrag, *filer) -> list[str]:
    with pytest.raises(Inlasningsfel) as e:
        las_utfall(list(filer), uppdrag)
    return [str(f) for f in e.value.fel]


def scenariofel(p: Path) -> list[str]:
    with pytest.raises(Inlasningsfel) as e:
        las_scenariofil(p)
    return [str(f) for f in e.value.fel]


def argumentfel(satt=(), andra=(), pris=()) -> list[str]:
    with pytest.raises(Inlasningsfel) as e:
        tolka_argument(list(satt), list(andra), list(pris))
    return [str(f) for f in e.value.fel]


@pytest.fixture(autouse=True)
def _i_tmp(tmp_path, monkeypatch):
    """Filnamnen i felen är relativa arbetskatalogen: kör i tmp_path så att de blir korta."""
    monkeypatch.chdir(tmp_path)


# --- samma fil två gånger -------------------------------------------------------------------------


def test_samma_fil_tva_ganger_vagras_i_stallet_for_att_summeras(tmp_path, uppdrag):
    ok = skriv(tmp_path, "ok.csv", RUBRIK + f"SV,{HUD},2026-01,5\n")
    assert utfallsfel(uppdrag, Path("ok.csv"), Path("ok.csv")) == [
        "ok.csv: anges två gånger med --utfall; varje utfallsfil ska anges en gång"]
    assert utfallsfel(uppdrag, Path("./ok.csv"), ok.resolve()) == [
        f"{ok.resolve()}: samma fil som ok.csv (anges två gånger med --utfall); varje utfallsfil ska anges en gång"]
    os.link(ok, tmp_path / "lank.csv")
    assert utfallsfel(uppdrag, Path("ok.csv"), Path("lank.csv")) == [
        "lank.csv: samma fil som ok.csv (anges två gånger med --utfall); varje utfallsfil ska anges en gång"]
    os.symlink(ok, tmp_path / "symlank.csv")
    assert utfallsfel(uppdrag, Path("symlank.csv"), Path("ok.csv")) == [
        "ok.csv: samma fil som symlank.csv (anges två gånger med --utfall); varje utfallsfil ska anges en gång"]
    # En gång: räknas en gång.
    assert las_utfall([ok], uppdrag).produktion["SV"][HUD][0] == 5


def test_standard_in_tva_ganger_vagras(uppdrag):
    assert utfallsfel(uppdrag, Path("-"), Path("-")) == [
        "-: anges två gånger med --utfall; varje utfallsfil ska anges en gång"]


# --- CSV-rubriken ---------------------------------------------------------------------------------


def test_csv_kolumn_tva_ganger_vagras(tmp_path, uppdrag):
    p = skriv(tmp_path, "d.csv", "utforare,rad,manad,antal,antal\n" f"SV,{HUD},2026-01,5,6\n")
    assert utfallsfel(uppdrag, p) == ["d.csv:1:26: kolumnen 'antal' står två gånger i rubrikraden"]


def test_csv_okand_och_tom_kolumn_vagras(tmp_path, uppdrag):
    p = skriv(tmp_path, "e.csv", "utforare,rad,manad,antal,kommentar,\n" f"SV,{HUD},2026-01,5,x,\n")
    assert utfallsfel(uppdrag, p) == [
        "e.csv:1:26: okänd kolumn 'kommentar' i rubrikraden (kolumnerna är utforare,rad,manad,antal)",
        "e.csv:1:36: en kolumn utan namn i rubrikraden (ett kommatecken för mycket?); kolumnerna är "
        "utforare,rad,manad,antal"]


def test_csv_med_semikolon_lases_och_felen_far_ratt_kolumn(tmp_path, uppdrag):
    """Svenska Excel sparar CSV med semikolon (regelboken §20): filen läses, och kolumnerna i felen
    räknas med semikolon som avgränsare."""
    p = skriv(tmp_path, "s.csv", "utforare;rad;manad;antal\nSV;x;2026-01;5\n")
    assert utfallsfel(uppdrag, p) == ["s.csv:2:4: rad: okänt rad-id 'x' för SV"]


def test_scenario_csv_okand_kolumn(tmp_path):
    p = skriv(tmp_path, "s.csv", "namn,id,falt,satt,andra,kommentar\na,x,bas,1,,hej\n")
    assert scenariofel(p) == [
        "s.csv:1:25: okänd kolumn 'kommentar' i rubrikraden (kolumnerna är namn,id,falt,satt,andra)"]


# --- indikatorer: år och perioder -----------------------------------------------------------------


def test_indikatorvarde_for_ett_annat_ar_vagras(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nindikatorer:\n"
                                  "  forstarkt_iva_beredskapsplan: {2025: Ja, 2026: Ja}\n"
                                  "  digitala_vardmoten: {2025-11: 9, 2025-12: 10, 2026-01: 12}\n")
    assert utfallsfel(uppdrag, p) == [
        "u.yaml:4:34: indikatorer.forstarkt_iva_beredskapsplan.2025: året 2025 ligger utanför uppdragsåret 2026",
        "u.yaml:5:24: indikatorer.digitala_vardmoten.2025-11: månaden 2025-11 ligger utanför uppdragsåret 2026; "
        "året före får bara anges som jämförelse (2025-12)"]


def test_foregaende_period_som_jamforelse_for_ska_oka_finns_kvar(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nindikatorer:\n"
                                  "  digitala_vardmoten: {2025-12: 10, 2026-01: 12}\n"
                                  "  barn_digitala_vardmoten: {2025: 100, 2026-T1: 40, 2026-T2: 50}\n")
    ut = las_utfall([p], uppdrag)
    assert ut.indikatorer["SV"]["digitala_vardmoten"] == {"2025-12": Decimal(10), "2026-01": Decimal(12)}
    assert ut.indikatorer["SV"]["barn_digitala_vardmoten"]["2025"] == Decimal(100)


def test_indikatorvarde_for_en_period_som_inte_foljs_upp_vagras(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nindikatorer:\n"
                                  "  medelvardtid: {2026-03: 5.2, 2026-T2: 5.1}\n"
                                  "  belaggningsgrad_somatik: {2026-T2: 88}\n"
                                  "  forstarkt_iva_beredskapsplan: {2026-Q1: Ja}\n")
    assert utfallsfel(uppdrag, p) == [
        "u.yaml:4:18: indikatorer.medelvardtid.2026-03: medelvardtid följs inte upp för månaden 2026-03 "
        "(uppföljning: T2 (delår augusti), helår)",
        "u.yaml:5:29: indikatorer.belaggningsgrad_somatik.2026-T2: belaggningsgrad_somatik följs inte upp för "
        "tertialet 2026-T2 (uppföljning: varje månad)",
        "u.yaml:6:34: indikatorer.forstarkt_iva_beredskapsplan.2026-Q1: 2026-Q1 är ett kvartal; här väntas "
        "ÅÅÅÅ-MM eller ÅÅÅÅ-T1 … ÅÅÅÅ-T3 eller ÅÅÅÅ"]


# --- orimliga tal ---------------------------------------------------------------------------------


def test_csv_orimliga_antal(tmp_path, uppdrag):
    rader = [TUSENTALS_SIFFROR, "1e40", "1E+30", "Infinity", "NaN", str(MAX_ANTAL + 1), "-5", "1.5"]
    p = skriv(tmp_path, "u.csv", RUBRIK + "".join(f"SV,{HUD},2026-01,{a}\n" for a in rader))
    kol = len(f"SV,{HUD},2026-01,") + 1
    assert utfallsfel(uppdrag, p) == [
        f"u.csv:2:{kol}: antal: antal har 5000 tecken, vilket inte är ett rimligt heltal (högst 10 000 000)",
        f"u.csv:3:{kol}: antal: antal 1e40 är skrivet med exponent; ska vara ett heltal skrivet med siffror",
        f"u.csv:4:{kol}: antal: antal 1E+30 är skrivet med exponent; ska vara ett heltal skrivet med siffror",
        f"u.csv:5:{kol}: antal: antal 'Infinity' är inte ett tal; ska vara ett icke-negativt heltal",
        f"u.csv:6:{kol}: antal: antal 'NaN' är inte ett tal; ska vara ett icke-negativt heltal",
        f"u.csv:7:{kol}: antal: antal 10000001 är orimligt stort (högst 10 000 000)",
        f"u.csv:8:{kol}: antal: antal -5 är negativt; ska vara ett icke-negativt heltal",
        f"u.csv:9:{kol}: antal: antal 1.5 är inte ett heltal"]


def test_csv_summan_for_en_rad_och_manad_har_samma_grans(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + f"SV,{HUD},2026-02,{MAX_ANTAL}\n" + f"SV,{HUD},2026-02,1\n")
    assert utfallsfel(uppdrag, p) == [
        f"u.csv:2:1: SV.{HUD}.2026-02: summan av raderna är 10 000 001, mer än 10 000 000 per rad och månad"]
    p = skriv(tmp_path, "u.csv", RUBRIK + f"SV,{HUD},2026-02,{MAX_ANTAL}\n")
    assert las_utfall([p], uppdrag).produktion["SV"][HUD][1] == MAX_ANTAL


def test_yaml_orimliga_tal(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml",
              "utforare: SV\nar: 2026\nproduktion:\n"
              f"  {HUD}: {{2026-01: {TUSENTALS_SIFFROR}}}\n"
              f"  somatik.forstabesok.ogon: {{2026-01: 1e40, 2026-02: .inf, 2026-03: 10000001, 2026-04: 1.5}}\n"
              "avrakning:\n"
              "  lakemedelsleveranser: {2026-01: 1.0e+40, 2026-02: 0.1234567890123456789, 2026-03: 1.0e-30, "
              "2026-04: -1}\n"
              "indikatorer:\n"
              "  belaggningsgrad_somatik: {2026-07: 1E+30, 2026-08: Infinity, 2026-09: NaN}\n")
    assert utfallsfel(uppdrag, p) == [
        f"u.yaml:4:38: produktion.{HUD}.2026-01: talet 999999999999999999999999999999… (5000 tecken) "
        "har för många tecken (högst 40)",
        "u.yaml:5:30: produktion.somatik.forstabesok.ogon.2026-01: antal 1E+40 är inte ett heltal",
        "u.yaml:5:54: produktion.somatik.forstabesok.ogon.2026-02: talet '.inf' är inte ett ändligt tal",
        "u.yaml:5:60: produktion.somatik.forstabesok.ogon.2026-03: antal 10000001 är orimligt stort (högst 10 000 000)",
        "u.yaml:5:79: produktion.somatik.forstabesok.ogon.2026-04: antal 1.5 är inte ett heltal",
        "u.yaml:7:26: avrakning.lakemedelsleveranser.2026-01: utfallet 1.0E+40 är orimligt stort "
        "(högst 1 000 000 000 000)",
        "u.yaml:7:44: avrakning.lakemedelsleveranser.2026-02: utfallet 0.1234567890123456789 har fler än 15 "
        "värdesiffror och kan inte räknas exakt",
        "u.yaml:7:76: avrakning.lakemedelsleveranser.2026-03: utfallet 1.0E-30 är för litet för att räknas exakt "
        "(minst 1E-18)",
        "u.yaml:7:94: avrakning.lakemedelsleveranser.2026-04: utfallet -1 är negativt",
        "u.yaml:9:29: indikatorer.belaggningsgrad_somatik.2026-07: 1E+30 är orimligt stort (högst 1 000 000 000 000)",
        "u.yaml:9:45: indikatorer.belaggningsgrad_somatik.2026-08: 'Infinity' är inte ett tal",
        "u.yaml:9:64: indikatorer.belaggningsgrad_somatik.2026-09: 'NaN' är inte ett tal"]


def test_yaml_1177_andel_och_antal(tmp_path, uppdrag):
    p = skriv(tmp_path, "rh.yaml", "utforare: RH\nar: 2026\nmalrelaterad_1177:\n"
                                   "  2026-Q1: {andel_procent: 1.0e+40}\n"
                                   f"  2026-Q2: {{besvarade_inom_8_min: {TUSENTALS_SIFFROR}, samtal: 10}}\n"
                                   "  2026-Q3: {besvarade_inom_8_min: 5, samtal: 0}\n")
    assert utfallsfel(uppdrag, p) == [
        "rh.yaml:4:13: malrelaterad_1177.2026-Q1.andel_procent: andelen 1.0E+40 är orimligt stort "
        "(högst 1 000 000 000 000)",
        "rh.yaml:5:35: malrelaterad_1177.2026-Q2.besvarade_inom_8_min: talet 999999999999999999999999999999… "
        "(5000 tecken) har för många tecken (högst 40)",
        "rh.yaml:6:3: malrelaterad_1177.2026-Q3: antalet samtal är 0"]


def test_scenariofil_json_orimliga_tal(tmp_path):
    p = skriv(tmp_path, "s.json", '[{"namn": "a", "andringar": [\n'
                                  f'  {{"id": "{HUD}", "falt": "bas", "satt": 1e40}},\n'
                                  f'  {{"id": "{HUD}", "falt": "bas", "satt": 1.5}},\n'
                                  f'  {{"id": "{HUD}", "falt": "bas", "andra": {TUSENTALS_SIFFROR}}},\n'
                                  f'  {{"id": "{HUD}", "falt": "bas", "satt": {MAX_ANTAL + 1}}}]}}]\n')
    assert scenariofel(p) == [
        "s.json:2:52: [0].andringar[0].satt: värdet 1E+40 är inte ett heltal",
        "s.json:3:52: [0].andringar[1].satt: värdet 1.5 är inte ett heltal",
        "s.json:4:61: [0].andringar[2].andra: talet 999999999999999999999999999999… (5000 tecken) har för "
        "många tecken (högst 40)",
        "s.json:5:52: [0].andringar[3].satt: värdet 10000001 är orimligt stort (högst 10 000 000)"]


def test_scenariofil_csv_orimliga_tal(tmp_path):
    p = skriv(tmp_path, "s.csv", "namn,id,falt,satt,andra\n"
                                 f"a,{HUD},bas,1e40,\n"
                                 f"a,{HUD},bas,{TUSENTALS_SIFFROR},\n"
                                 f"a,{HUD},bas,,Infinity\n"
                                 f"a,{HUD},bas,NaN,-{MAX_ANTAL + 1}\n")
    kol = len(f"a,{HUD},bas,") + 1
    assert scenariofel(p) == [
        f"s.csv:2:{kol}: satt: värdet 1e40 är skrivet med exponent; ska vara ett heltal skrivet med siffror",
        f"s.csv:3:{kol}: satt: värdet har 5000 tecken, vilket inte är ett rimligt heltal (högst 10 000 000)",
        f"s.csv:4:{kol + 1}: andra: värdet 'Infinity' är inte ett tal; ska vara ett heltal",
        f"s.csv:5:{kol}: satt: värdet 'NaN' är inte ett tal; ska vara ett heltal",
        f"s.csv:5:{kol}: satt/andra: ange exakt en av satt och andra",
        f"s.csv:5:{kol + 4}: andra: värdet -10000001 är orimligt stort (högst 10 000 000)"]


def test_kommandoraden_orimliga_tal_ett_fel_per_varde_utan_plats():
    assert argumentfel(satt=[f"{HUD}.bas=1e40", f"{HUD}.bas={TUSENTALS_SIFFROR}", f"{HUD}.bas=1"],
                       andra=[f"{HUD}.tillagg=Infinity", "x=5", "y"], pris=["besok=NaN", "=5"]) == [
        f"--satt {HUD}.bas=1e40: värdet 1e40 är skrivet med exponent; ska vara ett heltal skrivet med siffror",
        f"--satt {HUD}.bas=999999999999999999999999999999999999999999… (5028 tecken): värdet har 5000 "
        "tecken, vilket inte är ett rimligt heltal (högst 10 000 000)",
        f"--andra {HUD}.tillagg=Infinity: värdet 'Infinity' är inte ett tal; ska vara ett heltal",
        "--andra x=5: ska ha formen RAD-ID.FALT=VÄRDE, där FALT är bas eller tillagg",
        "--andra y: saknar '=' och ett värde (t.ex. somatik.operation.urologi.tillagg=+100)",
        "--andra y: ska ha formen RAD-ID.FALT=VÄRDE, där FALT är bas eller tillagg",
        "--pris besok=NaN: värdet 'NaN' är inte ett tal; ska vara ett heltal",
        "--pris =5: ska ha formen KATEGORI=KR (t.ex. besok=2600 eller kologastro.SV=4500)"]


def test_kommandoraden_giltiga_varden_och_platser():
    s, platser = tolka_argument([f"{HUD}.bas=12"], [f"{HUD}.tillagg=\u2212100"], ["besok=2600"])
    assert [(a.id, a.falt, a.satt, a.andra) for a in s.andringar] == [
        (HUD, "bas", 12, None), (HUD, "tillagg", None, -100), ("besok", "pris", 2600, None)]
    assert [str(p) for p in platser] == [f"--satt {HUD}.bas=12", f"--andra {HUD}.tillagg=\u2212100",
                                         "--pris besok=2600"]
    assert all(p.rad == 0 for p in platser)


def test_kommandoraden_hogst_max_fel_och_en_sista_rad():
    rader = argumentfel(satt=[f"x.bas=q{i}" for i in range(MAX_FEL + 7)])
    assert len(rader) == MAX_FEL + 1
    assert rader[-1] == f"--satt x.bas=q{MAX_FEL - 1}: … och 7 fel till"


# --- bibliotekens och operativsystemets texter på svenska -------------------------------------------


def test_csv_falt_langre_an_gransen_far_svenskt_fel_dar_posten_borjar(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + f"SV,{HUD},2026-01,1\n" + f'SV,"{HUD},2026-01,1\n'
              + ("x" * 100 + "\n") * 20000)
    assert utfallsfel(uppdrag, p) == [
        "u.csv:3:1: ett fält är längre än 1 048 576 tecken (ett citattecken som aldrig stängs?)"]


def test_yaml_for_djup_nastling(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nproduktion: " + "[" * 2000 + "]" * 2000 + "\n")
    assert utfallsfel(uppdrag, p) == ["u.yaml:3:1012: filen är nästlad i för många nivåer (högst 64)"]
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nproduktion: " + "[" * 100 + "]" * 100 + "\n")
    assert utfallsfel(uppdrag, p) == ["u.yaml:3:76: filen är nästlad i för många nivåer (högst 64)"]


def test_json_kallas_json_i_felen(tmp_path):
    p = skriv(tmp_path, "s.json", '[{"namn": "a", "andringar": [}]\n')
    assert scenariofel(p) == ["s.json:1:30: ogiltig JSON: hittade inget värde där ett värde väntades"]
    p = skriv(tmp_path, "s.txt", '[{"namn": "a", "andringar": []}]\n[]\n')
    assert scenariofel(p) == ["s.txt:2:1: ogiltig JSON: filen innehåller mer än ett JSON-dokument "
                              "eller text efter dokumentet"]
    p = skriv(tmp_path, "s.yaml", "- namn: a\n  andringar: [\n")
    assert scenariofel(p) == ["s.yaml:3:1: ogiltig YAML: hittade inget värde där ett värde väntades"]


def test_katalog_och_saknad_fil_utan_plats_och_utan_engelska(tmp_path, uppdrag):
    (tmp_path / "kat.csv").mkdir()
    assert utfallsfel(uppdrag, Path("saknas.csv"), Path("kat.csv")) == [
        "saknas.csv: filen finns inte", "kat.csv: är en katalog, inte en fil"]
    assert scenariofel(Path("saknas.yaml")) == ["saknas.yaml: filen finns inte"]
    with pytest.raises(Inlasningsfel) as e:
        las_text(tmp_path / "kat.csv")
    assert [str(f) for f in e.value.fel] == ["kat.csv: är en katalog, inte en fil"]


def test_ingen_lasbehorighet(tmp_path, uppdrag, monkeypatch):
    """Som root går en fil utan läsrätt att läsa ändå, så operativsystemets svar spelas upp."""
    import builtins
    import errno

    p = skriv(tmp_path, "u.csv", RUBRIK)
    verklig = builtins.open

    def vagra(fil, *args, **kwargs):
        if str(fil) == str(p):
            raise PermissionError(errno.EACCES, "Permission denied", str(fil))
        return verklig(fil, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", vagra)
    assert utfallsfel(uppdrag, p) == ["u.csv: saknar behörighet att läsa filen"]


def test_decimaltal_visas_som_tal_inte_som_repr(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", f"utforare: SV\nar: 2026\nproduktion:\n  {HUD}: {{2026-01: 1.5}}\n")
    (rad,) = utfallsfel(uppdrag, p)
    assert rad == f"u.yaml:4:29: produktion.{HUD}.2026-01: antal 1.5 är inte ett heltal"
    assert "Decimal" not in rad


# --- platser -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,plats", [
    ("a: &x 1\nb: *x\n", "x.yaml:2:4"),
    ("a:\n  - &x 1\n  - 2\n  - *x\n", "x.yaml:4:5"),
    ("a: &x [1]\nb:\n  - *x\n", "x.yaml:3:5"),
])
def test_alias_far_aliasets_plats(text, plats):
    with pytest.raises(Inlasningsfel) as e:
        las_yaml_text(text, "x.yaml")
    assert [str(f) for f in e.value.fel] == [f"{plats}: ankare och alias (& och *) stöds inte"]


def test_aliasbomb_ger_ett_fel():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    with pytest.raises(Inlasningsfel) as e:
        las_yaml_text(bomb, "x.yaml")
    assert [str(f) for f in e.value.fel] == ["x.yaml:2:8: ankare och alias (& och *) stöds inte"]


def test_csv_kolumn_raknas_med_citattecken(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + '"SV","somatik.x","2026-01",5\n' + f'"SV","{HUD}","2026-13","x,y"\n')
    assert utfallsfel(uppdrag, p) == [
        "u.csv:2:6: rad: okänt rad-id 'somatik.x' för SV",
        f"u.csv:3:{len(HUD) + 9}: manad: 2026-13 finns inte (ange ÅÅÅÅ-MM)",
        f"u.csv:3:{len(HUD) + 19}: antal: antal 'x,y' är inte ett tal; ska vara ett icke-negativt heltal"]


def test_csv_post_over_flera_rader_far_raden_dar_den_borjar(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + f"SV,{HUD},2026-01,1\n" + '"S\nV",somatik\n' + 'XX,"a\r\nb",2026-01,"1\n2"\n')
    assert utfallsfel(uppdrag, p) == [
        "u.csv:3:1: raden har 2 kolumner, rubriken 4 (en kolumn saknas eller är för mycket)",
        "u.csv:5:1: utforare: okänd utförare 'XX' (med volymer: SV)",
        "u.csv:6:12: antal: antal '1\\n2' är inte ett tal; ska vara ett icke-negativt heltal"]


def test_csv_varje_fel_pa_en_rad_rapporteras(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + "SV,okand.rad.id,2026-13,-1\nXX,x,2025-01,1.5\n")
    assert utfallsfel(uppdrag, p) == [
        "u.csv:2:4: rad: okänt rad-id 'okand.rad.id' för SV",
        "u.csv:2:17: manad: 2026-13 finns inte (ange ÅÅÅÅ-MM)",
        "u.csv:2:25: antal: antal -1 är negativt; ska vara ett icke-negativt heltal",
        "u.csv:3:1: utforare: okänd utförare 'XX' (med volymer: SV)",
        "u.csv:3:6: manad: månaden 2025-01 ligger utanför uppdragsåret 2026",
        "u.csv:3:14: antal: antal 1.5 är inte ett heltal"]


def test_csv_hogst_max_fel_och_en_sista_rad(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.csv", RUBRIK + "".join(f"XX,{HUD},2026-01,1\n" for _ in range(MAX_FEL + 30)))
    rader = utfallsfel(uppdrag, p)
    assert len(rader) == MAX_FEL + 1
    assert rader[0] == "u.csv:2:1: utforare: okänd utförare 'XX' (med volymer: SV)"
    assert rader[-1] == f"u.csv:{MAX_FEL + 1}:1: … och 30 fel till"


def test_csv_inte_utf8_far_exakt_rad_och_kolumn(tmp_path, uppdrag):
    """En fil som inte är UTF-8 läses som Windows-1252 (regelboken §20); när den har fel säger en
    rad var den första byte som inte är UTF-8 står."""
    p = skriv(tmp_path, "u.csv", (RUBRIK + f"SV,{HUD},2026-01,1\n" * 3 + "SV,hu\xe5d,2026-01,1\n").encode("latin-1"))
    assert utfallsfel(uppdrag, p) == ["u.csv:5:4: rad: okänt rad-id 'huåd' för SV",
                                      "u.csv:5:6: filen är inte UTF-8 (byte 0xe5); den lästes som Windows-1252 (cp1252)"]


def test_yaml_struktur_och_uppdrag_rapporteras_tillsammans(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\nokand: 1\nproduktion:\n"
                                  f"  {HUD}: {{2026-01: -1, 2026-13: 1}}\n"
                                  "  okand.rad.id: {2026-01: 1}\n")
    assert utfallsfel(uppdrag, p) == [
        "u.yaml:3:1: okand: okänd nyckel (tillåtna: utforare, ar, produktion, avrakning, indikatorer, "
        "malrelaterad_1177)",
        f"u.yaml:5:29: produktion.{HUD}.2026-01: antal -1 är negativt; ska vara ett icke-negativt heltal",
        f"u.yaml:5:42: produktion.{HUD}.2026-13: 2026-13 finns inte (ange ÅÅÅÅ-MM)",
        "u.yaml:6:3: produktion.okand.rad.id: okänt rad-id 'okand.rad.id' för SV"]


def test_yaml_fel_ar_och_utforare(tmp_path, uppdrag):
    p = skriv(tmp_path, "u.yaml", "utforare: XX\nar: 2025\n")
    assert utfallsfel(uppdrag, p) == [
        "u.yaml:1:1: utforare: okänd utförare 'XX' (finns: " + ", ".join(uppdrag.utforare) + ")",
        "u.yaml:2:1: ar: året 2025 är inte uppdragsåret 2026"]
    p = skriv(tmp_path, "u.yaml", "- 1\n")
    assert utfallsfel(uppdrag, p) == [
        "u.yaml:1:1: utfallsfilen ska vara en mappning med utforare, ar och avsnitt (eller en CSV-fil med "
        "rubrikraden utforare,rad,manad,antal)"]


# --- formatet efter innehållet --------------------------------------------------------------------


def test_csv_sparad_som_txt_och_yaml_utan_andelse(tmp_path, uppdrag):
    txt = skriv(tmp_path, "uttag.txt", "\n" + RUBRIK + f"SV,{HUD},2026-01,5\n")
    yaml_ = skriv(tmp_path, "utfall", f"utforare: SV\nar: 2026\nproduktion:\n  {HUD}: {{2026-02: 3}}\n")
    ut = las_utfall([txt, yaml_], uppdrag)
    assert ut.produktion["SV"][HUD][:2] == [5, 3]
    assert utfallsfel(uppdrag, skriv(tmp_path, "fel.txt", RUBRIK + "SV,x,2026-01,5\n")) == [
        "fel.txt:2:4: rad: okänt rad-id 'x' för SV"]


def test_csv_fran_standard_in(uppdrag, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO((RUBRIK + f"SV,{HUD},2026-01,5\nSV,{HUD},2026-01,2\n").encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    ut = las_utfall([Path("-")], uppdrag)
    assert ut.produktion["SV"][HUD][0] == 7
    assert {k: str(v) for k, v in ut.kallor("produktion", "SV", HUD).items()} == {1: "<stdin>:2:1"}


def test_fel_fran_standard_in_heter_stdin(uppdrag, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((RUBRIK + "SV,x,2026-01,5\n").encode())))
    assert utfallsfel(uppdrag, Path("-")) == ["<stdin>:2:4: rad: okänt rad-id 'x' för SV"]


def test_yaml_fran_en_pipe(uppdrag):
    """`--utfall <(…)`: en /dev/fd-sökväg som bara kan läsas en gång."""
    if not os.path.isdir("/dev/fd"):
        pytest.skip("ingen /dev/fd")
    text = f"utforare: SV\nar: 2026\nproduktion:\n  {HUD}: {{2026-03: 4}}\n".encode()
    for data in (text, (RUBRIK + f"SV,{HUD},2026-03,4\n").encode()):
        r, w = os.pipe()

        def skriv_till_pipen(w=w, data=data):
            with os.fdopen(w, "wb") as f:
                f.write(data)

        t = threading.Thread(target=skriv_till_pipen)
        t.start()
        try:
            ut = las_utfall([Path(f"/dev/fd/{r}")], uppdrag)
        finally:
            t.join()
            os.close(r)
        assert ut.produktion["SV"][HUD][2] == 4


def test_scenariofil_csv_med_annan_andelse_och_fran_standard_in(tmp_path, monkeypatch):
    p = skriv(tmp_path, "s.dat", "namn,id,falt,satt,andra\n" f"a,{HUD},bas,100,\n" f"a,{HUD},tillagg,,+5\n")
    ((s, platser),) = las_scenariofil(p)
    assert [(a.id, a.falt, a.satt, a.andra) for a in s.andringar] == [(HUD, "bas", 100, None),
                                                                       (HUD, "tillagg", None, 5)]
    assert [str(x) for x in platser] == ["s.dat:2:3", "s.dat:3:3"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(p.read_bytes())))
    ((s2, platser2),) = las_scenariofil(Path("-"))
    assert s2 == s and [str(x) for x in platser2] == ["<stdin>:2:3", "<stdin>:3:3"]


def test_scenariofil_yaml_struktur_mot_modellen(tmp_path):
    p = skriv(tmp_path, "s.yaml", "- namn: a\n  andringar:\n"
                                  "    - {id: x, falt: bas, satt: 1, okand: 2}\n"
                                  "    - {pris: besok, andra: 5}\n"
                                  "    - {id: x, satt: 5}\n"
                                  "    - {id: x, falt: bas, satt: 1, andra: 1}\n"
                                  "- namn: 5\n  andringar: {}\n")
    assert scenariofel(p) == [
        "s.yaml:3:35: [0].andringar[0].okand: okänd nyckel (tillåtna: id, falt, pris, satt, andra)",
        "s.yaml:4:7: [0].andringar[1]: en prisändring är {pris: KATEGORI, satt: KR}",
        "s.yaml:5:7: [0].andringar[2]: en volymändring har id och falt (bas eller tillagg)",
        "s.yaml:6:7: [0].andringar[3]: ange exakt en av satt och andra",
        "s.yaml:7:3: [1].namn: ska vara text",
        "s.yaml:8:3: [1].andringar: ska vara en lista"]
    p = skriv(tmp_path, "t.yaml", "scenarier:\n  - namn: a\n    andringar:\n      - {pris: besok, satt: 2600}\n")
    ((s, platser),) = las_scenariofil(p)
    assert (s.namn, s.andringar[0].id, s.andringar[0].falt, s.andringar[0].satt) == ("a", "besok", "pris", 2600)
    assert [str(x) for x in platser] == ["t.yaml:4:9"]


# --- källor och tolka_manad -----------------------------------------------------------------------


def test_kallor_ger_fil_och_rad_per_period(tmp_path, uppdrag):
    csv_ = skriv(tmp_path, "p.csv", RUBRIK + f"SV,{HUD},2026-02,5\nSV,{HUD},2026-01,5\nSV,{HUD},2026-02,5\n")
    yaml_ = skriv(tmp_path, "u.yaml", "utforare: SV\nar: 2026\navrakning:\n  lakemedelsleveranser: {2026-01: 250.5}\n"
                                      "indikatorer:\n  belaggningsgrad_somatik: {2026-07: 88.4}\n")
    rh = skriv(tmp_path, "rh.yaml", "utforare: RH\nar: 2026\nmalrelaterad_1177:\n"
                                    "  2026-Q1: {besvarade_inom_8_min: 81234, samtal: 100000}\n"
                                    "  2026-Q2: {andel_procent: 74.99}\n")
    ut = las_utfall([csv_, yaml_, rh], uppdrag)

    def text(d):
        return {k: str(v) for k, v in d.items()}

    assert text(ut.kallor("produktion", "SV", HUD)) == {1: "p.csv:3:1", 2: "p.csv:2:1"}
    assert list(ut.kallor("produktion", "SV", HUD)) == [1, 2]
    assert text(ut.kallor("avrakning", "SV", "lakemedelsleveranser")) == {1: "u.yaml:4:26"}
    assert text(ut.kallor("indikatorer", "SV", "belaggningsgrad_somatik")) == {"2026-07": "u.yaml:6:29"}
    assert text(ut.kallor("malrelaterad_1177", "RH", 2)) == {2: "rh.yaml:5:3"}
    assert text(ut.kallor("malrelaterad_1177", "RH", "2026-Q1")) == {1: "rh.yaml:4:3"}
    assert text(ut.kallor("malrelaterad_1177", "RH")) == {1: "rh.yaml:4:3", 2: "rh.yaml:5:3"}
    assert ut.kallor("produktion", "SV", "somatik.forstabesok.ogon") == {}
    assert ut.malrelaterad["RH"] == {1: Decimal("81.234"), 2: Decimal("74.99")}


def test_samma_nyckel_i_tva_filer_namner_forsta_platsen(tmp_path, uppdrag):
    a = skriv(tmp_path, "a.csv", RUBRIK + f"SV,{HUD},2026-01,5\n")
    b = skriv(tmp_path, "b.yaml", f"utforare: SV\nar: 2026\nproduktion:\n  {HUD}: {{2026-01: 3}}\n")
    assert utfallsfel(uppdrag, a, b) == [
        f"b.yaml:4:29: produktion.{HUD}.2026-01: finns redan i a.csv:2:1 (samma nyckel i två utfallsfiler)"]


def test_las_csv_har_kvar_sin_signatur(tmp_path, uppdrag):
    """benchmarks/utfall_csv.py anropar las_csv(sökväg, uppdrag, utfall)."""
    p = skriv(tmp_path, "u.csv", RUBRIK + f"SV,{HUD},2026-01,5\n")
    ut = Utfall(uppdrag.ar)
    las_csv(p, uppdrag, ut)
    assert ut.produktion["SV"][HUD][0] == 5 and ut.sista_manad("SV") == 1


def test_tolka_manad_ar_ett_tunt_alias_for_period():
    assert tolka_manad("2026-08", 2026) == (8, "")
    assert tolka_manad("2026-13", 2026) == (None, "2026-13 finns inte (ange ÅÅÅÅ-MM)")
    assert tolka_manad("2025-08", 2026) == (None, "månaden 2025-08 ligger utanför uppdragsåret 2026")


def test_plats_utan_rad_visas_utan_kolon_noll():
    assert str(Plats("saknas.csv", 0, 0)) == "saknas.csv"
    assert str(Plats("u.csv", 3, 7)) == "u.csv:3:7"


def test_en_fil_med_fel_lagger_inte_in_nagot(tmp_path, uppdrag):
    """Värdena ur en fil med fel läggs aldrig in: en annan fil med samma nyckel får inget följdfel."""
    a = skriv(tmp_path, "a.yaml", f"utforare: SV\nar: 2026\nproduktion:\n  {HUD}: {{2026-01: 5, 2026-13: 1}}\n")
    b = skriv(tmp_path, "b.csv", RUBRIK + f"SV,{HUD},2026-01,3\n")
    assert utfallsfel(uppdrag, a, b) == [f"a.yaml:4:41: produktion.{HUD}.2026-13: 2026-13 finns inte (ange ÅÅÅÅ-MM)"]
