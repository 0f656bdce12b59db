"""Who is who in news text: name spans, roles, countries, and spelling variants of one name.

Everything here is a general rule of English news writing, not knowledge of any
story: people and organisations are capitalised spans; a role is the phrase of
lower-case words and role nouns in front of a name ("State Department
spokesperson Jane Doe") or in an apposition ("John Roe, the
finance minister"); countries are found by their names, demonyms and capitals
from a maintained data set (countryinfo), with pycountry's subdivisions, and a
short table of the seats of government and blocs news writes for a country.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein

from digest.datacache import cached_json, package_files

# Nouns that name a role or an office; a capitalised run ending in one is a title, not a name.
ROLE_NOUNS = frozenset(
    """spokesperson spokesman spokeswoman spokespeople minister ministers president vice-president premier
    chancellor secretary director ambassador envoy agency ministry department office chief head leader
    chairman chairwoman chair governor mayor senator lawmaker legislator official officials analyst analysts
    professor researcher commander general admiral adviser advisor king queen prince princess deputy
    representative correspondent editor ceo founder executive officer manager attorney lawyer judge
    prosecutor commissioner coordinator fellow expert economist diplomat negotiator speaker member
    council committee media outlet newspaper broadcaster service police army military government
    cabinet parliament congress court bank authority authorities regulator union party campaign team
    foundation institute university company firm group organisation organization association
    think-tank watchdog observers monitor commander-in-chief dictator counterpart coach captain player
    pastor bishop rabbi imam priest pope doctor nurse teacher principal scientist engineer activist
    campaigner witness resident student host anchor journalist author actor singer artist owner
    superintendent sheriff inspector detective constable mp chancellor councillor councilor councilman
    councilwoman alderman assemblyman assemblywoman congressman congresswoman pollster reporter columnist
    strategist commentator pundit consultant aide operative surrogate strategist delegate nominee candidate
    economist historian physician surgeon neighbor neighbour archaeologist archeologist biologist geologist
    astronomer physicist chemist psychologist psychiatrist sociologist anthropologist paleontologist zoologist
    ecologist meteorologist epidemiologist virologist deejay deejays dj marshal paramedic firefighter trooper
    sergeant lieutenant corporal colonel president-elect vice-president-elect""".split()
)
# Abbreviated titles ("Sen. Jo Roe", "LASD Lt. Ann Roe"): role words, and alone ("Maj.") they name nobody. Split
# off a name, a title is the role's last word, written out as the noun it abbreviates ("Jo Roe, Nebraska senator").
_TITLE_NOUNS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "lt": "lieutenant", "sgt": "sergeant",
    "capt": "captain", "maj": "major", "col": "colonel", "gen": "general", "det": "detective", "insp": "inspector",
    "supt": "superintendent", "cmdr": "commander", "adm": "admiral", "cpl": "corporal", "atty": "attorney",
}
TITLE_ABBREVIATIONS = frozenset(_TITLE_NOUNS)
# An age in front of a name ("Nine-year-old Kieran", "43-year-old Jo Roe") describes the person, like a role.
_AGE = re.compile(r"^[\w]+-year-old$", re.I)
# Words that are capitalised at a sentence start or in titles but are never part of a name.
_NOT_NAME = frozenset(
    """The A An This That These Those It He She They We I You His Her Its Their Our My Your But And Or
    If When While As At In On Of For From By With Without After Before During Since Until Over Under
    Asked According However Meanwhile Also Both Neither Either Some Many Most Several Two Three Four
    Five Six Seven Eight Nine Ten One Another Other Such Earlier Later Last Next Calling Beginning
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mr Mrs Ms Dr Prof Sir Madam
    Although Though Then Still Yet So Thus Even Just Now To Because Once Instead Indeed Perhaps Soon Again
    Already Hence Moreover Furthermore Nevertheless Nonetheless Unlike Like Despite Among Between Through
    Whenever Wherever Whatever Whoever Whichever Whether Unless""".split()
)
# A speech verb that opens an inverted cue ("Said Ellis:", "Continued Stone:") is not a first name.
_SPEECH_LEADS = frozenset(
    """Said Says Added Adds Wrote Writes Asked Told Tells Stated Continued Concluded Explained Noted Replied
    Responded Answered Declared Tweeted Posted Warned Insisted Argued Observed Remarked Recalled Quipped Joked
    Countered Retorted Cautioned""".split())
# Words in front of a name that say when or how someone held a post ("Former Winnipeg broadcaster Jo Roe"):
# never the first word of a name, so a span they open is read from the next word.
_STANDING_LEADS = frozenset("Former Ex Late Acting Interim Outgoing Incoming Retired".split())  # "Then" is in _NOT_NAME
# A name ending in one of these is a company's ("Vantor Inc", "Hale & Sons Ltd").
CORPORATE_SUFFIXES = frozenset("Inc Corp Corporation Co Ltd LLC PLC plc Holdings GmbH AG SA NV Limited".split())
HONORIFICS = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady".split())
PRONOUNS = frozenset("it he she they we i".split())
_ORG_WORDS = frozenset(
    """agency ministry department office council committee media outlet newspaper broadcaster service
    police army military government cabinet parliament congress court bank authority authorities
    regulator union party campaign foundation institute university company firm group organisation
    organization association house kremlin pentagon embassy commission college school hospital""".split()
)

# The last word of a body's name that is no role noun: "Afghan Analysts Network", "Human Rights Watch" is one body,
# not "Network" with the role "Afghan Analysts".
BODY_ENDS = frozenset(
    """network centre center alliance coalition league federation council trust fund society forum bureau
    institute foundation association agency commission watch project initiative programme program
    corps""".split())

# A capitalised token: "Jones", "Jean-Luc", "O'Brien", "NASA", "U.S.", "al-Assad".
_CAP_TOKEN = r"(?:[A-Z][\w’'\.\-]*[\w.]|[A-Z]|(?:al|el|bin|ibn|abu|bu)-[A-Z][\w’'\.\-]*[\w.])"
_PARTICLES = frozenset("de del da van von bin al la le der den ter".split())
_LINK = r"(?:\s+(?:of|the|de|del|da|van|von|bin|al|la|le|for)\s+)"
NAME_SPAN = re.compile(rf"{_CAP_TOKEN}(?:(?:\s+|{_LINK}){_CAP_TOKEN})*")

# What no country data set lists: the seats of government and ministries that news writes for a government,
# short forms, and the blocs that act like a country. Canonical name (as the data names it) first.
OTHER_COUNTRY_NAMES = """
United States|US|USA|U.S.|U.S.A.|Washington D.C.|America|White House|Pentagon|State Department|Capitol Hill
United Kingdom|UK|U.K.|Britain|Downing Street|Foreign Office|Whitehall
Russia|Kremlin
China|PRC
North Korea|DPRK
South Korea|ROK
Ukraine|Kyiv|Kiev
France|Elysee|Élysée
Israel|Tel Aviv
Palestine|Gaza|West Bank
United Arab Emirates|UAE|Emirati
Myanmar|Burma
India|Delhi
Turkey|Türkiye
Czech Republic|Czechia
Netherlands|The Hague
Saudi Arabia|Saudi|Saudis
Yemen|Sanaa
Philippines|Philippine
Argentina|Argentine|Argentinian
Kazakhstan|Kazakh|Astana
European Union|EU|E.U.|European Commission|Brussels
United Nations|UN|U.N.|Security Council|UN Security Council
NATO|Nato|North Atlantic Treaty Organization
"""

# A capital stands for its government mostly in larger countries; the capitals of small territories are
# common given names and towns elsewhere ("Victoria", "Hamilton", "Douglas", "Stanley").
_MIN_POPULATION_FOR_CAPITAL = 1_000_000
_NAME_TOKEN = re.compile(r"[^\s“”\"(),;:!?\[\]–—]+")
_POSSESSIVE = re.compile(r"[’']s?$")
_LATIN = re.compile(r"^[A-Za-zÀ-ÿ .’'-]+$")


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str | None], frozenset[str], int]:
    """(name -> canonical country, the names that are adjectives or seats, longest name in tokens), built
    from countryinfo and pycountry once (kept in the user's cache between runs: digest.datacache)."""
    table, adjectives, longest = cached_json("gazetteer", _country_sources, _build_gazetteer, _gazetteer_fits)
    return table, frozenset(adjectives), longest


def _gazetteer_fits(value) -> bool:
    """A cached gazetteer has the shape ``_build_gazetteer`` gives: [{name: country}, [adjective], longest]."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], dict)
            and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value[0].items())
            and isinstance(value[1], list) and all(isinstance(a, str) for a in value[1]) and isinstance(value[2], int))


def _country_sources() -> list[Path]:
    """The files the gazetteer and the place names are built from: this module and the packages' data."""
    return [Path(__file__), *package_files("countryinfo", "__init__.py", "data", "data_no_iso"),
            *package_files("pycountry", "__init__.py", "databases/iso3166-1.json", "databases/iso3166-2.json")]


def _build_gazetteer() -> list:
    """The gazetteer's table, its adjectives (sorted) and the longest name's length in tokens.

    Every country's name, Latin alternative names, demonym (and its plural) and capital map to the
    country; a subdivision's name ("New Mexico", "New South Wales") maps to None, so that the country
    inside it is not read ("Mexico"): a state or a province is a place, never a country."""
    from countryinfo import CountryInfo
    import pycountry

    table: dict[str, str | None] = {}
    adjectives: set[str] = set()  # names that take any noun after them: demonyms, seats of government
    current = {c.alpha_2 for c in pycountry.countries}
    # One row per current ISO code: not a former country ("Serbia and Montenegro"), nor a second row under
    # an old name ("Burma") or an inverted one ("Palestine, State of"); the row under the ISO name wins.
    by_code: dict[str, dict] = {}
    for country in CountryInfo.all().values():
        code = (country.get("ISO") or {}).get("alpha2")
        name = country.get("name") or ""
        if code in current and name and "," not in name and (
                code not in by_code or name in _iso_names(pycountry.countries.get(alpha_2=code))):
            by_code[code] = country
    # The more populous country keeps a shared name ("Dominican", "Congolese").
    for country in sorted(by_code.values(), key=lambda c: -(c.get("population") or 0)):
        name = country["name"]
        # Long English forms only ("Republic of Chad"): a native name can be a word or a name in English
        # text ("Suisse" in "Credit Suisse").
        names = [name, _ascii(name), *(alt for alt in country.get("altSpellings") or ()
                                       if len(alt.split()) >= 2 and alt.isascii() and _usable_name(alt))]
        capitals = country.get("capital") or ()
        for capital in [capitals] if isinstance(capitals, str) else capitals:
            capital = re.sub(r"\s+D\.?C\.?$", "", capital)
            if _usable_name(capital) and (country.get("population") or 0) >= _MIN_POPULATION_FOR_CAPITAL:
                names += [capital, _ascii(capital)]  # "Bogota" as often as "Bogotá"
        for other in names:
            table.setdefault(other, name)
        demonym = country.get("demonym") or ""
        if _usable_name(demonym):
            for other in (demonym, demonym + "s") if demonym.endswith(("an", "i")) else (demonym,):
                table.setdefault(other, name)
                adjectives.add(other)
    for line in OTHER_COUNTRY_NAMES.strip().splitlines():
        canonical, *others = [n.strip() for n in line.split("|") if n.strip()]
        table[canonical] = canonical
        for other in others:
            table.setdefault(other, canonical)
            adjectives.add(other)
    for subdivision in pycountry.subdivisions:
        if _usable_name(subdivision.name):
            table.setdefault(subdivision.name, None)
    return [table, sorted(adjectives), max(len(n.split()) for n in table)]


def _iso_names(country) -> set[str]:
    return {getattr(country, attr, None) for attr in ("name", "common_name", "official_name")} - {None}


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _usable_name(name: str) -> bool:
    """A name news prints as such: Latin script, capitalised, not a code ("KOR") or an inverted form ("Korea, Republic of")."""
    return len(name) >= 4 and name[0].isupper() and not name.isupper() and bool(_LATIN.match(name))


def country_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical country) of each country, bloc, demonym, capital or seat named in ``text``.

    Longest name first at each word; a country name followed by another capitalised word that is no office
    or body is part of a longer name ("Jordan Peterson", "Georgia Tech", "Japan Times"), not the country."""
    table, adjectives, longest = _gazetteer()
    words = [(m.start(), m.end(), m.group()) for m in _NAME_TOKEN.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        if not words[i][2][:1].isupper():
            i += 1
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(w for _, _, w in words[i:i + n])
            hit = _lookup(table, phrase)
            if hit is None:
                continue
            key, country = hit
            end = words[i + n - 1][1]
            if country is not None and not _part_of_longer_name(text, key, phrase, words, i + n, table, adjectives):
                spans.append((words[i][0], end, country))
            i += n
            break
        else:
            i += 1
    return spans


_FORCES = frozenset("forces force navy guard".split())


def _lookup(table: dict[str, str | None], phrase: str) -> tuple[str, str | None] | None:
    """The table's entry for ``phrase``, allowing a possessive and a sentence's full stop."""
    for key in (phrase, _POSSESSIVE.sub("", phrase), phrase.rstrip("."), _POSSESSIVE.sub("", phrase.rstrip("."))):
        if key in table:
            return key, table[key]
    return None


def _part_of_longer_name(text: str, key: str, phrase: str, words: list[tuple[int, int, str]], after: int,
                         table: dict[str, str | None], adjectives: frozenset[str]) -> bool:
    if key in adjectives or phrase != key or after >= len(words):
        return False  # demonyms, capitals and seats take any noun after them ("Chinese Foreign Ministry"), and so
        # does a possessive ("Israel's Operation ...")
    if text[words[after - 1][1]:words[after][0]] != " ":
        return False  # punctuation or a line break between them ends the name ("in Iraq, Jumaah")
    following = words[after][2].strip(".,’'")
    if not following[:1].isupper() or _lookup(table, following) is not None:
        return False
    # A body or an office among the capitalised words after it: "Israel Defense Forces", "Moscow City Council".
    run = [w.strip(".,’'").lower() for _, _, w in words[after:after + 3]]
    return not any(w in _ORG_WORDS or w in _FORCES or is_role_word(w) for w in run)


def countries_in(text: str) -> list[str]:
    """Canonical countries (and blocs) named in ``text``, in order of first mention."""
    return list(dict.fromkeys(country for _, _, country in country_spans(text)))


def without_countries(text: str) -> str:
    """``text`` with the country names in it removed."""
    for start, end, _ in reversed(country_spans(text)):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def is_country_name(name: str) -> bool:
    """``name`` is, as a whole, a name of a country or a bloc ("Japan", "Pyongyang", "EU")."""
    found = _lookup(_gazetteer()[0], name.strip())
    return found is not None and found[1] is not None


def country_of(phrase: str) -> str | None:
    """The country a phrase names or belongs to ("South Korea's unification minister" -> South Korea)."""
    found = countries_in(phrase)
    return found[0] if found else None


_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split())


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Folded names of every country and country subdivision (ISO 3166-1 and 3166-2, from pycountry)."""
    return frozenset(cached_json("place-names", _country_sources, _build_place_names,
                                 lambda value: isinstance(value, list) and all(isinstance(n, str) for n in value)))


