"""Kommandoraden på svenska: hjälptexter, användningsfel, --version, --format och --utforare.

cli.py skickar `Grupp` och `Kommando` som `cls=` till Typer; allt annat här är hjälpare för
parametrarna. Modulen använder bara typer och standardbiblioteket (inte pydantic, yaml eller rich),
så `ersattning --help` startar snabbt.

Hur översättningen går till. Nyare Typer (här 0.29) har en egen kopia av click i `typer._click`
med de engelska texterna skrivna direkt i koden, inte via gettext, så en översättningskatalog eller
ett utbytt `_` når dem inte; äldre Typer använder click som eget paket. Ett sätt som fungerar för
båda (provat med Typer 0.29.2 och med Typer 0.15.4 + click 8.1.8), utan att ändra något globalt i
typer eller click:

* Rubriker, användningsraden och tilläggen `[default: …]`/`[required]` skrivs av en egen
  `HelpFormatter` (via en egen `Context`), som byter ut de engelska orden när de skrivs.
* Ett användningsfel (`UsageError` och underklasser) som passerar `Grupp`/`Kommando` får en
  svensk `show`/`format_message` på själva undantagsobjektet; Typer anropar `show()` och avslutar
  med felets slutkod (2). Meddelandet byggs från undantagets fält (valets namn, förslagen, den
  saknade parametern) och, för fritext, från en tabell med reguljära uttryck.
* Hjälpvalet och Typers kompletteringsval får svenska hjälptexter.
"""

import functools
import re
from typing import Any, Callable, Iterable, List, NoReturn, Optional, Sequence, Tuple

import typer
from typer.core import TyperCommand, TyperGroup

try:  # nyare Typer: en egen kopia av click
    from typer._click import exceptions as _undantag
except ImportError:  # pragma: no cover - äldre Typer med click som eget paket
    from click import exceptions as _undantag  # type: ignore[no-redef]

from vgr_ersattning.inlasning.pydanticfel import flaggmall

__all__ = [
    "Grupp",
    "Kommando",
    "Kontext",
    "Formaterare",
    "anvandningsfel",
    "HJALP_HJALP",
    "versionsval",
    "hamta_version",
    "formatval",
    "valkontroll",
    "versaler",
    "svenskt_meddelande",
    "oversatt",
]

HJALP_HJALP = "Visa den här hjälpen och avsluta."
VAL_METAVAR = "[VAL]"
KOMMANDO_METAVAR = "KOMMANDO [ARGUMENT]..."

RUBRIKER = {
    "Options": "Val",
    "Commands": "Kommandon",
    "Arguments": "Argument",
    "Usage": "Användning",
}

KOMPLETTERING_HJALP = {
    "Install completion for the current shell.":
        "Installera kompletteringen (tabbkomplettering) för skalet du använder.",
    "Show completion for the current shell, to copy it or customize the installation.":
        "Visa kompletteringsskriptet för skalet du använder, för att kopiera det eller anpassa installationen.",
    "Install completion for the specified shell.": "Installera kompletteringen för det angivna skalet.",
    "Show completion for the specified shell, to copy it or customize the installation.":
        "Visa kompletteringsskriptet för det angivna skalet, för att kopiera det eller anpassa installationen.",
}


# --- texter ----------------------------------------------------------------------------------


def _eller(delar: Sequence[str]) -> str:
    """'a', 'a eller b', 'a, b eller c'."""
    delar = list(delar)
    if len(delar) <= 1:
        return "".join(delar)
    return f"{', '.join(delar[:-1])} eller {delar[-1]}"


def _forslag(text: str) -> str:
    """Click/Typer räknar upp förslag med komma; på svenska med 'eller' före det sista."""
    return _eller([d.strip() for d in text.split(",") if d.strip()])


def _extra_argument(m: "re.Match[str]") -> str:
    argument = m.group("a")
    if len(argument.split()) == 1:
        return f"Oväntat extra argument: {argument}"
    return f"Oväntade extra argument: {argument}"


def _inget_kommando(m: "re.Match[str]") -> str:
    text = f"Det finns inget kommando {m.group('k')}."
    if m.group("f"):
        text += f" Menade du {_forslag(m.group('f'))}?"
    return text


