"""`ersattning priser`: tabellen Priser 2026 och avståndet till det kalkylerade priset."""

from __future__ import annotations

import json
from decimal import Decimal


def test_drg_priset_per_sjukhus_mot_kalkylerat(kor):
    j = json.loads(kor("priser", "-f", "json").ut)
    drg = next(r for r in j["rader"] if r["id"] == "drg_pris_per_poang")
    assert drg["kalkylerat_kr"] == "54180"
    su = next(p for p in drg["priser"] if p["utforare"] == "SU")
    # 55 333 − 54 180 = 1 153 kr över; 1 153 / 54 180 = 0,021281 (2,1 %).
    assert (su["pris_kr"], su["differens_kr"], su["andel"]) == ("55333", "1153", "0.021281")
    sas = next(p for p in drg["priser"] if p["utforare"] == "SAS")
    assert sas["differens_kr"] == "-2383"                     # 51 797 − 54 180


def test_saknat_pris_ar_inget_pris_inte_noll(kor):
    j = json.loads(kor("priser", "-f", "json").ut)
    bup = next(r for r in j["rader"] if r["id"] == "bup_varddygn")
    sv = next(p for p in bup["priser"] if p["utforare"] == "SV")
    assert (sv["pris_kr"], sv["differens_kr"], sv["andel"]) == (None, None, None)
    t = kor("priser")
    assert t.kod == 0 and "+2,1 %" in t.ut and "Priser 2026" in t.ut


def test_priser_som_arbetsbok_har_samma_tal(kor, tmp_path):
    import openpyxl

    ut = tmp_path / "p.xlsx"
    assert kor("priser", "-f", "xlsx", "--ut", ut).kod == 0
    rader = [[c.value for c in r] for r in openpyxl.load_workbook(ut)["Priser"].iter_rows(min_row=3)]
    su = next(r for r in rader if r[1] == "DRG pris" and r[2] == "SU")
    assert su[3:6] == [55333, 54180, 1153] and Decimal(repr(su[6])) == Decimal("0.021281")
