"""The acr claim → level mapping and the step-up request."""

from __future__ import annotations

from backend.auth.assurance import Level, acr_values_at_least, level_from_acr


def test_eidas_uris_and_plain_names_map_to_levels() -> None:
    assert level_from_acr("http://eidas.europa.eu/LoA/high") is Level.HIGH
    assert level_from_acr("http://eidas.europa.eu/LoA/substantial") is Level.SUBSTANTIAL
    assert level_from_acr("substantial") is Level.SUBSTANTIAL


def test_unknown_or_missing_acr_counts_as_low() -> None:
    assert level_from_acr("urn:something:else") is Level.LOW
    assert level_from_acr(None) is Level.LOW
    assert level_from_acr(3) is Level.LOW


def test_step_up_asks_for_the_level_or_stronger() -> None:
    assert acr_values_at_least(Level.SUBSTANTIAL).split() == [
        "http://eidas.europa.eu/LoA/substantial",
        "http://eidas.europa.eu/LoA/high",
    ]
    assert acr_values_at_least(Level.HIGH) == "http://eidas.europa.eu/LoA/high"
