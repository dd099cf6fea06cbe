"""regelboken §10: indikatorer bedömda per uppföljningstillfälle."""

import json
from decimal import Decimal

import pytest

from vgr_ersattning.kalkyl.uppfoljning import (
    EJ_BEDOMBART,
    EJ_UPPFYLLT,
    INFORMATION,
    SAKNAR_UTFALL,
    UPPFYLLT,
    Period,
    bedom,
    kalender,
    tolka_period,
)


def ind(sv, iid):
    return sv.indikatorer.lista[iid]


@pytest.mark.parametrize("iid,varde,status", [
    ("ambulans_prio1a_20_min", Decimal("90"), UPPFYLLT),          # minst 90: vid gränsen
    ("ambulans_prio1a_20_min", Decimal("90.01"), UPPFYLLT),
    ("ambulans_prio1a_20_min", Decimal("89.99"), EJ_UPPFYLLT),
    ("belaggningsgrad_somatik", Decimal("90"), UPPFYLLT),         # högst 90: "≤ 90 %" gäller vid 90
    ("belaggningsgrad_somatik", Decimal("89.9"), UPPFYLLT),
    ("belaggningsgrad_somatik", Decimal("90.1"), EJ_UPPFYLLT),
    ("aterinlaggningar_65", Decimal("8.5"), UPPFYLLT),
    ("aterinlaggningar_65", Decimal("8.51"), EJ_UPPFYLLT),
    ("hyrpersonal_andel", Decimal("2"), UPPFYLLT),                # "max 2 %"
    ("hyrpersonal_andel", Decimal("2.01"), EJ_UPPFYLLT),
    ("forstarkningspersonal_iva", Decimal("14"), UPPFYLLT),
    ("forstarkningspersonal_iva", Decimal("13"), EJ_UPPFYLLT),
    ("forstarkt_iva_beredskapsplan", "Ja", UPPFYLLT),
    ("forstarkt_iva_beredskapsplan", "Nej", EJ_UPPFYLLT),
    ("ambulans_prio1a_20_min", None, SAKNAR_UTFALL),
])
def test_varje_typ_vid_over_och_under_gransen(sv, iid, varde, status):
    assert bedom(ind(sv, iid), varde) == status


def test_ska_oka_och_ska_minska(sv):
    i = ind(sv, "digitala_vardmoten")
    assert bedom(i, Decimal(120), Decimal(100)) == UPPFYLLT
    assert bedom(i, Decimal(100), Decimal(100)) == EJ_UPPFYLLT
    assert bedom(i, Decimal(120), None) == EJ_BEDOMBART
    minska = i.model_copy(update={"typ": "ska_minska"})
    assert bedom(minska, Decimal(90), Decimal(100)) == UPPFYLLT


def test_information(sv):
    assert bedom(ind(sv, "barnlogopedi_patienter"), Decimal(5)) == INFORMATION


def test_perioder():
    assert tolka_period("2026-08") == Period(2026, "manad", 8)
    assert tolka_period("2026-T2") == Period(2026, "tertial", 2)
    assert tolka_period("2026") == Period(2026, "ar")
    assert tolka_period("2026-13") is None and tolka_period("2026-T4") is None
    assert Period(2026, "manad", 1).foregaende() == Period(2025, "manad", 12)
    assert Period(2026, "tertial", 1).foregaende() == Period(2025, "tertial", 3)


def test_kalendern_listar_manatliga_tolv_ganger(sv):
    kal = kalender(sv.indikatorer.lista, 2026)
    assert len(kal) == 16
    forekomster = sum(1 for _, ider in kal if "belaggningsgrad_somatik" in ider)
    assert forekomster == 12
    assert "st_a_sidotjanstgoring" in dict((str(p), i) for p, i in kal)["2026-T2"]


UTFALL = """utforare: SV
ar: 2026
produktion:
  somatik.operation.allman_kirurgi: {2026-01: 550, 2026-02: 550, 2026-03: 550, 2026-04: 550, 2026-05: 550,
                                      2026-06: 550, 2026-07: 550, 2026-08: 550}
indikatorer:
  ambulans_prio1a_20_min: {2026-08: 91.5}
  belaggningsgrad_somatik: {2026-07: 88.4, 2026-08: 92.1}
  belaggningsgrad_psykiatri: {2026-08: 90}
  egenmonitorering: {2026-07: 140, 2026-08: 151}
  digitala_vardmoten: {2026-08: 12.5}
  forstarkt_iva_beredskapsplan: {2026: Ja}
"""


def test_augusti_2026(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(UTFALL)
    k = kor("uppfoljning", "--utfall", f, "--period", "2026-08", "--format", "json")
    assert k.kod == 0, k
    j = json.loads(k.ut)
    assert j["period"] == "2026-08"
    status = {i["id"]: i["status"] for i in j["indikatorer"]}
    assert status == {
        "ambulans_prio1a_20_min": "uppfyllt", "tillganglighet_maluppfyllelse": "ej_uppfyllt",
        "egenmonitorering": "uppfyllt", "belaggningsgrad_somatik": "ej_uppfyllt",
        "belaggningsgrad_psykiatri": "uppfyllt", "digitala_vardmoten": "ej_bedombart"}
    assert set(j["indikatorer"][0]) >= {"id", "namn", "period", "typ", "malvarde", "utfall", "status"}
    # Måluppfyllelsen räknas ur produktionen: 4 400 utförda mot planen 81 739 × 8/12.
    mal = next(i for i in j["indikatorer"] if i["id"] == "tillganglighet_maluppfyllelse")
    # 4 400 / 54 492,67 = 8,074481 % (för hand, sex decimaler)
    assert mal["utfall"] == "8.074481"
    t = kor("uppfoljning", "--utfall", f, "--period", "2026-08")
    assert "3 av 6 uppfyllda, 1 ej bedömbar" in t.ut


def test_standardperioden_ar_den_senaste(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(UTFALL)
    j = json.loads(kor("uppfoljning", "--utfall", f, "--format", "json").ut)
    assert j["period"] == "2026"


def test_kalender_cli(kor):
    k = kor("uppfoljning", "--kalender", "-u", "SV", "--format", "csv")
    assert k.kod == 0
    rader = k.ut.strip().splitlines()
    assert sum(1 for r in rader if ",belaggningsgrad_somatik," in r) == 12


def test_felaktiga_indikatorvarden(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text("utforare: SV\nar: 2026\nindikatorer:\n"
                 "  okand_indikator: {2026-08: 1}\n"
                 "  belaggningsgrad_somatik: {2026-14: 88, 2027-01: 80, 2026-07: hög}\n"
                 "  forstarkt_iva_beredskapsplan: {2026: ja}\n"
                 "  tillganglighet_maluppfyllelse: {2026-08: 100}\n")
    k = kor("uppfoljning", "--utfall", f)
    assert k.kod == 2
    rader = k.fel.strip().splitlines()
    assert len(rader) == 6, rader
    assert rader[0].endswith("u.yaml:4:3: indikatorer.okand_indikator: okänd indikator 'okand_indikator' för SV")
    assert "2026-14 finns inte" in rader[1] and "utanför uppdragsåret" in rader[2]
    assert "'hög' är inte ett tal" in rader[3] and "ska vara Ja eller Nej" in rader[4]
    assert "räknas fram ur produktionen" in rader[5]
