"""klick.py: kommandoraden på svenska (hjälp, användningsfel, --version, --format, --utforare,
komplettering). Testerna bygger en liten egen Typer-app med Grupp och Kommando, så att de inte
beror på cli.py."""

import enum
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Optional

import pytest
import typer
from typer.testing import CliRunner

from vgr_ersattning import __version__, klick
from vgr_ersattning.klick import (
    Grupp,
    Kommando,
    anvandningsfel,
    formatval,
    hamta_version,
    oversatt,
    versaler,
    versionsval,
)

ENGELSKA = ["Usage:", "Options:", "Commands:", "Arguments:", "Error:", "default:", "required]",
            "Try '", "for help", "Show this message", "No such", "Missing", "Invalid value",
            "Got unexpected", "requires an argument", "is not one of", "Possible options", "Did you mean",
            "Install completion", "Show completion"]


class Enhet(str, enum.Enum):
    kr = "kr"
    tkr = "tkr"


def _app(add_completion: bool = True) -> typer.Typer:
    app = typer.Typer(cls=Grupp, name="ersattning", help="Testappen.", epilog="Slutord.",
                      no_args_is_help=True, add_completion=add_completion, pretty_exceptions_enable=False,
                      rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def huvud(version: bool = versionsval()) -> None:
        pass

    @app.command(cls=Kommando)
    def berakna(
        utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="Utfallsfil."),
        utforare: str = typer.Option("SV", "--utforare", "-u", metavar="ID", callback=versaler, help="Utförare."),
        format: str = formatval("tabell", "json", "csv"),
        antal: int = typer.Option(1, "--antal", help="Ett antal.", min=1),
        enhet: Enhet = typer.Option(Enhet.kr, "--enhet", help="Enhet."),
        detaljer: bool = typer.Option(False, "--detaljer", help="Fler rader."),
    ) -> None:
        """Räknar."""
        typer.echo(f"utforare={utforare} format={format} antal={antal} enhet={enhet.value} "
                   f"utfall={','.join(p.name for p in utfall)}")

    @app.command(cls=Kommando)
    def brygga(namn: str = typer.Argument(..., help="Ett namn."),
               format: str = formatval("tabell", "json", "csv", "xlsx", standard="json")) -> None:
        """Bryggan."""
        if namn == "fel":
            raise typer.BadParameter("perioden ligger utanför uppdragsåret 2026", param_hint="'--period'")
        if namn == "anvandning":
            anvandningsfel("ange --utfall FIL (eller --kalender)")
        typer.echo(f"namn={namn} format={format}")

    return app


@pytest.fixture
def kor():
    runner = CliRunner()
    app = _app()

    def _kor(*args: str, env: Optional[dict] = None):
        res = runner.invoke(app, list(args), env=env)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise AssertionError(f"oväntat undantag: {res.exception!r}") from res.exception
        return res
    return _kor


def _utan_engelska(text: str) -> None:
    for ord_ in ENGELSKA:
        assert ord_ not in text, f"engelsk text {ord_!r} i:\n{text}"


def _anvandningsfel(res, meddelande: str, kommando: str = "ersattning berakna") -> None:
    """Slutkod 2, inget på standard ut, och på stderr: användningsraden, tipset och 'Fel: …'."""
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    assert res.stderr.startswith(f"Användning: {kommando} [VAL]"), res.stderr
    assert f"Prova '{kommando} -h' för hjälp." in res.stderr
    assert res.stderr.rstrip("\n").endswith(f"Fel: {meddelande}"), res.stderr
    _utan_engelska(res.stderr)


# --- hjälpen ---------------------------------------------------------------------------------


def test_gruppens_hjalp_har_svenska_rubriker(kor):
    res = kor("--help")
    assert res.exit_code == 0 and res.stderr == ""
    ut = res.stdout
    assert ut.startswith("Användning: ersattning [VAL] KOMMANDO [ARGUMENT]...\n")
    assert "\nVal:\n" in ut and "\nKommandon:\n" in ut
    assert "  berakna  Räknar." in ut and "  brygga   Bryggan." in ut
    assert "-h, --help            Visa den här hjälpen och avsluta." in ut
    assert "--version             Visa versionen och avsluta." in ut
    assert "Testappen." in ut and "Slutord." in ut
    _utan_engelska(ut)