def _inget_val(m: "re.Match[str]") -> str:
    text = f"Det finns inget val {m.group('o')}."
    forslag = m.group("f") or m.group("p")
    if forslag:
        text += f" Menade du {_forslag(forslag)}?"
    return text


_SOKVAG = {"path": "Sökvägen", "file": "Filen", "dir": "Katalogen", "directory": "Katalogen"}


def _sokvag(slut: str) -> Callable[["re.Match[str]"], str]:
    def gor(m: "re.Match[str]") -> str:
        return f"{_SOKVAG.get(m.group('s').lower(), 'Sökvägen')} {m.group('p')} {slut}"
    return gor


def _ogiltigt(m: "re.Match[str]") -> str:
    return f"Ogiltigt värde för {_ledtrad_sv(m.group('h'))}: {oversatt(m.group('m'))}"


# Engelska meddelanden från click/Typer (fullständig matchning) → svenska. Ordningen spelar roll.
# Uttrycken kompileras först när ett fel ska visas (det sparar ~10 ms vid varje start).
_TABELL: List[Tuple[str, Any]] = [
    (r"Got unexpected extra arguments?(?:\(s\))? \((?P<a>.*)\)", _extra_argument),
    (r"Option (?P<o>.+?) requires an argument\.?", "Valet {o} behöver ett värde."),
    (r"Option (?P<o>.+?) requires (?P<n>\d+) arguments\.?", "Valet {o} behöver {n} värden."),
    (r"(?P<o>\S+) option requires an argument\.?", "Valet {o} behöver ett värde."),
    (r"(?P<o>\S+) option requires (?P<n>\d+) arguments\.?", "Valet {o} behöver {n} värden."),
    (r"Option (?P<o>.+?) does not take a value\.?", "Valet {o} tar inget värde."),
    (r"Argument (?P<a>.+?) takes (?P<n>\d+) values\.?", "Argumentet {a} tar {n} värden."),
    (r"No such command (?P<k>.+?)\.(?: Did you mean (?P<f>.+)\?)?", _inget_kommando),
    (r"No such option: (?P<o>\S+)(?: Did you mean (?P<f>.+)\?| \(Possible options: (?P<p>.+)\))?", _inget_val),
    (r"Missing command\.?", "Ange ett kommando."),
    (r"Missing option (?P<h>.+?)\.?", "Valet {h} måste anges."),
    (r"Missing argument (?P<h>.+?)\.?", "Argumentet {h} måste anges."),
    (r"Missing parameter:? (?P<h>.+?)\.?", "Parametern {h} måste anges."),
    (r"Invalid value for (?P<h>.+?): (?P<m>.*)", _ogiltigt),
    (r"Invalid value: (?P<m>.*)", lambda m: f"Ogiltigt värde: {oversatt(m.group('m'))}"),
    (r"Value error, (?P<m>.*)", lambda m: oversatt(m.group("m"))),
    (r"(?P<v>.+) is not one of (?P<c>.+?)\.?", lambda m: f"{m.group('v')} är inget giltigt val; välj "
                                                          f"{_forslag(m.group('c'))}."),
    (r"(?P<v>.+) is not a valid integer(?: range)?\.?", "{v} är inte ett heltal."),
    (r"(?P<v>.+) is not a valid float(?: range)?\.?", "{v} är inte ett tal."),
    (r"(?P<v>.+) is not a valid boolean\.?", "{v} är inte ett sanningsvärde (true/false, yes/no, 1/0)."),
    (r"(?P<v>.+) is not in the range (?P<r>.+?)\.?", "{v} ligger utanför intervallet {r}."),
    (r"Value (?P<v>.+) is not a valid (?P<t>.+?)\.?", "Värdet {v} är inte ett giltigt {t}."),
    (r"Value must be an iterable\.?", "Värdet måste vara en lista."),
    (r"(?P<s>[Pp]ath|[Ff]ile|[Dd]ir|[Dd]irectory) (?P<p>.+?) does not exist\.?", _sokvag("finns inte.")),
    (r"(?P<s>[Pp]ath|[Ff]ile|[Dd]ir|[Dd]irectory) (?P<p>.+?) is a file\.?", _sokvag("är en fil.")),
    (r"(?P<s>[Pp]ath|[Ff]ile|[Dd]ir|[Dd]irectory) (?P<p>.+?) is a directory\.?", _sokvag("är en katalog.")),
    (r"(?P<s>[Pp]ath|[Ff]ile|[Dd]ir|[Dd]irectory) (?P<p>.+?) is not readable\.?", _sokvag("går inte att läsa.")),
    (r"(?P<s>[Pp]ath|[Ff]ile|[Dd]ir|[Dd]irectory) (?P<p>.+?) is not writable\.?", _sokvag("går inte att skriva.")),
    (r"Could not open file (?P<f>.+?): (?P<h>.*)", lambda m: f"Kan inte öppna filen {m.group('f')}: "
                                                              f"{oversatt(m.group('h'))}"),
    (r"unknown error", "okänt fel"),
    (r"Aborted!", "Avbrutet."),
    (r"Input should be a valid integer.*", "värdet ska vara ett heltal."),
    (r"Input should be a valid number.*", "värdet ska vara ett tal."),
    (r"Input should be a valid boolean.*", "värdet ska vara ett sanningsvärde (true/false, yes/no, 1/0)."),
    (r"Input should be greater than or equal to (?P<g>.+)", "värdet ska vara minst {g}."),
    (r"Input should be greater than (?P<g>.+)", "värdet ska vara större än {g}."),
    (r"Input should be less than or equal to (?P<g>.+)", "värdet får vara högst {g}."),
    (r"Input should be less than (?P<g>.+)", "värdet ska vara mindre än {g}."),
]


