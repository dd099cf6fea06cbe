"""Issue 17: scenariobatchar som strömmas. Samma text som när alla resultat hålls och renderas på en
gång, samma resultat som när varje scenario räknas ensamt, och inget skrivs när indata har fel."""

from __future__ import annotations

import gc
import io
import json
import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vgr_ersattning.cli import app
from vgr_ersattning.kalkyl.scenario import Andrat, Andring, Resultatblock, Scenario, Scenariomotor, Scenarioresultat
from vgr_ersattning.kommandon.rapporter import Scenariorapport
from vgr_ersattning.utskrift import Utdata as Strommad
from vgr_ersattning.visning import Rapport, csvformat, jsonformat
from vgr_ersattning.visning.strom import Scenarioskrivare

OP = "somatik.operation.allman_kirurgi"
HUD = "somatik.forstabesok.hud"
RADER = [OP, HUD, "psykiatri.utredning.vup", "somatik.undersokning.koloskopi", "somatik.operation.urologi",
         "psykiatri.behandling.bup"]


class _Fil:
    """En `Strommad` i minnet."""

    def __init__(self):
        self.buf = io.BytesIO()

    def write(self, data: bytes) -> None:
        self.buf.write(data)

    def borja_om(self) -> None:
        self.buf = io.BytesIO()


def _strommat(format: str, dialekt: str, resultat) -> str:
    fil = _Fil()
    skrivare = Scenarioskrivare(format, dialekt, fil)
    for r in resultat:
        skrivare.skriv(r)
    skrivare.klar()
    return fil.buf.getvalue().decode("utf-8")


def _hallet(format: str, dialekt: str, resultat, med_utfall: bool = False) -> str:
    rapport = Rapport(Scenariorapport("SV", list(resultat), Decimal(3000000), med_utfall), csv_dialekt=dialekt)
    return (jsonformat if format == "json" else csvformat).scenario(rapport)


# --- renderingen: strömmad text = hela listan renderad på en gång -------------------------------------

_belopp = st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_andrat = st.one_of(
    st.builds(Andrat, st.sampled_from(RADER), st.sampled_from(["bas", "tillagg"]), st.integers(0, 10**7),
              st.integers(0, 10**7)),
    st.builds(Andrat, _text, st.just("pris"), _belopp, _belopp))
_resultat = st.builds(Scenarioresultat, _text, st.lists(_andrat, max_size=4).map(tuple), _belopp,
                      st.one_of(st.none(), _belopp), st.just(Decimal(3000000)))


@settings(max_examples=150, deadline=None)
@given(st.lists(_resultat, max_size=1100), st.sampled_from([("json", "maskin"), ("csv", "maskin"), ("csv", "excel")]))
def test_strommad_text_ar_densamma_som_hela_listan(resultat, format_dialekt):
    format, dialekt = format_dialekt
    assert _strommat(format, dialekt, resultat) == _hallet(format, dialekt, resultat)


def test_fler_andringar_an_textminnet_rymmer(monkeypatch):
    """Texten före "till" minns för högst MAX_BORJAN (id, falt, fran); när minnet är fullt börjar det om
    och texten är densamma."""
    from vgr_ersattning.visning import strom

    monkeypatch.setattr(strom, "MAX_BORJAN", 2)
    resultat = [Scenarioresultat(f"s{i}", (Andrat(RADER[i % 6], "bas", i, i + 1), Andrat("besok", "pris",
                                                                                       Decimal("2503.5"), Decimal(i))),
                                 Decimal(i) / 4, Decimal(-i), Decimal(3000000)) for i in range(20)]
    for format, dialekt in (("json", "maskin"), ("csv", "maskin")):
        assert _strommat(format, dialekt, resultat) == _hallet(format, dialekt, resultat)


def test_borja_om_kastar_det_skrivna():
    r = Scenarioresultat("a", (Andrat(OP, "bas", 1, 2),), Decimal(5), None, Decimal(3000000))
    fil = _Fil()
    skrivare = Scenarioskrivare("json", "maskin", fil)
    for _ in range(600):
        skrivare.skriv(r)
    skrivare.borja_om()
    skrivare.skriv(r)
    skrivare.klar()
    assert fil.buf.getvalue().decode() == _hallet("json", "maskin", [r])