def test_kommandots_hjalp_har_standard_och_kravs(kor):
    res = kor("berakna", "--help")
    assert res.exit_code == 0
    ut = res.stdout
    assert ut.startswith("Användning: ersattning berakna [VAL]\n")
    assert "--utfall FIL" in ut and "Utfallsfil.  [krävs]" in ut
    assert "[standard: SV]" in ut
    assert "-f, --format [tabell|json|csv]" in ut and "Utdataformat.  [standard: tabell]" in ut
    assert "[standard: 1; x>=1]" in ut
    assert "[standard: kr]" in ut
    _utan_engelska(ut)


def test_argument_har_egen_rubrik(kor):
    res = kor("brygga", "--help")
    assert res.exit_code == 0
    assert "\nArgument:\n" in res.stdout and "Ett namn.  [krävs]" in res.stdout
    assert "--format [tabell|json|csv|xlsx]" in res.stdout and "[standard: json]" in res.stdout
    _utan_engelska(res.stdout)


def test_utan_argument_visas_hjalpen_pa_standard_ut_med_slutkod_0(kor):
    res = kor()
    assert res.exit_code == 0
    assert res.stderr == ""
    assert res.stdout.startswith("Användning: ersattning [VAL] KOMMANDO [ARGUMENT]...")
    assert "Kommandon:" in res.stdout
    assert res.stdout == kor("--help").stdout


def test_tillaggen_oversatts_bara_i_den_avslutande_klammern():
    assert klick._tillagg_sv("Text.  [default: SV; required]") == "Text.  [standard: SV; krävs]"
    assert klick._tillagg_sv("[env var: X; default: (dynamic)]") == "[miljövariabel: X; standard: (dynamisk)]"
    assert klick._tillagg_sv("Text.  \\[required]") == "Text.  [krävs]"  # äldre Typer
    assert klick._tillagg_sv("Kör [default] och [required] här.") == "Kör [default] och [required] här."
    assert klick._tillagg_sv("Bara text.") == "Bara text."


# --- användningsfel --------------------------------------------------------------------------


def test_saknat_val(kor):
    _anvandningsfel(kor("berakna"), "Valet '--utfall' måste anges.")


def test_saknat_argument(kor):
    _anvandningsfel(kor("brygga"), "Argumentet 'namn' måste anges.", "ersattning brygga")


def test_okant_val_med_forslag(kor):
    _anvandningsfel(kor("berakna", "--utfal", "a.csv"), "Det finns inget val --utfal. Menade du --utfall?")
    _anvandningsfel(kor("berakna", "--utforar", "SV"), "Det finns inget val --utforar. Menade du --utforare?")


def test_likvardiga_forslag_namns_alla():
    assert klick._basta_forst("--utfal", ["--utfall", "--antal", "--utfala"]) == ["--utfala", "--utfall"]


def test_okant_val_med_ett_forslag(kor):
    res = kor("berakna", "--detaljerr", "--utfall", "a.csv")
    _anvandningsfel(res, "Det finns inget val --detaljerr. Menade du --detaljer?")


def test_okant_kort_val(kor):
    _anvandningsfel(kor("berakna", "-z"), "Det finns inget val -z.")


def test_okant_val_pa_gruppen(kor):
    res = kor("--versio")
    assert res.exit_code == 2
    assert res.stderr.startswith("Användning: ersattning [VAL] KOMMANDO [ARGUMENT]...")
    assert "Prova 'ersattning -h' för hjälp." in res.stderr
    assert "Fel: Det finns inget val --versio. Menade du --version?" in res.stderr
    _utan_engelska(res.stderr)


def test_okant_kommando_med_forslag(kor):
    res = kor("brygg")
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith("Användning: ersattning [VAL] KOMMANDO [ARGUMENT]...")
    assert res.stderr.rstrip().endswith("Fel: Det finns inget kommando 'brygg'. Menade du 'brygga'?")
    _utan_engelska(res.stderr)