@functools.lru_cache(maxsize=None)
def _kompilerad_tabell() -> List[Tuple["re.Pattern[str]", Any]]:
    return [(re.compile(monster, re.S), svenska) for monster, svenska in _TABELL]


def oversatt(text: str) -> str:
    """Ett engelskt meddelande från click/Typer på svenska; okänd text (t.ex. projektets egna,
    redan svenska meddelanden) lämnas som den är."""
    for monster, svenska in _kompilerad_tabell():
        m = monster.fullmatch(text)
        if m:
            return svenska(m) if callable(svenska) else svenska.format(**m.groupdict())
    return text


def _ledtrad_sv(ledtrad: str) -> str:
    return ledtrad.replace("(env var: ", "(miljövariabel: ")


def _pydantic_fel(orsak: BaseException) -> Optional[str]:
    """Svensk text för ett valideringsfel från pydantic (utan att importera pydantic)."""
    errors = getattr(orsak, "errors", None)
    if not callable(errors):
        return None
    try:
        fel = errors()
    except Exception:  # pragma: no cover - inte ett pydantic-fel trots allt
        return None
    if not fel:
        return None
    forsta = fel[0]
    typ = forsta.get("type")
    falt = dict(forsta.get("ctx") or {})
    if typ == "value_error" and "error" in falt:
        return oversatt(str(falt["error"]))
    mall = flaggmall(typ)
    if mall is None:
        return oversatt(str(forsta.get("msg", "")))
    falt = {k: (v if isinstance(v, str) else str(v)) for k, v in falt.items()}
    if "expected" in falt:
        falt["expected"] = _forslag(falt["expected"].replace(" or ", ", "))
    try:
        return mall.format(input=repr(forsta.get("input")), **falt)
    except (KeyError, IndexError):  # pragma: no cover
        return oversatt(str(forsta.get("msg", "")))


def _ledtrad_engelska(e: Any) -> Optional[str]:
    """Parameterns namn som click skriver det i felet, t.ex. "'--format' / '-f'"."""
    ledtrad = getattr(e, "param_hint", None)
    param = getattr(e, "param", None)
    if ledtrad is None and param is not None:
        try:
            ledtrad = param.get_error_hint(e.ctx)  # click
        except TypeError:
            ledtrad = param.get_error_hint()  # typer._click
    if ledtrad is not None and not isinstance(ledtrad, str):
        ledtrad = " / ".join(repr(x) for x in ledtrad)
    return ledtrad


