"""People who appear in registry answers but never log in: declared residents, children,
spouses, a procurator. Their personal codes are synthetic with valid check digits; children
born since July 2017 carry birth-date-free codes, as real ones do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.lib.identifiers import make_personal_code


@dataclass(frozen=True)
class Someone:
    name: str
    personal_code: str
    birth_date: date | None


def _old(name: str, born: date, serial: int) -> Someone:
    return Someone(name, make_personal_code(born, serial), born)


JANIS_BERZINS = _old("Jānis Bērziņš", date(1988, 2, 14), 210)
OLGA_PETROVA = _old("Olga Petrova", date(1996, 10, 3), 455)
INESE_OZOLA = _old("Inese Ozola", date(1980, 8, 19), 318)
RASMA_KRUMINA = _old("Rasma Krūmiņa", date(1957, 5, 9), 127)
PAULS_OZOLS = _old("Pauls Ozols", date(2010, 1, 22), 611)
LIVA_OZOLA = _old("Līva Ozola", date(2013, 7, 5), 704)
ANDRIS_KRUMINS = _old("Andris Krūmiņš", date(1980, 3, 30), 412)
RUTA_ZARINA = _old("Rūta Zariņa", date(1983, 12, 1), 533)
# Laura's children; the youngest's birth date is relative to "today" (see population_register).
MARTA_KALNINA = Someone("Marta Kalniņa", "321904-52817", date(2019, 4, 11))
ROBERTS_KALNINS = Someone("Roberts Kalniņš", "322110-63024", date(2021, 10, 3))
EMILS_KALNINS_CODE = "322611-70419"