def test_felaktigt_format(kor):
    _anvandningsfel(kor("berakna", "--utfall", "a.csv", "--format", "xml"),
                    "Ogiltigt värde för '--format' / '-f': 'xml' finns inte; välj tabell, json eller csv.")


def test_formatet_ar_en_parameter_och_skiftlaget_spelar_ingen_roll(kor):
    res = kor("brygga", "x", "-f", "XLSX")
    assert res.exit_code == 0 and res.stdout == "namn=x format=xlsx\n"
    res = kor("brygga", "x")
    assert res.stdout == "namn=x format=json\n"
    res = kor("brygga", "x", "--format", "pdf")
    _anvandningsfel(res, "Ogiltigt värde för '--format' / '-f': 'pdf' finns inte; "
                         "välj tabell, json, csv eller xlsx.", "ersattning brygga")


def test_felaktigt_val_i_enum(kor):
    _anvandningsfel(kor("berakna", "--utfall", "a.csv", "--enhet", "mkr"),
                    "Ogiltigt värde för '--enhet': 'mkr' är inget giltigt val; välj 'kr' eller 'tkr'.")


def test_felaktigt_heltal(kor):
    _anvandningsfel(kor("berakna", "--utfall", "a.csv", "--antal", "tre"),
                    "Ogiltigt värde för '--antal': 'tre' är inte ett heltal.")


def test_heltal_under_minimum(kor):
    res = kor("berakna", "--utfall", "a.csv", "--antal", "0")
    assert res.exit_code == 2
    assert "Fel: Ogiltigt värde för '--antal': värdet ska vara minst 1" in res.stderr
    _utan_engelska(res.stderr)


def test_extra_argument(kor):
    _anvandningsfel(kor("berakna", "--utfall", "a.csv", "extra"), "Oväntat extra argument: extra")
    _anvandningsfel(kor("brygga", "x", "y", "z"), "Oväntade extra argument: y z", "ersattning brygga")


def test_val_utan_varde(kor):
    _anvandningsfel(kor("berakna", "--utfall"), "Valet '--utfall' behöver ett värde.")


def test_flagga_med_varde(kor):
    _anvandningsfel(kor("berakna", "--utfall", "a.csv", "--detaljer=ja"), "Valet '--detaljer' tar inget värde.")


def test_eget_bad_parameter_fran_kommandot(kor):
    _anvandningsfel(kor("brygga", "fel"),
                    "Ogiltigt värde för '--period': perioden ligger utanför uppdragsåret 2026", "ersattning brygga")


def test_eget_anvandningsfel_fran_kommandot(kor):
    _anvandningsfel(kor("brygga", "anvandning"), "ange --utfall FIL (eller --kalender)", "ersattning brygga")


def test_ett_kommando_som_rot_ger_ocksa_svenska_fel():
    app = typer.Typer(cls=Grupp, add_completion=False, rich_markup_mode=None)

    @app.command(cls=Kommando)
    def ensam(antal: int = typer.Option(..., "--antal")) -> None:
        typer.echo(antal)

    res = CliRunner().invoke(app, ["--antal", "x"], prog_name="ensam")
    assert res.exit_code == 2
    assert res.stderr.startswith("Användning: ensam [VAL]")
    assert "Fel: Ogiltigt värde för '--antal': 'x' är inte ett heltal." in res.stderr
    _utan_engelska(res.stderr)


def test_utan_standalone_far_anroparen_undantaget_med_svensk_text():
    kommando = typer.main.get_command(_app())
    with pytest.raises(Exception) as fangat:
        kommando.main(["berakna"], prog_name="ersattning", standalone_mode=False)
    assert fangat.value.exit_code == 2
    assert fangat.value.format_message() == "Valet '--utfall' måste anges."