# --- hela kommandot ---------------------------------------------------------------------------------


def _kor(*args, input=None):
    res = CliRunner().invoke(app, [str(a) for a in args], input=input)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"oväntat undantag: {res.exception!r}") from res.exception
    assert "Traceback" not in res.stderr
    return res


def _csv(rader) -> str:
    return "namn,id,falt,satt,andra\n" + "".join(f"{n},{i},{f},{s},{a}\n" for n, i, f, s, a in rader)


_andring = st.tuples(st.sampled_from(RADER), st.sampled_from(["bas", "tillagg"]),
                     st.one_of(st.tuples(st.just("satt"), st.integers(0, 9000)),
                               st.tuples(st.just("andra"), st.integers(-3000, 3000))))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_andring, min_size=1, max_size=5), min_size=1, max_size=40),
       st.lists(st.tuples(st.sampled_from(["besok", "kologastro.SV", "behandling"]), st.integers(0, 90000)),
                max_size=1))
def test_batchen_ger_samma_som_varje_scenario_ensamt(sv, priser, tmp_path_factory, batch, pris):
    """Strömmad JSON och CSV ur en CSV-fil = varje scenario räknat ensamt med en ny motor (eller samma
    fel), renderat på en gång."""
    rader, scenarier = [], []
    for i, andringar in enumerate(batch):
        a = []
        for rid, falt, (slag, v) in andringar:
            rader.append((f"s{i}", rid, falt, v if slag == "satt" else "", f"{v:+d}" if slag == "andra" else ""))
            a.append(Andring(rid, falt, **{slag: v}))
        if i == 0:
            for kategori, kr in pris:
                rader.append((f"s{i}", kategori, "pris", kr, ""))
                a.append(Andring(kategori, "pris", satt=kr))
        scenarier.append(Scenario(f"s{i}", tuple(a)))
    fil = tmp_path_factory.mktemp("s") / "s.csv"
    fil.write_text(_csv(rader))
    res = _kor("scenario", "--scenariofil", fil, "--format", "json")
    try:
        ensamma = [Scenariomotor(sv.volymer, priser, "SV", sv.delegation.grans_kr, regler=sv.tillagg).utvardera(s)
                   for s in scenarier]
    except ValueError:          # Scenariofel: en volym blir negativ
        assert res.exit_code == 2 and res.stdout == "" and "volymen blir negativ" in res.stderr
        return
    assert res.exit_code == 0, res.stderr
    assert res.stdout == _hallet("json", "maskin", ensamma)
    for dialekt in ("maskin", "excel"):
        res = _kor("scenario", "--scenariofil", fil, "--format", "csv", "--csv-dialekt", dialekt)
        assert res.stdout_bytes.decode("utf-8") == _hallet("csv", dialekt, ensamma)   # stdout gör om CRLF


def test_strommat_och_hallet_ger_samma_med_utfall(tmp_path):
    """Med utfall och med --som-beslut (som håller resultaten) blir JSON densamma."""
    fil = tmp_path / "s.csv"
    fil.write_text(_csv([("a", OP, "bas", "", "-200"), ("a", HUD, "tillagg", "", "+5"),
                         ("b", "besok", "pris", 2600, "")]))
    args = ("scenario", "--scenariofil", fil, "--utfall", "examples/produktion_2026.csv", "-f", "json")
    strommat = _kor(*args)
    hallet = _kor(*args, "--som-beslut", tmp_path / "utkast.yaml", "--fran", "2026-09")
    assert strommat.exit_code == hallet.exit_code == 0
    assert strommat.stdout == hallet.stdout
    assert json.loads(strommat.stdout)["scenarier"][0]["forandring_utfall_kr"] is not None


