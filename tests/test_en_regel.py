"""En regel på ett ställe, en pipeline som alltid validerar, siffror med källor (forklara).

Varje fall här är något som en gång gav en tyst fel siffra: scenario och berakna räknade §4 var för
sig, berakna räknade på en uppdragsfil som fallerade §3, och en prisfil för ett annat år godtogs.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PRISER_FIL, ROT, UPPDRAG_FIL, andrad_kopia

OP = "somatik.operation.allman_kirurgi"
EXEMPEL = ROT / "examples"


def _csv(tmp_path: Path, rader: dict[str, dict[int, int]], namn: str = "p.csv") -> Path:
    f = tmp_path / namn
    f.write_text("utforare,rad,manad,antal\n" + "".join(
        f"SV,{rid},2026-{m:02d},{n}\n" for rid, manader in rader.items() for m, n in manader.items()), encoding="utf-8")
    return f


def _periodiserad(tmp_path: Path) -> Path:
    return andrad_kopia(tmp_path, UPPDRAG_FIL, "basmodell: arsbas ", "basmodell: periodiserad ")


# --- scenario och berakna räknar med samma §4 -------------------------------------------------------


def test_scenario_foljer_periodiserad_bas_som_berakna(kor, tmp_path):
    """Basmodell periodiserad, bas −100 på allmän kirurgi, 2 500 operationer t.o.m. mars.
    För hand: basen t.o.m. mars är 3 543 × 3/12 = 885,75 mot 3 443 × 3/12 = 860,75, alltså 25 fler
    ersatta operationer: 25 × 35 795 kr = 894 875 kr."""
    uppdrag = _periodiserad(tmp_path)
    utfall = _csv(tmp_path, {OP: {1: 1000, 2: 1000, 3: 500}})
    s = kor("scenario", "--uppdrag", uppdrag, "--andra", f"{OP}.bas=-100", "--utfall", utfall, "-f", "json")
    assert s.kod == 0, s
    r = json.loads(s.ut)["scenarier"][0]
    assert (r["forandring_plan_kr"], r["forandring_utfall_kr"]) == ("0", "894875")
    # Samma ändring som en uppdragsfil (bas och uppdrag −100 på raden och i summorna) i berakna.
    text = uppdrag.read_text(encoding="utf-8")
    for gammalt, nytt in (("uppdrag: 6600, bas: 3543", "uppdrag: 6500, bas: 3443"),
                          ("somatik.operation: {uppdrag: 17880, bas: 11880", "somatik.operation: {uppdrag: 17780, bas: 11780"),
                          ("somatik: {uppdrag: 77190, bas: 56502", "somatik: {uppdrag: 77090, bas: 56402"),
                          ("totalsumma: {uppdrag: 81739, bas: 59297", "totalsumma: {uppdrag: 81639, bas: 59197")):
        assert text.count(gammalt) == 1
        text = text.replace(gammalt, nytt)
    andrad = tmp_path / "andrad.yaml"
    andrad.write_text(text, encoding="utf-8")
    fore = json.loads(kor("berakna", "--uppdrag", uppdrag, "--utfall", utfall, "-f", "json").ut)["tillagg"]["summa_kr"]
    efter = json.loads(kor("berakna", "--uppdrag", andrad, "--utfall", utfall, "-f", "json").ut)["tillagg"]["summa_kr"]
    assert Decimal(efter) - Decimal(fore) == 894875


def test_saknat_pris_stoppar_scenario_och_berakna(kor, tmp_path):
    priser = andrad_kopia(tmp_path, PRISER_FIL, "per_utforare: {SV: 4459, ", "per_utforare: {")
    for kommando in (("scenario", "--andra", f"{OP}.tillagg=+10"), ("berakna",)):
        k = kor(*kommando, "--priser", priser)
        assert k.kod == 1, k
        assert "priskategorin 'kologastro' har inget pris för SV" in k.fel
        assert re.search(r"priser_2026\.yaml:\d+:\d+: ", k.fel)
        assert k.ut == ""


def test_uppdrag_som_fallerar_paragraf_3_stoppar_berakningar(kor, tmp_path):
    uppdrag = andrad_kopia(tmp_path, UPPDRAG_FIL, "uppdrag: 5500, bas: 3858", "uppdrag: 5500, bas: 3859")
    for kommando in (("berakna",), ("scenario", "--andra", f"{OP}.tillagg=+10")):
        k = kor(*kommando, "--uppdrag", uppdrag)
        assert k.kod == 1, k
        assert re.search(r"uppdrag_2026\.yaml:\d+:\d+: somatik\.forstabesok\.hud: bas \+ tillägg \(5 501\) ≠ uppdrag \(5 500\)",
                         k.fel)
        assert k.ut == ""
    # Bryggan bygger inte på volymtabellen: den visas, och felet blir en varning.
    b = kor("brygga", "--uppdrag", uppdrag)
    assert b.kod == 0 and "varning:" in b.fel and "5 501" in b.fel


def test_prisfil_for_ett_annat_ar_vagras(kor, tmp_path):
    priser = andrad_kopia(tmp_path, PRISER_FIL, "ar: 2026", "ar: 2027")
    k = kor("berakna", "--priser", priser)
    assert k.kod == 1
    assert "prisfilen gäller 2027 ≠ uppdragsåret 2026" in k.fel


def test_giltigheten_maste_omfatta_aret(kor, tmp_path):
    text = UPPDRAG_FIL.read_text(encoding="utf-8")
    assert text.index('till: "2027-12-31"') < text.index("\n  RH:")      # SV står först
    uppdrag = tmp_path / "uppdrag.yaml"
    uppdrag.write_text(text.replace('till: "2027-12-31"', 'till: "2025-12-31"', 1), encoding="utf-8")
    k = kor("berakna", "--uppdrag", uppdrag)
    assert k.kod == 1 and "som inte omfattar uppdragsåret 2026" in k.fel


# --- antagandena finns bara i datan --------------------------------------------------------------


def test_inga_belopp_eller_antagandetexter_i_koden():
    kod = "\n".join(p.read_text(encoding="utf-8") for p in (ROT / "src").rglob("*.py"))
    for text in ("2 503", "2,70", "35 795", "3 317 867"):
        assert text not in kod, text


def test_json_listar_antagandena_som_planen_beror_pa(kor):
    j = json.loads(kor("berakna", "-f", "json").ut)
    assert j["antaganden"] == ["A1", "A2"]   # A1 psykiatrins priser, A2 när tillägget betalas per månad


def test_hjalpen_visar_antagandena_ur_datan(kor):
    k = kor("berakna", "--help")
    assert "A2:" in k.ut and "årsbas" in k.ut and "A5:" in k.ut


# --- en tabell stämmer med sig själv -------------------------------------------------------------


def _tal(text: str) -> int:
    return int(text.replace(" ", "").replace("−", "-"))


def test_planens_manader_summerar_till_summaraden(kor):
    ut = kor("berakna").ut
    manader = re.findall(r"^(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
                         r"\s+([\d ]+?)\s{2,}([\d ]+?)\s{2,}([\d ]+)\s*$", ut, re.M)
    assert len(manader) == 12
    summa = re.search(r"^Summa\s+([\d ]+?)\s{2,}([\d ]+?)\s{2,}([\d ]+)\s*$", ut, re.M)
    assert sum(_tal(m[2]) for m in manader) == _tal(summa.group(2)) == 263497958
    assert sum(_tal(m[1]) for m in manader) == _tal(summa.group(1)) == 3317867000
    j = json.loads(kor("berakna", "-f", "json").ut)
    assert sum(Decimal(m["belopp_kr"]) for m in j["tillagg"]["manader"]) == Decimal(j["tillagg"]["summa_kr"])


@pytest.mark.parametrize("bredd", [60, 80, 120])
def test_inget_tal_kapas_i_ett_smalt_fonster(bredd, tmp_path, monkeypatch):
    """2 211 911 336 (anslaget t.o.m. augusti) och −1 953 000 visades som `2 211 911 33` och `−1 953 0`."""
    from typer.testing import CliRunner

    from vgr_ersattning.cli import app

    utfall = _csv(tmp_path, {OP: {1: 3000, 2: 3000, 8: 1}, "somatik.forstabesok.hud": {1: 4000, 2: 1000}})
    revision = _csv(tmp_path, {"somatik.forstabesok.hud": {3: 0}}, "r.csv")
    res = CliRunner().invoke(app, ["berakna", "--utfall", str(utfall), "--utfall", str(revision)],
                             env={"COLUMNS": str(bredd)})
    assert res.exit_code == 0, res.stdout + res.stderr
    j = json.loads(CliRunner().invoke(app, ["berakna", "--utfall", str(utfall), "--utfall", str(revision), "-f",
                                            "json"]).stdout)
    from vgr_ersattning.pengar import svensk

    tal = [svensk(Decimal(j["anslag"]["utbetalt_kr"]))] + [svensk(Decimal(r["belopp_kr"])) for r in j["tillagg"]["rader"]]
    tal += [svensk(Decimal(m["belopp_kr"])) for m in j["tillagg"]["manader"]]
    for t in tal:
        assert re.search(rf"(?<!\d)(?<!\d ){re.escape(t)}(?!\d)(?! \d)", res.stdout), (bredd, t)
    assert all(len(rad) <= bredd for rad in res.stdout.splitlines())


# --- forklara ----------------------------------------------------------------------------------------


def test_forklara_en_rad_med_formel_och_kallor(kor, tmp_path):
    utfall = _csv(tmp_path, {OP: {1: 4000, 2: 3000}})
    k = kor("forklara", OP, "--utfall", utfall)
    assert k.kod == 0, k
    assert "min(max(7 000 − 3 543, 0), 3 057) = 3 057" in k.ut
    assert "belopp = ersatta × pris = 3 057 × 35 795 = 109 425 315 kr" in k.ut
    assert re.search(r"data/uppdrag_2026\.yaml:\d+:\d+", k.ut) and re.search(r"data/priser_2026\.yaml:\d+:\d+", k.ut)
    assert "p.csv:2" in k.ut                      # utfallsfilens rad
    assert "operativa hälso- och sjukvårdsnämnden 2025-09-25 § 293" in k.ut
    assert "Antagande A2" in k.ut
    j = json.loads(kor("forklara", OP, "--utfall", utfall, "-f", "json").ut)
    nod = j["forklaring"]
    assert nod["varde"] == "109425315" and nod["regel"] == "regelboken §4"
    ersatta, pris = nod["delar"]
    assert ersatta["varde"] == "3057" and pris["varde"] == "35795"
    assert pris["plats"].startswith("data/priser_2026.yaml:") and "§ 293" in pris["kalla"]
    assert [a["id"] for a in j["antaganden"]] == ["A2"]


@pytest.mark.parametrize("figur, utfall, varde", [
    ("tillagg", "examples/produktion_2026.csv", None),
    ("anslag.2026-12", None, "276488913"),
    ("anslag.2026-01", None, "276488917"),
    ("utbetalning.2026-08", "examples/utfall_2026.yaml", None),
    ("summa", "examples/utfall_2026.yaml", None),
    ("avrakning.lakemedelsleveranser.2026-04", "examples/utfall_2026.yaml", None),
    ("brygga", None, "-1"),
    ("malrelaterad.2026-Q2", "examples/rh_2026.yaml", "641250"),
    ("belaggningsgrad_somatik", "examples/utfall_2026.yaml", None),
])
def test_forklara_varje_slag_av_siffra(kor, figur, utfall, varde):
    args = ["forklara", figur, "-f", "json"] + (["--utfall", ROT / utfall] if utfall else [])
    k = kor(*args)
    assert k.kod == 0, k
    nod = json.loads(k.ut)["forklaring"]
    if varde is not None:
        assert nod["varde"] == varde
    assert nod["regel"] and nod["formel"]

    def platser(n):
        yield n["plats"]
        for d in n["delar"]:
            yield from platser(d)
    alla = [p for p in platser(nod) if p]
    assert alla, "ingen källa i trädet"
    assert not any(p.startswith("/") or "site-packages" in p for p in alla)


def test_forklara_lista_och_okand_figur(kor):
    k = kor("forklara", "--lista")
    assert k.kod == 0 and "anslag.2026-12" in k.ut and OP in k.ut
    fel = kor("forklara", "finns.inte")
    assert fel.kod == 2 and "forklara --lista" in fel.fel


def test_berakna_json_rader_bar_kalla_och_plats(kor):
    j = json.loads(kor("berakna", "-f", "json").ut)
    rad = next(r for r in j["tillagg"]["rader"] if r["id"] == OP)
    assert re.fullmatch(r"data/uppdrag_2026\.yaml:\d+:\d+", rad["plats"])
    assert "Produktionsvolymerna egen regi" in rad["kalla"]


def test_antaganden_listar_var_de_verkar(kor):
    k = kor("antaganden", "-f", "json")
    j = {a["id"]: a for a in json.loads(k.ut)["antaganden"]}
    assert set(j) == {f"A{i}" for i in range(1, 18)}
    assert len(j["A1"]["platser"]) == 4          # psykiatrins utredning och behandling, BUP och VUP


def test_orimliga_belopp_och_volymer_i_datafilerna_vagras_i_stallet_for_att_avrundas(kor, tmp_path):
    """Ett pris med 29 nior gav ett avrundat belopp i JSON (28 siffrors precision); nu en rad och slutkod 2."""
    priser = andrad_kopia(tmp_path, PRISER_FIL, "pris_kr: 35795", "pris_kr: 99999999999999999999999999999")
    k = kor("berakna", "--priser", priser, "-f", "json")
    assert k.kod == 2 and k.ut == ""
    assert re.search(r"priser_2026\.yaml:\d+:\d+: tillagg\.behandling\.pris_kr: 99999999999999999999999999999 är "
                     r"orimligt stort", k.fel)
    uppdrag = andrad_kopia(tmp_path, UPPDRAG_FIL, "bas: 3543, tillagg: 3057", "bas: 3543, tillagg: " + "3" * 30)
    k = kor("berakna", "--uppdrag", uppdrag)
    assert k.kod == 2 and "somatik.operation.allman_kirurgi.tillagg: får vara högst" in k.fel