@pytest.mark.parametrize("engelska, svenska", [
    ("Got unexpected extra argument (a)", "Oväntat extra argument: a"),
    ("Got unexpected extra arguments (a b)", "Oväntade extra argument: a b"),
    ("Option '--ut' requires 2 arguments.", "Valet '--ut' behöver 2 värden."),
    ("Missing command.", "Ange ett kommando."),
    ("No such option: --x Did you mean --xy?", "Det finns inget val --x. Menade du --xy?"),
    ("'x' is not a valid integer.", "'x' är inte ett heltal."),
    ("'x' is not one of 'a', 'b', 'c'.", "'x' är inget giltigt val; välj 'a', 'b' eller 'c'."),
    ("File 'a.csv' does not exist.", "Filen 'a.csv' finns inte."),
    ("Invalid value for '-n': 'x' is not a valid float.", "Ogiltigt värde för '-n': 'x' är inte ett tal."),
    ("okänd utförare 'XX'", "okänd utförare 'XX'"),
])
def test_oversatt_kanda_och_okanda_meddelanden(engelska, svenska):
    assert oversatt(engelska) == svenska


# --- --version, --utforare -------------------------------------------------------------------


def test_version(kor):
    res = kor("--version")
    assert res.exit_code == 0 and res.stderr == ""
    assert res.stdout == f"ersattning {hamta_version()}\n"
    assert res.stdout.split()[1][0].isdigit()


def test_version_utan_installerat_paket():
    assert hamta_version("vgr-ersattning-finns-inte") == __version__


def test_utforare_med_gemener_blir_versaler(kor):
    res = kor("berakna", "--utfall", "a.csv", "-u", "sv", "--format", "JSON")
    assert res.exit_code == 0, res.output
    assert res.stdout == "utforare=SV format=json antal=1 enhet=kr utfall=a.csv\n"
    assert versaler(["su", " nu "]) == ["SU", "NU"]


# --- komplettering ---------------------------------------------------------------------------


def test_kompletteringsvalen_finns_i_hjalpen_pa_svenska(kor):
    ut = kor("--help").stdout
    assert "--install-completion" in ut and "Installera kompletteringen" in ut
    assert "--show-completion" in ut and "Visa kompletteringsskriptet" in ut
    _utan_engelska(ut)


def test_kompletteringsskriptet_och_formatets_val(monkeypatch):
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    runner, app = CliRunner(), _app()
    res = runner.invoke(app, ["--show-completion", "bash"])
    assert res.exit_code == 0
    assert "_ersattning_completion" in res.stdout and "_ERSATTNING_COMPLETE" in res.stdout
    res = runner.invoke(app, [], env={"_ERSATTNING_COMPLETE": "complete_bash",
                                      "COMP_WORDS": "ersattning berakna --format ", "COMP_CWORD": "3"})
    assert res.exit_code == 0 and res.stdout.split() == ["tabell", "json", "csv"]
    res = runner.invoke(app, [], env={"_ERSATTNING_COMPLETE": "complete_bash",
                                      "COMP_WORDS": "ersattning br", "COMP_CWORD": "1"})
    assert res.stdout.split() == ["brygga"]


def test_installera_komplettering_med_svenskt_besked(monkeypatch, tmp_path):
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    res = CliRunner().invoke(_app(), ["--install-completion", "bash"])
    assert res.exit_code == 0, res.output
    assert "Kompletteringen för bash är installerad i" in res.stdout
    assert "Den fungerar när du har startat om terminalen." in res.stdout
    assert (tmp_path / ".bash_completions" / "ersattning.sh").exists()


# --- uppstarten ------------------------------------------------------------------------------


def test_hjalpen_importerar_inte_pydantic_yaml_eller_rich():
    kod = textwrap.dedent("""
        import sys
        import typer
        from vgr_ersattning.klick import Grupp, Kommando, anvandningsfel, formatval, versaler, versionsval
        app = typer.Typer(cls=Grupp, name="ersattning", rich_markup_mode=None, pretty_exceptions_enable=False)
        @app.callback()
        def huvud(version: bool = versionsval()) -> None:
            pass
        @app.command(cls=Kommando)
        def berakna(format: str = formatval("tabell", "json", "csv"),
                    utforare: str = typer.Option("SV", "-u", callback=versaler)) -> None:
            pass
        kod = app(["--help"], prog_name="ersattning", standalone_mode=False)
        tunga = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "yaml", "rich"})
        print("TUNGA:", ",".join(tunga), "KOD:", kod)
    """)
    res = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "Användning: ersattning [VAL] KOMMANDO" in res.stdout
    assert res.stdout.rstrip().endswith("TUNGA:  KOD: 0")


