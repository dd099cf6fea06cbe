"""Den rena kärnan: en modul per avsnitt i REGLER.md. Ingen I/O, ingen utskrift, inga globaler."""