def _build_place_names() -> list[str]:
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(fold_name(value))
    for subdivision in pycountry.subdivisions:
        names.add(fold_name(subdivision.name))
    return sorted(names)


@lru_cache(maxsize=100_000)
def is_place(name: str) -> bool:
    """``name`` is a country or a country's subdivision (a state, province, region), by ISO 3166 (pycountry);
    memoised, as every name of every sentence is asked."""
    key = fold_name(re.sub(r"^the\s+", "", name.strip(" ,."), flags=re.I))
    words = name.split()
    if len(words) >= 2 and words[-1].strip(" ,.") in PLACE_WORDS and all(w[:1].isupper() for w in words):
        return True  # "Lincoln County", "Hubei Province", "Fukushima Prefecture": a place by its own word
    return bool(key) and (key in _place_names() or key in _country_keys())


# The last word of a place's name that says it is one: a region or district, never a speaker's name.
PLACE_WORDS = frozenset(
    "County Township Province Prefecture Parish Borough District Municipality Oblast Governorate Canton".split())


@lru_cache(maxsize=1)
def _country_keys() -> frozenset[str]:
    """Folded names of the countries' table, built once (is_place is asked for every speaker)."""
    return frozenset(fold_name(n) for n, country in _gazetteer()[0].items() if country is not None)