def test_konsolskriptet_bygger_validerarna_utan_pydantics_tillaggssokning():
    """`konsol.utan_pydantic_tillagg`: konsolskriptet räknar som verktyget som bibliotek (samma JSON),
    utan att importera importlib.metadata (pydantics sökning efter tillägg, ~13 ms)."""
    kod = textwrap.dedent("""
        import atexit, sys
        atexit.register(lambda: print("METADATA:", "importlib.metadata" in sys.modules, file=sys.stderr))
        sys.argv = ["ersattning", "berakna", "--format", "json"]
        from vgr_ersattning.konsol import main
        main()
    """)
    res = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().endswith("METADATA: False"), res.stderr
    from typer.testing import CliRunner

    from vgr_ersattning.cli import app

    assert res.stdout == CliRunner().invoke(app, ["berakna", "--format", "json"]).stdout


def test_pydantic_hamtar_bara_get_plugins_ur_modulen_som_konsolskriptet_byter_ut():
    """Gränssnittet som `konsol.utan_pydantic_tillagg` ersätter: pydantic hämtar bara `get_plugins` ur
    `pydantic.plugin._loader`, och bara på ett ställe. (Ändrar en ny pydantic det, faller testet.)"""
    import importlib
    import pathlib
    import re

    import pydantic

    from vgr_ersattning.konsol import PYDANTIC_TILLAGG

    modul = importlib.import_module(PYDANTIC_TILLAGG)
    assert callable(modul.get_plugins)
    bas = pathlib.Path(pydantic.__file__).parent
    hamtningar = [(f.relative_to(bas).as_posix(), m)
                  for f in bas.rglob("*.py")
                  for m in re.findall(r"^\s*from\s+\S*_loader\s+import\s+(.+)$|^\s*import\s+\S*plugin\._loader.*$",
                                      f.read_text(encoding="utf-8"), re.M)]
    assert hamtningar == [("plugin/_schema_validator.py", "get_plugins")]


def _kommandonamn():
    from typer.main import get_command_name

    from vgr_ersattning.cli import app

    return [k.name or get_command_name(k.callback.__name__) for k in app.registered_commands]


@pytest.mark.parametrize("namn", _kommandonamn())
def test_appen_med_bara_kommandot_ger_samma_hjalp_och_samma_fel_som_hela(namn):
    """`cli.for_argumenten`: med ett kommandos namn först byggs bara det kommandot; dess hjälp, ett
    okänt val och ett val utan sitt värde ser ut som i hela appen (text, standard fel, slutkod)."""
    from typer.testing import CliRunner

    from vgr_ersattning.cli import app, for_argumenten

    bara = for_argumenten([namn])
    assert bara is not app and len(bara.registered_commands) == 1 and len(app.registered_commands) > 1
    for argv in ([namn, "--help"], [namn, "--okant-val"], [namn, "--format"]):
        hel, del_ = CliRunner().invoke(app, argv), CliRunner().invoke(bara, argv)
        assert (del_.exit_code, del_.stdout, del_.stderr) == (hel.exit_code, hel.stdout, hel.stderr), argv
        assert hel.exit_code in (0, 2) and (hel.stdout + hel.stderr).strip()


@pytest.mark.parametrize("argv", [[], ["--help"], ["--version"], ["berakn"], ["-h", "berakna"]])
def test_utan_ett_kommando_forst_ar_det_hela_appen(argv, monkeypatch):
    from vgr_ersattning.cli import app, for_argumenten

    assert for_argumenten(argv) is app
    monkeypatch.setenv("_ERSATTNING_COMPLETE", "complete_bash")
    assert for_argumenten(["berakna"]) is app
