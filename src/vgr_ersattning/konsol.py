"""Konsolskriptet `ersattning` (och `python -m vgr_ersattning`): ställer in skräpsamlaren innan
något annat importeras, och kör sedan `cli.main`.

Under en körning importeras hundratals moduler (Typer, pydantic, verktyget) som lever tills
processen slutar; med standardtrösklarna går skräpsamlaren igenom dem gång på gång medan de
importeras (~8 ms per körning, issue 17: uppstarten). Med en högre första tröskel samlas cykler
fortfarande, bara mer sällan. Modulen importerar inget själv, så tröskeln gäller från början; den
som importerar `cli` som bibliotek (testerna) påverkas inte.

Sedan förstarten (`forstart.starta`): ett stort `--utfall` börjar läsas i en egen process medan resten
startar.
"""


def main() -> None:
    import gc
    import sys

    gc.set_threshold(50_000, 20, 100)
    from vgr_ersattning import forstart

    forstart.starta(sys.argv[1:])
    from vgr_ersattning.cli import main as cli_main

    cli_main()
