"""National Health Service records (see integrations.registries.record)."""

from __future__ import annotations

from datetime import date

from integrations.registries.record import Record, Text


class FamilyDoctor(Record, frozen=True):
    doctor_name: Text
    practice_name: Text
    address: Text
    phone: Text
    registered_since: date
