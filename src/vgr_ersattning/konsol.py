"""Konsolskriptet `ersattning` (och `python -m vgr_ersattning`): ställer in skräpsamlaren innan
något annat importeras, och kör sedan `cli.main`.

Under en körning importeras hundratals moduler (Typer, pydantic, verktyget) som lever tills
processen slutar; med standardtrösklarna går skräpsamlaren igenom dem gång på gång medan de
importeras (~8 ms per körning, issue 17: uppstarten). Med en högre första tröskel samlas cykler
fortfarande, bara mer sällan. Modulen importerar inget själv, så tröskeln gäller från början; den
som importerar `cli` som bibliotek (testerna) påverkas inte.

Sedan förstarten (`forstart.starta`): ett stort `--utfall` börjar läsas i en egen process medan resten
startar.

Och inga pydantic-tillägg (`utan_pydantic_tillagg`): verktygets validering ska inte ändras av ett
tillägg (plugin) som råkar vara installerat i samma miljö, och att leta efter tillägg kostar mer än
valideringen (se funktionen).
"""

# Pydantic-modulen som letar tillägg; `get_plugins` är det enda pydantic hämtar ur den (i pydantic 2.14
# bara i `pydantic/plugin/_schema_validator.py`; tests/test_klick.py prövar det mot den installerade).
PYDANTIC_TILLAGG = "pydantic.plugin._loader"


def utan_pydantic_tillagg() -> None:
    """Pydantic söker tillägg (plugins) första gången en validerare byggs, och importerar då
    importlib.metadata med e-postpaketet: ~13 ms av ~0,2 s för `ersattning berakna` (Typer bygger en
    validerare för varje val, modellerna en för uppdraget och priserna). Med `PYDANTIC_DISABLE_PLUGINS`
    söker pydantic inte, men importerar ändå. Här står i stället en modul utan tillägg i pydantics
    ställe (den verkliga importeras aldrig), innan pydantic importeras. Bara i konsolskriptet: den som
    importerar verktyget som bibliotek får pydantic som det är."""
    import sys
    import types

    if PYDANTIC_TILLAGG in sys.modules:
        return
    modul = types.ModuleType(PYDANTIC_TILLAGG, "Inga pydantic-tillägg i vgr-ersattning (`konsol.utan_pydantic_tillagg`).")
    modul.get_plugins = lambda: ()      # type: ignore[attr-defined]
    sys.modules[PYDANTIC_TILLAGG] = modul


def main() -> None:
    import gc
    import sys

    gc.set_threshold(50_000, 20, 100)
    from vgr_ersattning import forstart

    forstart.starta(sys.argv[1:])
    utan_pydantic_tillagg()
    from vgr_ersattning.cli import main as cli_main

    cli_main()
