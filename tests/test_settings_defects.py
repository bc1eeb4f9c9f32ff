"""Bad configs that used to slip through or crash: each is refused with the file, the line and the reason."""

from __future__ import annotations

import pytest

from flows.settings import ConfigError, load_settings

GOOD_TAIL = "topics:\n  - {name: Remote work, proposition: Acme lets staff work remotely., keywords: [remote work]}\n"


def test_a_config_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    config = tmp_path / "w.yaml"
    config.write_bytes(b"database: a.duckdb\nentities:\n  - name: Caf\xe9 Corp\n" + GOOD_TAIL.encode())
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert f"{config}:3:" in str(refused.value) and "UTF-8" in str(refused.value)


def test_an_entity_name_with_no_letters_or_digits_needs_an_explicit_id(tmp_path):
    config = tmp_path / "w.yaml"
    config.write_text("entities:\n  - name: '!!!'\n" + GOOD_TAIL, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert f"{config}:2:" in str(refused.value) and "id" in str(refused.value)


def test_an_explicit_id_makes_such_a_name_usable(tmp_path):
    config = tmp_path / "w.yaml"
    config.write_text("entities:\n  - {id: bang, name: '!!!'}\n" + GOOD_TAIL, encoding="utf-8")
    assert load_settings(config).watchlist.entities[0].id == "bang"
