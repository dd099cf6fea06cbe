"""Regelboken §19: månadens utbetalning mot det som betalats (utbetalningsjournalen)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROT
from vgr_ersattning.kalkyl.utbetalning import berakna, ratt_hittills, utbetala

OP = "somatik.operation.allman_kirurgi"   # bas 3 543, tillägg 3 057, 35 795 kr
EX = ROT / "examples"


def _csv(tmp_path, namn, rader: dict[str, dict[int, int]]):
    f = tmp_path / namn
    f.write_text("utforare,rad,manad,antal\n" + "".join(
        f"SV,{rid},2026-{m:02d},{n}\n" for rid, man in rader.items() for m, n in man.items()), encoding="utf-8")
    return f


def _boka(kor, journal, utfall, *manader):
    for m in manader:
        k = kor("utbetala", "--manad", f"2026-{m:02d}", "--utfall", utfall, "--journal", journal, "--bokfor", "-f", "json")
        assert k.kod == 0, k


def test_julirevision_under_basen_ger_negativ_septemberutbetalning(kor, tmp_path):
    """Augustiuttaget: 3 600 operationer i juli → 57 ersatta (2 040 315 kr), bokfört t.o.m. augusti.
    Septemberuttaget reviderar juli till 3 500, under basen 3 543, och har inget i augusti–september:
    rätten blir 0 och september betalar −57 × 35 795 = −2 040 315 kr (en kreditering)."""
    aug = _csv(tmp_path, "aug.csv", {OP: {7: 3600, 8: 0}})
    sep = _csv(tmp_path, "sep.csv", {OP: {7: 3500, 8: 0, 9: 0}})
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, aug, *range(1, 9))
    j = json.loads(kor("utbetala", "--manad", "2026-09", "--utfall", sep, "--journal", journal, "-f", "json").ut)
    rad = next(r for r in j["rader"] if r["id"] == f"tillagg:{OP}")
    assert (rad["ratt_hittills_kr"], rad["betalt_fore_kr"], rad["belopp_kr"], rad["kreditering"]) == (
        "0", "2040315", "-2040315", True)
    assert j["tillagg_kr"] == "-2040315" and j["anslag_kr"] == "276488917"
    assert j["summa_kr"] == str(276488917 - 2040315) and j["betalt_enligt"] == "journal"


def test_exemplen_augusti_bokford_september_med_revision(kor, tmp_path):
    """Examples: januari–augusti bokförda ur augustiuttaget; septemberuttaget sänker juli för kardiologins
    operationer med 14 och har 0 i september: 45 ersatta blir 31, −14 × 35 795 = −501 130 kr."""
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, EX / "produktion_2026.csv", *range(1, 9))
    j = json.loads(kor("utbetala", "--manad", "2026-09", "--utfall", EX / "produktion_2026_september.csv",
                       "--journal", journal, "-f", "json").ut)
    rader = {r["id"]: r for r in j["rader"]}
    assert rader["tillagg:somatik.operation.kardiologi"]["belopp_kr"] == "-501130"
    ratt = sum(Decimal(r["ratt_hittills_kr"]) for i, r in rader.items() if i.startswith("tillagg:"))
    betalt = sum(Decimal(r["betalt_fore_kr"]) for i, r in rader.items() if i.startswith("tillagg:"))
    assert Decimal(j["tillagg_kr"]) == ratt - betalt
    t = kor("utbetala", "--manad", "2026-09", "--utfall", EX / "produktion_2026_september.csv", "--journal", journal)
    assert "(kreditering)" in t.ut and "kreditering" in t.ut


def test_en_bokford_manad_bokfors_inte_igen_och_journalen_ar_orord(kor, tmp_path):
    aug = _csv(tmp_path, "aug.csv", {OP: {1: 4000, 4: 0}})
    journal = tmp_path / "journal.txt"
    _boka(kor, journal, aug, 1, 2)
    fore = journal.read_bytes()
    k = kor("utbetala", "--manad", "2026-02", "--utfall", aug, "--journal", journal, "--bokfor")
    assert k.kod == 2 and "2026-02 är redan bokförd" in k.fel
    assert journal.read_bytes() == fore
    lucka = kor("utbetala", "--manad", "2026-04", "--utfall", aug, "--journal", journal, "--bokfor")
    assert lucka.kod == 2 and "bokförd t.o.m. 2026-02" in lucka.fel
    assert journal.read_bytes() == fore
    assert kor("kontrollera", "--journal", journal).kod == 0


def test_utan_journal_ar_betalt_ratten_manaden_fore(kor, tmp_path):
    utfall = _csv(tmp_path, "u.csv", {OP: {1: 3600, 2: 100}})
    j = json.loads(kor("utbetala", "--manad", "2026-02", "--utfall", utfall, "-f", "json").ut)
    assert j["betalt_enligt"] == "berakning"
    rad = next(r for r in j["rader"] if r["id"] == f"tillagg:{OP}")
    # 3 600 → 57 ersatta i januari, 3 700 → 157 i februari: februari betalar 100 × 35 795.
    assert (rad["betalt_fore_kr"], rad["belopp_kr"]) == ("2040315", "3579500")
    t = kor("utbetala", "--manad", "2026-02", "--utfall", utfall)
    assert "Ingen journal" in t.ut


def test_kontrollera_journal_hittar_fel_summa(kor, tmp_path):
    j = tmp_path / "j.txt"
    j.write_text("# Utbetalningsjournal – vgr-ersattning\n# utförare: SV\n# år: 2026\n\nmanad: 2026-01\n"
                 "  korning: 2026-01-25\n  anslag: 1\n  summa: 2\n", encoding="utf-8")
    k = kor("kontrollera", "--journal", j)
    assert k.kod == 1 and "summan 2 stämmer inte med komponenterna" in k.fel


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2500), min_size=12, max_size=12), min_size=1, max_size=12))
def test_bokforda_utbetalningar_summerar_till_sista_ratten(uppdrag, priser, uttag):
    """För varje följd av uttag som bokförs månad för månad (varje uttag reviderar alla månader) är
    summan av det bokförda per komponent rätten hittills i den sista månaden."""
    betalt: dict[str, Decimal] = {}
    for m, prod in enumerate(uttag, start=1):
        b = berakna(uppdrag, priser, "SV", {OP: prod, "somatik.forstabesok.hud": prod[::-1]}, None, m)
        for k in utbetala(b, m, dict(betalt)).komponenter:
            betalt[k.komponent] = betalt.get(k.komponent, Decimal(0)) + k.belopp_kr
    assert betalt == ratt_hittills(b, len(uttag))
