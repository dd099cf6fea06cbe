"""Godtyckliga argumentvektorer och godtyckliga indatafiler för alla kommandon: de enda tillåtna
utfallen är slutkod 0, 1 eller 2, utan traceback (regelboken §12)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vgr_ersattning.cli import app

KOMMANDON = ["berakna", "kontrollera", "avrakning", "brygga", "malrelaterad", "uppfoljning", "scenario", "forklara",
             "antaganden"]
VAL = ["--utfall", "--uppdrag", "--priser", "--format", "-f", "--ut", "-u", "--utforare", "--till-och-med", "-t",
       "--period", "--kalender", "--satt", "--andra", "--pris", "--scenariofil", "--lista", "--help", "--version"]
VARDEN = ["SV", "rh", "XX", "", "tabell", "json", "csv", "xml", "2026-08", "2026-13", "2025-01", "2026-Q2", "2026-T2",
          "somatik.operation.allman_kirurgi.tillagg=+100", "besok=2600", "x.bas=1e40", "a=" + "9" * 5000,
          "somatik.operation.allman_kirurgi", "anslag.2026-12", "brygga", "malrelaterad.2026-Q2", "-", "--", "é",
          "FIL"]

INNEHALL = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "utforare,rad,manad,antal\nSV,somatik.operation.allman_kirurgi,2026-01,100\n",
        "utforare,rad,manad,antal,antal\nSV,somatik.operation.allman_kirurgi,2026-01,1,2\n",
        "utforare,rad,manad,antal\nSV,somatik.operation.allman_kirurgi,2026-01,1e40\n",
        "utforare: SV\nar: 2026\nproduktion:\n  somatik.forstabesok.hud: {2026-01: 10}\n",
        "utforare: RH\nar: 2026\nmalrelaterad_1177:\n  2026-Q2: {andel_procent: 74.99}\n",
        "a: &x [1]\nb: *x\n", "[" * 200, "namn,id,falt,satt,andra\ns,somatik.forstabesok.hud,bas,1,\n",
        "ar: 2026\n", "\x00\xff", "- {namn: a, andringar: []}\n",
    ]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(kommando=st.sampled_from(KOMMANDON), delar=st.lists(st.one_of(st.sampled_from(VAL), st.sampled_from(VARDEN)),
                                                        max_size=8), innehall=INNEHALL)
def test_godtyckliga_argument_ger_aldrig_en_traceback(tmp_path_factory, kommando, delar, innehall):
    d = tmp_path_factory.mktemp("fuzz")
    fil = d / "indata.txt"
    fil.write_text(innehall, encoding="utf-8", errors="surrogatepass") if isinstance(innehall, str) else None
    args = [kommando] + [str(fil) if a == "FIL" else a for a in delar]
    # Utdatafiler hamnar i den tillfälliga katalogen, aldrig i arbetskatalogen.
    args = [str(d / "ut.txt") if (i and args[i - 1] == "--ut") else a for i, a in enumerate(args)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code in (0, 1, 2), (args, res.exit_code, res.output, res.exception)
    if res.exception is not None:
        assert isinstance(res.exception, SystemExit), (args, repr(res.exception))
    assert "Traceback" not in res.output
