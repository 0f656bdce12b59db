"""Tables kept between runs (digest.datacache): built once, read back the same, built again when a source changes."""

from __future__ import annotations

import os
from pathlib import Path

from digest.compose import actors
from digest.datacache import cached_json


class Builds:
    """A build that counts its calls."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def _cache_files(user_places: Path) -> list[str]:
    return sorted(p.name for p in (user_places / "cache").rglob("*.json"))


def test_a_table_is_built_once_and_read_back_the_same(tmp_path):
    source = tmp_path / "data.json"
    source.write_text("[1]")
    build = Builds({"Kyiv": "Ukraine", "Ontario": None, "n": [1, 2]})
    first = cached_json("table", lambda: [source], build)
    second = cached_json("table", lambda: [source], build)
    assert first == second == {"Kyiv": "Ukraine", "Ontario": None, "n": [1, 2]}
    assert build.calls == 1


def test_a_changed_source_builds_the_table_again_and_drops_the_old_copy(tmp_path, user_places):
    source = tmp_path / "data.json"
    source.write_text("[1]")
    cached_json("table", lambda: [source], Builds(["old"]))
    source.write_text("[1, 2]")  # another size: an upgraded package
    build = Builds(["new"])
    assert cached_json("table", lambda: [source], build) == ["new"] and build.calls == 1
    assert cached_json("table", lambda: [source], build) == ["new"] and build.calls == 1
    assert len([name for name in _cache_files(user_places) if name.startswith("table-")]) == 1


def test_a_missing_source_is_built_every_time_and_never_cached(tmp_path, user_places):
    build = Builds([1])
    for _ in range(2):
        assert cached_json("table", lambda: [tmp_path / "missing.json"], build) == [1]
    assert build.calls == 2
    assert _cache_files(user_places) == []


def test_a_copy_cut_short_is_built_again(tmp_path, user_places):
    source = tmp_path / "data.json"
    source.write_text("[1]")
    cached_json("table", lambda: [source], Builds([1, 2, 3]))
    (copy,) = (user_places / "cache").rglob("table-*.json")
    copy.write_text("[1, 2")
    build = Builds([1, 2, 3])
    assert cached_json("table", lambda: [source], build) == [1, 2, 3] and build.calls == 1


def test_a_cache_that_cannot_be_written_still_gives_the_table(tmp_path, user_places):
    source = tmp_path / "data.json"
    source.write_text("[1]")
    (user_places / "cache").write_text("a file where the cache folder would be")
    build = Builds([7])
    assert cached_json("table", lambda: [source], build) == [7]
    assert cached_json("table", lambda: [source], build) == [7] and build.calls == 2


def test_the_gazetteer_read_from_the_cache_is_the_one_built(user_places):
    built_table, built_adjectives, built_longest = actors._build_gazetteer()
    built_places = actors._build_place_names()
    actors._gazetteer.cache_clear()
    actors._place_names.cache_clear()
    try:
        actors._gazetteer(), actors._place_names()  # the first call writes the copies
        assert any(n.startswith("gazetteer-") for n in _cache_files(user_places))
        actors._gazetteer.cache_clear()
        actors._place_names.cache_clear()
        table, adjectives, longest = actors._gazetteer()  # read back
        assert list(table.items()) == list(built_table.items())  # None (a subdivision) and order kept
        assert None in table.values() and "Mexico" in table
        assert adjectives == frozenset(built_adjectives) and longest == built_longest
        assert actors._place_names() == frozenset(built_places)
    finally:
        actors._gazetteer.cache_clear()
        actors._place_names.cache_clear()


def test_an_edit_of_the_rules_builds_the_gazetteer_again(tmp_path):
    rules = tmp_path / "actors.py"
    rules.write_text("# the rules")
    sources = lambda: [rules, *actors._country_sources()[1:]]  # noqa: E731
    build = Builds(["first"])
    cached_json("gazetteer", sources, build)
    os.utime(rules, ns=(1, 1))  # the module edited: another time stamp
    assert cached_json("gazetteer", sources, Builds(["second"])) == ["second"]


def test_a_copy_of_another_shape_is_built_again_not_used(tmp_path, user_places):
    """A copy that is JSON but not the table (edited by hand, a future format) must not reach the caller."""
    actors._gazetteer.cache_clear()
    actors._place_names.cache_clear()
    try:
        actors._gazetteer(), actors._place_names()  # writes the copies
        for copy in (user_places / "cache").rglob("*.json"):
            copy.write_text('{"not": "a table"}', encoding="utf-8")
        actors._gazetteer.cache_clear()
        actors._place_names.cache_clear()
        table, adjectives, longest = actors._gazetteer()
        assert "Mexico" in table and longest > 1 and adjectives
        assert "mexico" in actors._place_names()
        source = tmp_path / "data.json"
        source.write_text("[1]")
        cached_json("table", lambda: [source], Builds([1, 2]), lambda v: isinstance(v, list))
        (copy,) = (user_places / "cache").rglob("table-*.json")
        copy.write_text('"a string"', encoding="utf-8")
        build = Builds([1, 2])
        assert cached_json("table", lambda: [source], build, lambda v: isinstance(v, list)) == [1, 2]
        assert build.calls == 1
    finally:
        actors._gazetteer.cache_clear()
        actors._place_names.cache_clear()