def test_ett_namn_som_aterkommer_bildar_ett_scenario_som_forut(tmp_path):
    """README:n: rader med samma namn bildar ett scenario, också när ett annat scenario står emellan
    (`test_scenario.py` prövar det också). Den strömmande läsningen börjar då om i minnet och ger samma
    som YAML-filen – även när namnet återkommer sist i en stor fil, och från standard in."""
    rader = [(f"s{i}", OP, "tillagg", "", "+1") for i in range(3000)] + [("s7", HUD, "bas", "", "-43")]
    fil = tmp_path / "s.csv"
    fil.write_text(_csv(rader))
    yaml = tmp_path / "s.yaml"
    yaml.write_text("".join(f"- namn: s{i}\n  andringar:\n    - {{id: {OP}, falt: tillagg, andra: 1}}\n"
                            + (f"    - {{id: {HUD}, falt: bas, andra: -43}}\n" if i == 7 else "")
                            for i in range(3000)))
    forvantat = _kor("scenario", "--scenariofil", yaml, "-f", "json")
    assert forvantat.exit_code == 0
    s7 = json.loads(forvantat.stdout)["scenarier"][7]
    assert [a["id"] for a in s7["andringar"]] == [OP, HUD]
    assert _kor("scenario", "--scenariofil", fil, "-f", "json").stdout == forvantat.stdout
    assert _kor("scenario", "--scenariofil", "-", "-f", "json", input=fil.read_bytes()).stdout == forvantat.stdout
    ut = tmp_path / "ut.json"
    assert _kor("scenario", "--scenariofil", fil, "-f", "json", "--ut", ut).exit_code == 0
    assert ut.read_text() == forvantat.stdout


def _filer(katalog) -> list[str]:
    return sorted(os.listdir(katalog))


@pytest.mark.parametrize("sista, fel", [
    ((f"s1999,{OP},tillagg,,1.5",), "s.csv:2002:"),                               # läsfel på sista raden
    ((f"s1999,{OP},tillagg,,-99999",), "s.csv:2002:"),                            # volymen blir negativ
    ((f"s1999,{OP},tillagg,,+1", "s1999,x,y"), "s.csv:2003:1: raden har 3 kolumner, rubriken 5"),
    ((f"s1999,{OP},tillagg,,+1", '"s2000,x'), "raden har 1 kolumner, rubriken 5"),  # citattecken som aldrig stängs
])
def test_ett_fel_sent_i_filen_lamnar_ingen_utfil_och_skriver_inga_resultat(tmp_path, sista, fel):
    fil = tmp_path / "s.csv"
    fil.write_text(_csv([(f"s{i}", OP, "tillagg", "", "+1") for i in range(2000)]) + "\n".join(sista) + "\n")
    ut = tmp_path / "ut" / "r.json"
    ut.parent.mkdir()
    for format in ("json", "csv"):
        res = _kor("scenario", "--scenariofil", fil, "-f", format, "--ut", ut)
        assert res.exit_code == 2 and fel in res.stderr, res.stderr
        assert _filer(ut.parent) == []              # ingen utfil och ingen temporär fil
        res = _kor("scenario", "--scenariofil", fil, "-f", format)
        assert res.exit_code == 2 and res.stdout == "" and fel in res.stderr


