"""Kommandoraden: hjälp, slutkoder, utdatafiler som aldrig skrivs över."""

import json
import re

import pytest

KOMMANDON = ["berakna", "kontrollera", "avrakning", "brygga", "malrelaterad", "uppfoljning", "scenario"]


def test_utan_kommando_visas_hjalpen_med_berakna_forst(kor):
    k = kor()
    text = k.ut + k.fel
    kommandon = text[text.index("Kommandon:"):]
    positioner = [kommandon.find(f"  {c} ") for c in KOMMANDON]
    assert all(p >= 0 for p in positioner)
    assert positioner[0] == min(positioner)
    assert "Exempel: ersattning berakna" in text
    assert "A1" in text and "A5" in text


@pytest.mark.parametrize("kommando", KOMMANDON)
def test_varje_kommando_har_exempel_i_hjalpen(kor, kommando):
    k = kor(kommando, "--help")
    assert k.kod == 0
    assert "Exempel" in k.ut and f"ersattning {kommando}" in k.ut


def test_okant_format_ar_anvandningsfel(kor):
    k = kor("berakna", "--format", "xml")
    assert k.kod == 2 and "--format" in k.fel


def test_okand_utforare(kor):
    k = kor("berakna", "--utforare", "XX")
    assert k.kod == 2 and "okänd utförare 'XX'" in k.fel


def test_ut_skriver_ny_fil_och_aldrig_over(kor, tmp_path):
    ut = tmp_path / "plan.json"
    k = kor("berakna", "--format", "json", "--ut", ut)
    assert k.kod == 0 and k.ut == ""
    assert json.loads(ut.read_text())["tillagg"]["summa_kr"] == "263497958"
    fore = ut.read_bytes()
    k = kor("berakna", "--format", "csv", "--ut", ut)
    assert k.kod == 2 and "finns redan" in k.fel
    assert ut.read_bytes() == fore
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]   # ingen kvarlämnad temporär fil


def test_ut_vid_fel_lamnar_ingen_fil(kor, tmp_path):
    ut = tmp_path / "plan.json"
    bad = tmp_path / "u.csv"
    bad.write_text("utforare,rad,manad,antal\nSV,x,2026-01,1\n")
    k = kor("berakna", "--utfall", bad, "--ut", ut)
    assert k.kod == 2 and not ut.exists()


def test_indata_andras_aldrig(kor, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2026-01,4000\n")
    fore = f.read_bytes()
    assert kor("berakna", "--utfall", f).kod == 0
    assert f.read_bytes() == fore


def test_csv_utfall_tom_och_trasig(kor, tmp_path):
    tom = tmp_path / "tom.csv"
    tom.write_text("")
    k = kor("berakna", "--utfall", tom)
    assert k.kod == 2 and re.search(r"tom\.csv:1:1: filen är tom", k.fel)
    bin_ = tmp_path / "bin.csv"
    bin_.write_bytes(b"utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2026-01,1\n\xff\xfe\n")
    k = kor("berakna", "--utfall", bin_)
    assert k.kod == 2 and "inte UTF-8" in k.fel


def test_varje_felaktig_csv_rad_far_sin_rad(kor, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("utforare,rad,manad,antal\n"
                 "SV,somatik.forstabesok.hud,2026-01,5\n"
                 "XX,somatik.forstabesok.hud,2026-01,5\n"
                 "SV,somatik.forstabesok.okand,2026-01,5\n"
                 "SV,somatik.forstabesok.hud,2026-13,5\n"
                 "SV,somatik.forstabesok.hud,2025-12,5\n"
                 "SV,somatik.forstabesok.hud,2026-02,-1\n"
                 "SV,somatik.forstabesok.hud,2026-02,1.5\n"
                 "SV,somatik.forstabesok.hud,2026-02,tio\n"
                 "SV,somatik.forstabesok.hud,2026-02\n"
                 "XX,somatik.forstabesok.hud,2026-01,5\n")
    k = kor("berakna", "--utfall", f)
    assert k.kod == 2
    rader = k.fel.strip().splitlines()
    assert [int(r.split(":")[1]) for r in rader] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "okänd utförare 'XX'" in rader[0] and "okänt rad-id" in rader[1]
    assert "2026-13 finns inte" in rader[2] and "utanför uppdragsåret 2026" in rader[3]
    assert "negativt" in rader[4] and "inte ett heltal" in rader[5] and "inte ett tal" in rader[6]
    assert "kolumner" in rader[7]


def test_yaml_utfall_felaktiga_rader(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text("utforare: SV\nar: 2026\nproduktion:\n"
                 "  somatik.forstabesok.hud: {2026-01: -1, 2026-02: 1.5, 2026-03: tio, 2026-13: 1}\n"
                 "  okand.rad.id: {2026-01: 1}\n")
    k = kor("berakna", "--utfall", f)
    assert k.kod == 2
    rader = k.fel.strip().splitlines()
    assert len(rader) == 5
    assert all(r.split(":")[1] in ("4", "5") for r in rader)


@pytest.mark.parametrize("kommando", KOMMANDON)
def test_varje_kommando_tar_uppdrag_och_priser(kor, kommando, tmp_path):
    trasig = tmp_path / "priser.yaml"
    trasig.write_text("ar: 2026\nar: 2026\n")
    extra = ["--utfall", tmp_path / "u.yaml"] if kommando in ("avrakning", "malrelaterad") else []
    k = kor(kommando, "--priser", trasig, "--uppdrag", tmp_path / "saknas.yaml", *extra)
    assert k.kod == 2
    assert "saknas.yaml: filen finns inte" in k.fel and "priser.yaml:2:1: ar: nyckeln förekommer två gånger" in k.fel


def test_medfoljande_data_hittas_fran_annan_katalog(tmp_path):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "vgr_ersattning", "berakna", "--format", "json"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["tillagg"]["summa_kr"] == "263497958"


def test_hjalpen_namner_kommandots_antaganden_en_gang_i_ordning(kor):
    """berakna bygger på §4–§7 och §18: A1, A2, A5, A6, A11, A12, A13, A17 – inte prognosens A7 eller
    1177:s A3; brygga bara på bryggans A8."""
    import re

    ider = re.findall(r"^  (A\d+):", kor("berakna", "--help").ut, re.M)
    assert ider == ["A1", "A2", "A5", "A6", "A11", "A12", "A13", "A17"]
    assert re.findall(r"^  (A\d+):", kor("brygga", "--help").ut, re.M) == ["A8"]
    alla = re.findall(r"^  (A\d+):", kor("--help").ut, re.M)
    assert alla == [f"A{i}" for i in range(1, 18)]
