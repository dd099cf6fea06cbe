"""`ersattning kontrollera` och budgetbryggan (regelboken §3, §8, §14)."""

import json
import re
from decimal import Decimal

from conftest import PRISER_FIL, UPPDRAG_FIL, andrad_kopia
from vgr_ersattning.kalkyl.brygga import berakna_brygga


def test_medfoljande_data_stammer(kor):
    k = kor("kontrollera")
    assert k.kod == 0, k
    assert "✗" not in k.ut
    j = json.loads(kor("kontrollera", "--format", "json").ut)
    assert j["ok"] is True
    assert all(set(x) >= {"namn", "ok", "meddelande"} for x in j["kontroller"])
    namn = [x["namn"] for x in j["kontroller"]]
    assert "AT-platser totalt" in namn and "SV: Totalsumma" in namn


def test_radfel_namnger_id_och_rad(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "uppdrag: 5500, bas: 3858", "uppdrag: 5500, bas: 3859")
    k = kor("kontrollera", "--uppdrag", p)
    assert k.kod == 1
    radnr = next(i for i, r in enumerate(p.read_text().splitlines(), 1) if "bas: 3859" in r)
    assert re.search(rf"uppdrag_2026\.yaml:{radnr}:\d+: somatik\.forstabesok\.hud: bas \+ tillägg \(5 501\) ≠ uppdrag "
                     r"\(5 500\)", k.fel), k
    j = json.loads(kor("kontrollera", "--uppdrag", p, "--format", "json").ut)
    assert j["ok"] is False
    fel = [x for x in j["kontroller"] if not x["ok"]]
    assert any("somatik.forstabesok.hud" in x["meddelande"] and f":{radnr}:" in x["plats"] for x in fel)


def test_tryckt_gruppsumma_med_skrivfel(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "somatik.operation: {uppdrag: 17880", "somatik.operation: {uppdrag: 17980")
    k = kor("kontrollera", "--uppdrag", p, "--format", "json")
    assert k.kod == 1
    fel = [x for x in json.loads(k.ut)["kontroller"] if not x["ok"]]
    assert [x["namn"] for x in fel] == ["SV: Summa somatik.operation"]
    assert "uppdrag tryckt 17 980, radernas summa 17 880" in fel[0]["meddelande"]


def test_saknat_pris_for_sjukhuset(kor, tmp_path):
    p = andrad_kopia(tmp_path, PRISER_FIL, "{SV: 4459, ", "{")
    k = kor("kontrollera", "--priser", p)
    assert k.kod == 1
    assert "priskategorin 'kologastro' har inget pris för SV" in k.fel
    assert "priser_2026.yaml:" in k.fel


def test_at_totalt_med_skrivfel(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "totalt: 292", "totalt: 291")
    k = kor("kontrollera", "--uppdrag", p)
    assert k.kod == 1 and "tryckt totalt 291" in k.fel


def test_bryggan_stammer_inom_avrundning(sv):
    r = berakna_brygga(sv.brygga)
    assert r.stammer
    assert (r.delsumma.differens_tkr, r.delsumma.tolerans_tkr) == (1, 1)
    assert (r.total.summa_tkr, r.total.differens_tkr, r.total.tolerans_tkr) == (3317868, -1, 6)
    assert r.upprakning_tkr == Decimal("68753.366")            # 3 125 153 × 2,2 % för hand


def test_brygga_cli(kor):
    k = kor("brygga")
    assert k.kod == 0
    assert "stämmer inom avrundning: differens −1 tkr, tolerans 6 tkr" in k.ut
    j = json.loads(kor("brygga", "--format", "json").ut)
    assert (j["fran_tkr"], j["index"], j["upprakning_tkr"], j["delsumma_angiven_tkr"]) == (
        "3125153", "0.022", "68753.366", "3193907")
    assert (j["summa_tryckta_tkr"], j["angiven_tkr"], j["differens_tkr"], j["stammer"]) == (
        "3317868", "3317867", "-1", True)
    assert len(j["justeringar"]) == 11


def test_reumatologi_med_plustecken_stammer_inte_och_namnges(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "belopp_tkr: -4396", "belopp_tkr: 4396")
    k = kor("brygga", "--uppdrag", p)
    assert k.kod == 1
    assert "Reumatologi - slutreglering mellan sjukhusen" in k.ut and "omvänt tecken" in k.ut
    assert kor("kontrollera", "--uppdrag", p).kod == 1
    j = json.loads(kor("brygga", "--uppdrag", p, "--format", "json").ut)
    assert j["stammer"] is False and j["differens_tkr"] == str(3317867 - 3317868 - 2 * 4396)


def test_omkastade_siffror_ger_ledtrad(kor, tmp_path):
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "belopp_tkr: 45919", "belopp_tkr: 45991")
    k = kor("brygga", "--uppdrag", p)
    assert k.kod == 1
    assert "45 991 med två siffror omkastade (45 919)" in k.ut


def test_anmarkningarna_ur_dokumenten_visas(kor):
    assert "Ersättning uppdrag 2025" in kor("kontrollera").ut


def test_kontrollera_som_csv(kor):
    k = kor("kontrollera", "--format", "csv")
    assert k.kod == 0
    rader = k.ut.strip().splitlines()
    assert rader[0] == "namn,ok,meddelande,plats,varde,differens,enhet"
    assert any(r.startswith("SV: Bryggan: Uppdrag 2026,ja,") and ",3317867,-1,tkr" in r for r in rader)