def test_felen_i_argumenten_och_i_filen_visas_tillsammans(tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text(_csv([("a", OP, "bas", "x", "")]))
    res = _kor("scenario", "--andra", f"{OP}.tillagg=+1.5", "--scenariofil", fil, "-f", "json")
    assert res.exit_code == 2 and res.stdout == ""
    assert "--andra" in res.stderr and "s.csv:2:" in res.stderr


def test_en_tom_scenariofil(tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text("namn,id,falt,satt,andra\n\n")
    for format in ("json", "tabell"):
        res = _kor("scenario", "--scenariofil", fil, "-f", format)
        assert res.exit_code == 2 and "ange minst en ändring" in res.stderr and res.stdout == ""


def test_utfilen_finns_redan_innan_nagot_lases(tmp_path):
    ut = tmp_path / "r.json"
    ut.write_text("gammal")
    res = _kor("scenario", "--scenariofil", tmp_path / "saknas.csv", "-f", "json", "--ut", ut)
    assert res.exit_code == 2 and "r.json finns redan" in res.stderr and "saknas" not in res.stderr
    assert ut.read_text() == "gammal"


def test_skrapsamlaren_ar_pa_efterat(tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text(_csv([("a", OP, "bas", "", "-1")]))
    assert _kor("scenario", "--scenariofil", fil, "-f", "csv").exit_code == 0
    assert gc.isenabled()


# --- den strömmade filen ------------------------------------------------------------------------------


def test_strommad_fil_syns_forst_nar_den_ar_klar(tmp_path):
    ut = tmp_path / "r.txt"
    with Strommad(ut) as f:
        f.write(b"abc")
        assert not ut.exists()
        f.borja_om()
        f.write(b"def")
    assert ut.read_bytes() == b"def" and _filer(tmp_path) == ["r.txt"]
    with pytest.raises(KeyboardInterrupt):
        with Strommad(tmp_path / "x.txt") as f:
            f.write(b"abc")
            raise KeyboardInterrupt
    assert _filer(tmp_path) == ["r.txt"]


_UTDATA_TILL_STANDARD_UT = """
import sys
from vgr_ersattning.utskrift import Utdata
u = Utdata(None)
sys.stdout.write("före ")          # text som redan skrivits kommer först
for i in range(int(sys.argv[1])):
    u.write(b"%07d,scenario\\n" % i)
u.publicera()
"""


@pytest.mark.parametrize("mal", ["fil", "tillagg", "pipe"])
def test_stor_utdata_till_standard_ut_ar_hela_texten(tmp_path, mal):
    """Mer än Utdata.I_MINNET (4 MiB) ligger på disk och går till standard ut med os.sendfile: till en
    fil, till en fil öppnad för tillägg (sendfile vägrar; blocken kopieras) och till en pipe ger det
    samma byte som skrevs, efter texten som skrevs före. 400 000 rader à 17 byte = 6,8 MB."""
    import subprocess
    import sys

    n = 400_000
    vantat = "före ".encode() + b"".join(b"%07d,scenario\n" % i for i in range(n))
    argv = [sys.executable, "-c", _UTDATA_TILL_STANDARD_UT, str(n)]
    if mal == "pipe":
        p = subprocess.run(argv, capture_output=True, check=True)
        assert p.stdout == vantat
        return
    ut = tmp_path / "ut.txt"
    if mal == "tillagg":
        ut.write_bytes(b"redan\n")
    with open(ut, "ab" if mal == "tillagg" else "wb") as f:
        subprocess.run(argv, stdout=f, check=True)
    assert ut.read_bytes() == (b"redan\n" if mal == "tillagg" else b"") + vantat


# --- block: ett Resultatblock skrivs som dess resultat ett i taget ----------------------------------

def _block_av(resultat, ordbok=None) -> Resultatblock:
    """Resultaten som ett block; ändringarnas (id, falt, fran) som koder i `ordbok` (som växer)."""
    ordbok = [] if ordbok is None else ordbok
    granser, kod, till = [0], [], []
    for r in resultat:
        for a in r.andringar:
            if tuple(a[:3]) not in ordbok:
                ordbok.append(tuple(a[:3]))
            kod.append(ordbok.index(tuple(a[:3])))
            till.append(a.till)
        granser.append(len(kod))
    plan = [r.forandring_plan_kr for r in resultat]
    return Resultatblock([r.namn for r in resultat], granser, kod, ordbok, till, plan,
                         [r.forandring_utfall_kr for r in resultat], [r.kraver_namndbeslut for r in resultat],
                         Decimal(3000000))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_resultat, max_size=40), max_size=4), st.lists(_resultat, max_size=3),
       st.sampled_from([("json", "maskin"), ("csv", "maskin"), ("csv", "excel")]))
def test_block_ger_samma_text_som_resultaten_ett_i_taget(block, enstaka, format_dialekt):
    """Block (också tomma, och med heltal som Decimal, decimaler och utfall; varannan med samma ordbok,
    vars texter skrivaren minns) blandade med enstaka resultat ger samma text som alla resultat ett i
    taget."""
    format, dialekt = format_dialekt
    fil = _Fil()
    skrivare = Scenarioskrivare(format, dialekt, fil)
    alla, ordbok = [], []
    for i, resultat in enumerate(block):
        skrivare.skriv_block(_block_av(resultat, ordbok if i % 2 else None))
        alla += resultat
        if i < len(enstaka):
            skrivare.skriv(enstaka[i])
            alla.append(enstaka[i])
    skrivare.klar()
    assert list(_block_av(alla).resultat()) == alla
    assert fil.buf.getvalue().decode("utf-8") == _hallet(format, dialekt, alla)
