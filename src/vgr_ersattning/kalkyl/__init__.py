"""Den rena kärnan: en modul per avsnitt i regelboken (docs/regler.md). Ingen I/O, ingen utskrift, inga globaler."""