def _ledtrad(e: Any) -> Optional[str]:
    ledtrad = _ledtrad_engelska(e)
    return None if ledtrad is None else _ledtrad_sv(ledtrad)


def _basta_forst(namn: str, forslag: Iterable[str]) -> List[str]:
    """Click föreslår allt som liknar lite (i bokstavsordning); här bara de som liknar nästan lika
    mycket som det bästa, det mest lika först: '--utfal' → '--utfall', inte också '--antal'."""
    from difflib import SequenceMatcher

    likhet = {f: SequenceMatcher(None, namn, f).ratio() for f in forslag}
    basta = max(likhet.values())
    return sorted((f for f, r in likhet.items() if r >= basta - 0.1), key=lambda f: (-likhet[f], f))


_SAKNAS = {"option": "Valet {h} måste anges.", "argument": "Argumentet {h} måste anges."}


def svenskt_meddelande(e: BaseException) -> str:
    """Felmeddelandet (utan 'Fel: ') för ett undantag från click/Typer, på svenska."""
    engelska = type(e).format_message(e) if hasattr(type(e), "format_message") else str(e)
    if isinstance(e, _undantag.NoSuchOption):
        namn = e.option_name
        if e.message.startswith("No such option:"):
            text = f"Det finns inget val {namn}."
        else:
            text = oversatt(e.message)
        if e.possibilities:
            text += f" Menade du {_eller(_basta_forst(namn, e.possibilities))}?"
        return text
    if isinstance(e, _undantag.MissingParameter):
        ledtrad = _ledtrad_engelska(e)
        typ = e.param_type or (e.param.param_type_name if e.param is not None else "parameter")
        engelsk_bas = f"Missing {typ}{' ' + ledtrad if ledtrad else ''}."
        if ledtrad:
            text = _SAKNAS.get(typ, "Parametern {h} måste anges.").format(h=_ledtrad_sv(ledtrad))
        else:
            text = "Ett värde saknas."
        if engelska.startswith(engelsk_bas):
            rest = engelska[len(engelsk_bas):].strip()
        else:  # pragma: no cover - okänd form; visa resten oöversatt hellre än att tappa det
            rest = e.message or ""
        if rest:
            text += " " + oversatt(rest).replace("Choose from:", "Välj bland:")
        return text
    if isinstance(e, _undantag.BadParameter):
        orsak = e.__cause__
        inre = (_pydantic_fel(orsak) if orsak is not None else None) or oversatt(e.message)
        ledtrad = _ledtrad(e)
        if ledtrad is None:
            return f"Ogiltigt värde: {inre}"
        return f"Ogiltigt värde för {ledtrad}: {inre}"
    return oversatt(engelska)


def _visa_fel(e: Any, file: Any = None) -> None:
    """Ersätter ClickException.show/UsageError.show: användningsrad, tips och 'Fel: …' på stderr."""
    ctx = getattr(e, "ctx", None)
    farg = ctx.color if ctx is not None else getattr(e, "show_color", None)
    utdata = {"file": file} if file is not None else {"err": True}
    if ctx is not None and isinstance(e, _undantag.UsageError):
        tips = ""
        if ctx.command.get_help_option(ctx) is not None:
            tips = f"Prova '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.\n"
        typer.echo(f"{ctx.get_usage()}\n{tips}", color=farg, **utdata)
    typer.echo(f"Fel: {svenskt_meddelande(e)}", color=farg, **utdata)


def _forsvenska(e: BaseException) -> None:
    """Ger undantaget svenska `show` och `format_message` (på objektet, inte klassen)."""
    if getattr(e, "_svenska", False):
        return
    e._svenska = True  # type: ignore[attr-defined]
    e.show = functools.partial(_visa_fel, e)  # type: ignore[attr-defined]
    e.format_message = functools.partial(svenskt_meddelande, e)  # type: ignore[attr-defined]


# --- hjälptexten -----------------------------------------------------------------------------