def is_date_word(name: str) -> bool:
    """A month or a weekday ("March", "Monday"): capitalised, but never a speaker."""
    return name.strip(" ,.").lower() in _MONTHS_AND_DAYS


_HONORIFIC_KEYS = frozenset(h.rstrip(".") for h in HONORIFICS)


@lru_cache(maxsize=200_000)
def fold_name(name: str) -> str:
    """A comparison key for a name: no accents, case, hyphens, apostrophes or honorifics (memoised)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’']s\b", "", text)
    tokens = [t for t in re.split(r"[\s\-‐]+", text) if t and t.rstrip(".") not in _HONORIFIC_KEYS]
    return " ".join(t.lower().strip(".,") for t in tokens)


def is_role_word(token: str) -> bool:
    """``token`` names an office, a trade or a standing ("minister", "Sen.", "neighbor", "Nine-year-old")."""
    word = token.lower().strip(",.’'")
    return word in ROLE_NOUNS or word in TITLE_ABBREVIATIONS or bool(_AGE.match(word))


@dataclass(frozen=True, slots=True)
class Actor:
    """A named speaker or actor: ``name`` as printed, ``role`` if the text gives one, ``kind`` person/org."""

    name: str
    role: str | None = None
    kind: str = "person"


# A capitalised word joined to a participle modifies a noun ("a Tuareg-led rebellion", "Kabul-based"); it names nobody.
# "Tuareg-led", "Kabul-based"; and a capitalised compound whose second word is lower case ("Foreign-currency
# reserves", "Long-term plans" opening a sentence): an adjective, never a one-word name.
MODIFYING_PARTICIPLES = r"(?:led|based|backed|owned|run|funded|born|style|controlled|linked|made|supporting|leaning|allied)"
_COMPOUND_MODIFIER = re.compile(rf"[A-Z][\w’'.]*-{MODIFYING_PARTICIPLES}|[A-Z][a-z]+-[a-z]{{3,}}")
# ... and one in front of a name describes it: "Swiss-based Nestle", "the Brexit-supporting Daily Express".
_LEADING_MODIFIER = re.compile(rf"(?P<modifier>[\w’'.]+-{MODIFYING_PARTICIPLES})\s+(?=[A-Z])")


_TIMED_OFFICE = re.compile(r"(?:Then|Former|Ex)-(?=[A-Z])")


@lru_cache(maxsize=200_000)
def parse_actor(phrase: str) -> Actor | None:
    """Split a noun phrase naming a speaker into name and role (memoised: a story carried by hundreds of
    outlets names the same people in every copy, and the Actor is frozen).

    Handles "ROLE NAME" ("State Department spokesperson Jane Doe"), "ROLE, NAME"
    ("Russia's ambassador to the United States, Anatoly Antonov"), "NAME, ROLE"
    ("Jane Doe, director of the institute"), honorifics ("Mr Jones") and organisations
    ("the US State Department", "the French news agency AFP").
    Returns None when the phrase names nobody (a pronoun, a bare role like "the minister").
    """
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:")
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
    if not phrase or phrase.lower() in PRONOUNS:
        return None
    timed = _TIMED_OFFICE.match(phrase)
    if timed:
        # "Then-Secretary of State Hillary Clinton", "Ex-Governor Jo Roe": the office, held then, and the name
        named = parse_actor(phrase[timed.end():])
        if named is not None:
            return named
    modified = _LEADING_MODIFIER.match(phrase)
    if modified:
        # "Swiss-based Nestle", "the Brexit-supporting Daily Express": the description is no part of the name
        named = parse_actor(phrase[modified.end():])
        if named is not None:
            return Actor(named.name, named.role or modified.group("modifier"), named.kind)
    employed = _EMPLOYER_NAME.match(phrase)
    if employed and _bare_name(employed.group("name")) and len(employed.group("name").split()) >= 2:
        # "the EIA's Andrea Johnson", "NBC's Dante Chinni": the person, of the body that employs them
        named = parse_actor(employed.group("name"))
        if named is not None:
            owner = employed.group("owner")
            # ("NBC's Dante Chinni" alone: "NBC", not "NBC's", is where the person works)
            role = f"{owner} {named.role}" if named.role else re.sub(r"[’']s$", "", owner)
            return Actor(named.name, role, named.kind)
    if employed and " " not in employed.group("name") and not _is_body_word(employed.group("name")):
        # "North Carolina's Perdue", "Japan's Abe": a place's one-word name is a person's, of that place
        # (a person's or a body's "Trump's Twitter" is a thing of theirs, and stays whole)
        place = re.sub(r"[’']s$", "", employed.group("owner"))
        if is_country_name(place) or is_place(place):
            return Actor(employed.group("name"), place, "person")
    parts = [p.strip() for p in re.split(r",\s*", phrase) if p.strip()]
    if len(parts) >= 2:
        first, second = parts[0], parts[1]
        first_name, second_name = _bare_name(first), _bare_name(second)
        if second_name and not first_name:  # "ROLE, NAME"
            return _actor(second_name, first)
        if first_name:  # "NAME, ROLE" or "ROLE NAME, ..."
            actor = parse_actor(first)
            if actor and not actor.role and not _bare_name(second):
                return _actor(actor.name, re.sub(r"^(?:the|a|an)\s+", "", ", ".join(parts[1:]), flags=re.I))
            return actor
        if second_name:
            return _actor(second_name, first)
        titled = parse_actor(first)
        before_name = first[: first.find(titled.name)].split() if titled is not None and titled.name in first else []
        if titled is not None and titled.kind == "person" and before_name and _bare_name(titled.name) and all(
                t.lower().strip(",.’'") in TITLE_ABBREVIATIONS or _is_cap(t) for t in before_name):
            # "Rep. Jo Roe (D-N.C.), head of the caucus": a titled name, then its role
            return _actor(titled.name, re.sub(r"^(?:the|a|an)\s+", "", ", ".join(parts[1:]), flags=re.I))
    tokens = phrase.split()
    if all(t.lower().strip(",.’'") in TITLE_ABBREVIATIONS for t in tokens):
        return None
    end = len(tokens)
    start = end
    if tokens and _is_cap(tokens[-1]) and (is_role_word(tokens[-1]) or tokens[-1].lower().strip(",.") in BODY_ENDS):
        # A capitalised office ending in a role noun is an organisation's name ("Finance Ministry").
        while start > 0 and _is_cap(tokens[start - 1]):
            start -= 1
    else:
        # The name is the trailing run of capitalised tokens after the last role noun; a particle
        # between two of them belongs to the name ("Bill de Blasio", "Ludwig van Beethoven").
        while start > 0 and (_is_cap(tokens[start - 1]) and not is_role_word(tokens[start - 1])
                             or tokens[start - 1] in _PARTICLES and start >= 2 and start < end
                             and _is_cap(tokens[start - 2]) and not is_role_word(tokens[start - 2])):
            start -= 1
    if start >= 2 and tokens[start - 1] == "of" and is_role_word(tokens[start - 2]) and end - start >= 3:
        # "Secretary of State Jo Roe", "Minister of Home Affairs Li Wen": the office's words end where a
        # name of two tokens (three with an initial) begins
        start = end - (3 if re.fullmatch(r"[A-Z]\.", tokens[end - 2]) else 2)
    if start >= 2 and tokens[start - 1] == "of" and tokens[start - 2].lower() in _ORG_WORDS \
            and _is_cap(tokens[start - 2]) and not any(is_role_word(t) for t in tokens[start:end]):
        # "Association of Flight Attendants", "Bank of Jordan": a body named "BODY of NAME" is one organisation
        first = start - 2
        while first > 0 and _is_cap(tokens[first - 1]) and tokens[first - 1] not in _NOT_NAME:
            first -= 1
        return Actor(" ".join(tokens[first:end]).strip(" ,.’'"), " ".join(tokens[:first]) or None, "org")
    joined = _joined_body_start(tokens, start, end)
    if joined is not None:
        # "the Department of Health and Human Services", "the Centers for Disease Control and Prevention": a
        # body named "BODY of/for X and Y" is one organisation, not a person called "Human Services"
        return Actor(" ".join(tokens[joined:end]).strip(" ,.’'"), " ".join(tokens[:joined]) or None, "org")
    name_tokens = _without_honorifics(tokens[start:end])
    role_tokens = tokens[:start]
    if not name_tokens:
        # "the Lusitanian foreign ministry", "Environmental groups": a described body, named by the phrase.
        head = tokens[-1].lower().strip(",.")
        if len(tokens) <= 5 and (head in _ORG_WORDS or head.rstrip("s") in ROLE_NOUNS and head.endswith("s")) \
                and any(_is_cap(t) and t not in _NOT_NAME for t in tokens):
            return Actor(phrase, None, "org")
        return None
    if role_tokens and all(_is_cap(t) for t in role_tokens) and not any(is_role_word(t) for t in role_tokens):
        # All capitalised and no role noun: one organisation name ("US State Department").
        name_tokens, role_tokens = _without_honorifics(tokens), []
    name = " ".join(name_tokens).strip(" ,.’'")
    if name in _NOT_NAME or name.lower() in PRONOUNS or not name or _COMPOUND_MODIFIER.fullmatch(name):
        return None
    role = " ".join(role_tokens).strip(" ,") or None
    actor = _actor(name, role)
    lead = 0
    while lead < len(role_tokens) and _is_cap(role_tokens[lead]) and not is_role_word(role_tokens[lead]):
        lead += 1
    if actor.kind == "org" and 2 <= lead <= 3 and lead < len(role_tokens) and role_tokens[lead][:1].islower() \
            and is_role_word(role_tokens[lead]):
        # "Jo Roe spokesperson for Ellis College" (the comma left out): Jo Roe speaks, for the college.
        return _actor(" ".join(role_tokens[:lead]), " ".join(role_tokens[lead:] + tokens[start:end]))
    return actor


def _without_honorifics(tokens: list[str]) -> list[str]:
    """A name's tokens without the honorifics opening it ("Dr Jo Roe" -> "Jo Roe"); one that ends it is a
    surname ("Bob Lord", "Ann Sir")."""
    lead = 0
    while lead < len(tokens) and tokens[lead] in HONORIFICS:
        lead += 1
    return tokens[lead:]


MAX_JOINED_WORDS = 3  # words of X and of Y in "BODY of X and Y"; longer runs are two parties, not one name


def _is_body_word(token: str) -> bool:
    word = token.lower().strip(",.")
    return _is_cap(token) and any(w in BODY_ENDS or w in _ORG_WORDS for w in (word, word.removesuffix("s")))


def _joined_body_start(tokens: list[str], start: int, end: int) -> int | None:
    """Where "BODY of/for X and Y" begins when the trailing name ``tokens[start:end]`` is its Y, else None.

    Y is no person when a capitalised body word ("Department", "Centers", "Institute") governs the "of" or
    "for" before X. Without that word ("the Council and Jane Doe", "the European Union and the United
    States") the "and" joins two parties and nothing changes.
    """
    if start < 4 or tokens[start - 1] != "and" or end - start > MAX_JOINED_WORDS:
        return None
    if any(is_role_word(t) or t in HONORIFICS for t in tokens[start:end]):
        return None
    x_start = start - 1
    while x_start > 0 and start - 1 - x_start < MAX_JOINED_WORDS and _is_cap(tokens[x_start - 1]) \
            and not _is_body_word(tokens[x_start - 1]):
        x_start -= 1
    if x_start == start - 1 or x_start < 2 or tokens[x_start - 1] not in ("of", "for") \
            or not _is_body_word(tokens[x_start - 2]):
        return None
    first = x_start - 2
    while first > 0 and _is_cap(tokens[first - 1]) and tokens[first - 1] not in _NOT_NAME \
            and not is_role_word(tokens[first - 1]):
        first -= 1
    return first


_EMPLOYER_NAME = re.compile(r"^(?P<owner>(?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*[’']s)\s+(?P<name>[A-Z][^,’']*)$")


def _actor(name: str, role: str | None) -> Actor:
    name = re.sub(r"[’']s$", "", name.strip(" ,."))
    role = role.strip(" ,") if role else None
    if role and role.split():
        *rest, last = role.split()
        title = _TITLE_NOUNS.get(last.lower().strip("."))
        if title and last.endswith(".") or title and last[:1].isupper() and len(last) <= 4:
            role = " ".join([*rest, title])  # "Nebraska Sen." before the name: a Nebraska senator
    body_role = bool(role) and role.split()[-1].lower().strip(",.") in BODY_ROLE_WORDS
    if role and not body_role and not any(is_role_word(t) for t in role.split()) and not countries_in(role):
        role = None  # words in front of a name that name no office ("while the") are not a role
    words = name.split()
    if role and _holds_office(role) and not any(w.lower() in _ORG_WORDS for w in words) \
            and not (len(words) >= 2 and words[-1].rstrip(".") in CORPORATE_SUFFIXES) and not is_country_name(name):
        # An office in front of a name ("Prime Minister Jo Roe", "Sen. JO ROE", "Foreign Ministry spokesman
        # Lu") is a person's, whatever body the office belongs to or however the name is printed.
        return Actor(name, role, "person")
    org = (
        name.isupper() and len(name) <= 8
        or len(words) in (2, 3) and len(words[0]) >= 3 and words[0].isalpha() and words[0].isupper()  # "CTV Winnipeg"
        or any(w.lower() in _ORG_WORDS for w in words)
        or len(words) >= 2 and words[-1].lower() in BODY_ENDS
        or (len(words) >= 2 and words[-1].rstrip(".") in CORPORATE_SUFFIXES)
        or (role is not None and any(w.lower() in {"agency", "media", "ministry", "newspaper", "broadcaster", "outlet"} for w in role.split())
            and len(words) == 1)
        or body_role and len(words) <= 2  # "West African regional body Ecowas", "the opposition bloc Acme"
        or (len(words) <= 3 and is_country_name(name))
    )
    return Actor(name, role or None, "org" if org else "person")


# A role that says the name after it is a body's: "regional body Ecowas", "rebel group Ansar Dine".
BODY_ROLE_WORDS = frozenset("""body bloc group organisation organization alliance coalition network union party
    movement federation league agency""".split())


def _holds_office(role: str) -> bool:
    """``role`` ends in a person's office or trade ("Foreign Ministry spokesman", "senator"), not a body
    ("French news agency", "state media outlet")."""
    last = role.split()[-1].lower().strip(",.’'")
    return is_role_word(last) and last not in _ORG_WORDS and last not in _PERSON_ROLE_EXCEPTIONS


# Role nouns that also name a body or a group, so they do not make the name after them a person's.
_PERSON_ROLE_EXCEPTIONS = frozenset("""team group service media council committee authority authorities regulator
    watchdog monitor observers union party army military police government cabinet parliament congress court
    think-tank""".split())


_ARTICLED_NAME = re.compile(r"(?:al|el|bin|ibn|abu|bu)-[A-Z]")


def _is_cap(token: str) -> bool:
    token = token.strip("“”\"(),")
    if _ARTICLED_NAME.match(token):  # "al-Assad", "bin-Talal": a name with its particle joined on
        return True
    return bool(token) and (token[0].isupper() or token in {"of", "the", "for", "and", "de", "al", "bin", "van", "von"} and False)


def _bare_name(text: str) -> str | None:
    """``text`` if it is only a capitalised name (no role noun, no lower-case word), else None."""
    tokens = _without_honorifics(text.split())
    if tokens and all(_is_cap(t) for t in tokens) and not any(is_role_word(t) for t in tokens) \
            and not (len(tokens) == 1 and tokens[0] in _NOT_NAME):
        return " ".join(tokens)
    return None


_NOT_A_NAME_START = _NOT_NAME | HONORIFICS | _SPEECH_LEADS | _STANDING_LEADS
_NOT_A_NAME_END = frozenset("of the de and for la le al bin".split())


# What a lower-case office is of: "secretary of State", "minister of Foreign Affairs", "secretary of Homeland Security".
_OFFICE_OBJECTS = frozenset("State Defense Defence Justice Energy Commerce Labor Labour Treasury Interior "
                            "Transportation Education Agriculture Health Housing Veterans Homeland Security Foreign "
                            "Affairs Finance War Trade Culture".split())
_ROLE_OF_BEFORE = re.compile(r"\b(?:secretary|minister|department|ministry|director|head|chief)\s+of\s+$", re.I)


def name_spans(text: str) -> list[str]:
    """Capitalised spans that may be names, with leading function words ("The", "Mr") removed."""
    spans = []
    for m in NAME_SPAN.finditer(text):
        tokens = m.group(0).split()
        first, end = 0, len(tokens)
        while first < end and tokens[first] in _NOT_A_NAME_START:
            first += 1
        while first < end and tokens[end - 1].lower() in _NOT_A_NAME_END:
            end -= 1
        if first < end - 1 and tokens[first] in _OFFICE_OBJECTS and _ROLE_OF_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            # "secretary of State Hillary Clinton": "State" is the office's, not the first name's
            while first < end - 1 and tokens[first] in _OFFICE_OBJECTS:
                first += 1
        if first < end:
            name = " ".join(tokens[first:end])
            if name.endswith(("’s", "'s")):
                name = name[:-2]
            spans.append(name.rstrip("."))
    return spans


_ABBREVIATION = re.compile(r"^(?:[A-Z]\.|(?:[A-Z]\.)+[A-Z]?\.?|(?:Jr|Sr|St|Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Rev|Prof)\.)$")
_CAPS_FUNCTION_WORDS = frozenset("A AN THE HAS HAVE HAD IS WAS ARE WERE HIM HER HIS HE SHE IT THEY WE OF TO IN ON AT FOR "
                                 "AND OR BUT NOT AS BY WITH FROM THAT THIS WHO WILL".split())


def plausible_full_name(name: str) -> bool:
    """Whether ``name`` can be the full form a short mention expands to.

    Not a headline in title case ("Obama Seeks More ... Holiday": more than five tokens), not two
    sentences run together ("Peabody Energy. From"), not a line in capitals ("HAS INVESTIGATED HIM"), not a
    possessive ("Trump's Twitter").
    """
    tokens = name.split()
    if len(tokens) > 5 or tokens and tokens[0] in _SPEECH_LEADS:
        return False  # "Said Ellis: ..." opens with the verb, not a first name
    if any(t.endswith(".") and not _ABBREVIATION.match(t) for t in tokens[:-1]):
        return False
    if any(t.endswith(("’s", "'s")) for t in tokens[:-1]):
        return False  # "Trump's Twitter" is a thing of Trump's, not a longer form of his name
    return not (len(tokens) >= 2 and any(t.strip(",.") in _CAPS_FUNCTION_WORDS for t in tokens))


# A one-word name speaking of "its" own statement or plans is an organisation ("Tesla said in its statement").
_SAID_ITS = re.compile(r"\b([A-Z][\w&.-]+)\s+(?:said|says|announced|confirmed|added|wrote|noted)\s+(?:in\s+|on\s+)?its\b")
_PRODUCT_END = re.compile(r"\s(?:[A-Z]|[A-Z]?\d+[A-Za-z]?)$")  # "Model X", "iPhone 8", "Galaxy S9"


DOMINANT_NAME_RATIO = 2  # mentions of a full name over the next one sharing its one name, to expand that one


class NameBook:
    """Full names seen in a text, to expand short mentions ("Jones" -> "Ann Jones") and merge spellings.

    A short mention expands to the most frequent longer person name that contains it as
    its first or last token. Spelling variants (hyphen or space, case, one letter off in
    one token) share one display form: the most frequent.

    Look-ups are indexed and memoised (full names by first and last token, the weight of
    each display form, each answer), so a story with thousands of names costs time in
    proportion to its names, not to their square.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        bodies: set[str] = set()
        for text in texts:
            if " its " in text:  # (the cheap test first)
                bodies.update(_SAID_ITS.findall(text))
            for span in name_spans(text):
                actor = parse_actor(span)
                if actor and actor.kind == "person" and not is_country_name(span):
                    counts[actor.name] += 1
        self.counts = counts
        self._bodies = frozenset(fold_name(b) for b in bodies)  # one-word names that speak of "its" statement
        self._display: dict[str, str] = {}
        by_key: dict[str, Counter[str]] = {}
        # Keys that may be variants of each other have the same number of tokens and the same first token.
        buckets: dict[tuple[int, str], list[str]] = {}
        for name, n in counts.items():
            folded = fold_name(name)
            key = self._variant_key(folded, buckets)
            if key not in by_key:
                tokens = key.split()
                buckets.setdefault((len(tokens), tokens[0] if tokens else ""), []).append(key)
            by_key.setdefault(key, Counter())[name] += n
        for variants in by_key.values():
            best = max(variants.items(), key=lambda kv: (kv[1], "-" in kv[0], kv[0]))[0]
            for name in variants:
                self._display[fold_name(name)] = best
        # (a name ending on one bare capital or a number is a product, "Tesla Model X": no one's full name)
        self._full = [n for n in counts if len(fold_name(n).split()) >= 2 and plausible_full_name(n)
                      and not _PRODUCT_END.search(n)]
        # Full names by their first and by their last folded token, in first-seen order.
        self._by_first: dict[str, list[str]] = {}
        self._by_last: dict[str, list[str]] = {}
        for n in self._full:
            tokens = fold_name(n).split()
            self._by_first.setdefault(tokens[0], []).append(n)
            self._by_last.setdefault(tokens[-1], []).append(n)
        # Weight of a display form: the mentions of every name shown in that form.
        self._display_weight: Counter[str | None] = Counter()
        for other, n in counts.items():
            self._display_weight[self._display.get(fold_name(other))] += n
        self._canonical: dict[str, str] = {}

    @staticmethod
    def _variant_key(key: str, buckets: dict[tuple[int, str], list[str]]) -> str:
        tokens = key.split()
        if len(tokens) < 2:
            return key
        for other in buckets.get((len(tokens), tokens[0]), ()):
            other_tokens = other.split()
            if sum(a != b for a, b in zip(tokens, other_tokens)) <= 1 and Levenshtein.distance(key, other) <= 1:
                return other
        return key

    def canonical(self, name: str) -> str:
        """The display form of ``name``: expanded to a full name and spelling variants merged."""
        known = self._canonical.get(name)
        if known is not None:
            return known
        key = fold_name(name)
        result = self._display.get(key, name)
        if len(name.split()) == 1 and key:
            token = key.split()[0] if " " not in key else None
            candidates = []
            if token is not None:
                seen: set[str] = set()
                # ("Tesla said in its statement": a company, not the first name of "Tesla Autopilot")
                firsts = self._by_first.get(token, []) if key not in self._bodies else []
                for n in firsts + self._by_last.get(token, []):
                    if n not in seen and fold_name(n) != key:
                        seen.add(n)
                        candidates.append(n)
            else:  # one written token that folds to several ("Jong-un"): the unindexed rule
                candidates = [n for n in self._full if fold_name(n) != key and (
                    fold_name(n).startswith(key + " ") or fold_name(n).endswith(" " + key))]
            if candidates:
                best = max(candidates, key=lambda n: (self._weight(n), n))
                # "Bush" in a story of George H.W. Bush, George W. Bush and Prescott Bush is none of them for
                # sure: a one name stands for a full name only when that name is much the most mentioned of
                # those it is the first name of, or the surname of, as it is of the best.
                as_first = token is not None and fold_name(best).split()[0] == token
                shown = {self._display.get(fold_name(n), n) for n in candidates
                         if token is None or (fold_name(n).split()[0] == token) == as_first}
                best = self._display.get(fold_name(best), best)
                rivals = sorted((self._weight(n) for n in shown if n != best), reverse=True)
                if not rivals or self._weight(best) >= DOMINANT_NAME_RATIO * rivals[0]:
                    result = best
        self._canonical[name] = result
        return result

    def _weight(self, name: str) -> int:
        return self._display_weight[self._display.get(fold_name(name))]

    def same(self, a: str, b: str) -> bool:
        return fold_name(self.canonical(a)) == fold_name(self.canonical(b))


def principal_actors(leads: Sequence[str], book: NameBook) -> tuple[set[str], set[str]]:
    """The story's principal people and countries: those named in at least two of the leads.

    ``leads`` are the titles and first sentences of the articles. With a single lead,
    everything it names is principal.
    """
    people: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for lead in leads:
        named = [parse_actor(s) for s in name_spans(lead) if not is_country_name(s)]
        people.update({fold_name(book.canonical(a.name)) for a in named if a is not None and a.kind == "person"})
        places.update(set(countries_in(lead)))
    need = 2 if len(leads) > 1 else 1
    return ({p for p, n in people.items() if n >= need and p}, {c for c, n in places.items() if n >= need})