# Äldre Typer (med click) skriver '\[' framför klammern även utan rich-hjälp; den tas bort här.
_TILLAGG = re.compile(r"\\?\[(?P<inne>[^\[\]]*)\]\s*$")


def _tillagg_sv(text: str) -> str:
    """'…  [default: SV; required]' → '…  [standard: SV; krävs]' (bara den avslutande klammern)."""
    m = _TILLAGG.search(text)
    if not m:
        return text
    delar = []
    andrad = False
    for del_ in m.group("inne").split("; "):
        ny = del_
        if del_.startswith("default: "):
            ny = "standard: " + del_[len("default: "):].replace("(dynamic)", "(dynamisk)")
        elif del_ == "required":
            ny = "krävs"
        elif del_.startswith("env var: "):
            ny = "miljövariabel: " + del_[len("env var: "):]
        andrad = andrad or ny != del_
        delar.append(ny)
    if not andrad:
        return text
    return f"{text[:m.start()]}[{'; '.join(delar)}]{text[m.end('inne') + 1:]}"


_BasFormaterare = TyperCommand.context_class.formatter_class


class Formaterare(_BasFormaterare):  # type: ignore[misc, valid-type]
    """Click/Typers hjälpformaterare med svenska rubriker, 'Användning:' och '[standard: …]'."""

    def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
        super().write_usage(prog, args, "Användning: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(RUBRIKER.get(heading, heading))

    def write_dl(self, rows: Sequence[Tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().write_dl([(forsta, _tillagg_sv(andra)) for forsta, andra in rows], *args, **kwargs)


class Kontext(typer.Context):
    """Kontexten för Grupp och Kommando: skriver hjälpen med `Formaterare`."""

    formatter_class = Formaterare


# --- kommandoklasserna -----------------------------------------------------------------------


def _installera_komplettering(ctx: Any, param: Any, value: Any) -> Any:
    """Typers --install-completion med svenska meddelanden."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    skal, sokvag = install(shell=value) if isinstance(value, str) else install()
    typer.secho(f"Kompletteringen för {skal} är installerad i {sokvag}", fg="green")
    typer.echo("Den fungerar när du har startat om terminalen.")
    raise typer.Exit(0)


class _Svensk:
    """Det gemensamma för Grupp och Kommando (ska stå först bland basklasserna)."""

    context_class = Kontext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["rich_markup_mode"] = None  # ingen rich vid --help; vanlig text
        if kwargs.get("options_metavar", "[OPTIONS]") == "[OPTIONS]":
            kwargs["options_metavar"] = VAL_METAVAR
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: Any) -> Any:
        val = super().get_help_option(ctx)  # type: ignore[misc]
        if val is not None:
            val.help = HJALP_HJALP
        return val

    def get_params(self, ctx: Any) -> List[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for p in params:
            hjalp = getattr(p, "help", None)
            if hjalp in KOMPLETTERING_HJALP:
                p.help = KOMPLETTERING_HJALP[hjalp]
                if getattr(p.callback, "__name__", "") == "install_callback" and \
                        getattr(p.callback, "__module__", "").startswith("typer."):
                    p.callback = _installera_komplettering
        return params

    def parse_args(self, ctx: Any, args: List[str]) -> List[str]:
        if not args and not ctx.resilient_parsing and (
                self.no_args_is_help
                or (isinstance(self, TyperGroup) and not getattr(self, "invoke_without_command", False))):
            # Utan argument: hjälpen på standard ut och slutkod 0 (inte ett fel).
            typer.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except _undantag.UsageError as e:
            if e.ctx is None:  # t.ex. "requires an argument" från tolken: visa användningsraden också
                e.ctx = ctx
                e.cmd = ctx.command
            raise

    def make_context(self, info_name: Optional[str], args: List[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)  # type: ignore[misc]
        except _undantag.ClickException as e:
            _forsvenska(e)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except _undantag.ClickException as e:
            _forsvenska(e)
            raise
        except (typer.Abort, EOFError):
            typer.echo("Avbrutet.", err=True)
            raise typer.Exit(1) from None


class Grupp(_Svensk, TyperGroup):
    """Typer-grupp med svensk hjälp och svenska användningsfel. Utan argument visas hjälpen
    (standard ut, slutkod 0)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("subcommand_metavar") in (None, "COMMAND [ARGS]..."):
            kwargs["subcommand_metavar"] = KOMMANDO_METAVAR
        super().__init__(*args, **kwargs)


class Kommando(_Svensk, TyperCommand):
    """Typer-kommando med svensk hjälp och svenska användningsfel."""


def anvandningsfel(meddelande: str) -> NoReturn:
    """Ett eget användningsfel inifrån ett kommando: skrivs som click/Typers (användningsraden,
    'Prova …' och 'Fel: <meddelande>' på stderr) och ger slutkod 2."""
    raise _undantag.UsageError(meddelande)


# --- --version -------------------------------------------------------------------------------


def hamta_version(paket: str = "vgr-ersattning") -> str:
    """Det installerade paketets version, annars `vgr_ersattning.__version__`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(paket)
    except PackageNotFoundError:
        from vgr_ersattning import __version__

        return __version__


def versionsval(program: str = "ersattning", paket: str = "vgr-ersattning",
                hjalp: str = "Visa versionen och avsluta.") -> Any:
    """Ett `--version`-val för appens callback: skriver '<program> <version>' och avslutar med 0.

        @app.callback()
        def huvud(version: bool = versionsval()) -> None: ...
    """

    def visa(ctx: typer.Context, value: bool) -> bool:
        if value and not ctx.resilient_parsing:
            typer.echo(f"{program} {hamta_version(paket)}")
            raise typer.Exit(0)
        return value

    return typer.Option(False, "--version", callback=visa, is_eager=True, help=hjalp)


# --- --format och --utforare -----------------------------------------------------------------


def valkontroll(val: Iterable[str], *, skiftlage: bool = False) -> Callable[..., Any]:
    """Callback som godtar ett av `val` (utan hänsyn till skiftläge om inte `skiftlage`) och
    annars ger ett svenskt användningsfel (slutkod 2). Värdet blir valets stavning i `val`."""
    tillatna = tuple(val)
    nycklar = {(v if skiftlage else v.casefold()): v for v in tillatna}

    def ett(value: str) -> str:
        v = nycklar.get(value.strip() if skiftlage else value.strip().casefold())
        if v is None:
            raise typer.BadParameter(f"{value!r} finns inte; välj {_eller(tillatna)}.")
        return v

    def kontrollera(ctx: typer.Context, value: Any) -> Any:
        if value is None or ctx.resilient_parsing:
            return value
        if isinstance(value, (list, tuple)):
            return type(value)(ett(v) for v in value)
        return ett(value)

    return kontrollera


def _komplettera(val: Sequence[str]) -> Callable[..., Any]:
    def komplettera(incomplete: str) -> List[str]:
        return [v for v in val if v.startswith(incomplete.casefold())]
    return komplettera


def formatval(*val: str, standard: Optional[str] = None, hjalp: str = "Utdataformat.",
              flaggor: Sequence[str] = ("--format", "-f")) -> Any:
    """`--format/-f` som ett fast val bland `val` (standard: det första), listat i hjälpen som
    `[tabell|json|csv]` och med tabbkomplettering. Parametern i kommandot är en vanlig `str`:

        FormatOpt = formatval("tabell", "json", "csv")
        def berakna(format: str = FormatOpt): ...
    """
    if not val:
        raise ValueError("formatval behöver minst ett val")
    standard = val[0] if standard is None else standard
    if standard not in val:
        raise ValueError(f"standardvärdet {standard!r} är inte ett av {val}")
    return typer.Option(standard, *flaggor, metavar=f"[{'|'.join(val)}]", help=hjalp, show_default=True,
                        callback=valkontroll(val), autocompletion=_komplettera(val))


def versaler(value: Any) -> Any:
    """Callback som skriver om värdet med versaler ('sv' → 'SV'), även i en lista."""
    if isinstance(value, str):
        return value.strip().upper()
    if isinstance(value, (list, tuple)):
        return type(value)(v.strip().upper() if isinstance(v, str) else v for v in value)
    return value

