"""Units next to numbers, normalized as in RECORDS.md.

Money is an ISO 4217 code (``USD``, ``GBP``, ``EUR``, ``JPY``, ...; bitcoin, which has
none, gets its usual ticker ``BTC``), with ``cent``, ``penny`` and ``sen`` kept as written;
``percent``, ``percentage point`` and ``basis point`` stay apart; physical units get full
singular lower-case British names as in NewsQuant (``kilometre``, ``mile per hour``,
``square metre``); durations are ``year``, ``month``, ``week``, ``day``, ``hour``,
``minute``, ``second``; domain units stay as written (``TIV``).
Rates are ``"<unit> per <unit>"`` (``USD per barrel``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCY_CODES = (
    "USD GBP EUR JPY CNY AUD INR CAD HKD NZD SGD CHF ILS MYR DKK SEK NOK KRW RUB BRL ZAR "
    "MXN HRK TRY THB"
).split()

_PREFIXES: dict[str, str] = {
    r"US\s?\$": "USD",
    r"U\.S\.\s?\$": "USD",
    r"\$\s?US": "USD",
    r"HK\s?\$": "HKD",
    r"A\$": "AUD",
    r"\$A": "AUD",
    r"AU\$": "AUD",
    r"C\$": "CAD",
    r"CA\$": "CAD",
    r"NZ\$": "NZD",
    r"S\$": "SGD",
    r"R\$": "BRL",
    r"Rs\.?\s?": "INR",
    r"₹\s?": "INR",
    r"€\s?": "EUR",
    r"£\s?": "GBP",
    r"PS": "GBP",
    r"¥\s?": "JPY",
    r"Y=": "JPY",
    r"RM": "MYR",
    r"RMB\s?": "CNY",
    r"NIS\s?": "ILS",
    r"₩\s?": "KRW",
    r"₽\s?": "RUB",
    r"₿\s?": "BTC",
    r"\$\s?": "USD",
    **{rf"{code}\s?": code for code in CURRENCY_CODES},
}
CURRENCY_PREFIX_RE = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(f"(?P<c{i}>{p})" for i, p in enumerate(_PREFIXES)) + r")$"
)
_PREFIX_CODES = list(_PREFIXES.values())

# normalized name -> (kind, surfaces); lower-case surfaces match any case, others exactly.
_UNITS: dict[str, tuple[str, list[str]]] = {
    "percent": ("percent", ["%", "per cent", "percent", "pc", "per-cent", "pct"]),
    "percentage point": ("percent", ["percentage points", "percentage point", "pp", "ppt"]),
    "basis point": ("percent", ["basis points", "basis point", "bps", "bp"]),
    "USD": ("money", ["dollars", "dollar", "US dollars", "U.S. dollars", "USD"]),
    "AUD": ("money", ["Australian dollars", "Australian dollar", "AUD"]),
    "CAD": ("money", ["Canadian dollars", "Canadian dollar", "CAD"]),
    "HKD": ("money", ["Hong Kong dollars", "Hong Kong dollar", "HKD"]),
    "NZD": ("money", ["New Zealand dollars", "NZD"]),
    "SGD": ("money", ["Singapore dollars", "SGD"]),
    "EUR": ("money", ["euros", "euro", "EUR", "€"]),
    "GBP": ("money", ["pounds sterling", "pound sterling", "sterling", "GBP", "£"]),
    "JPY": ("money", ["yen", "JPY"]),
    "CNY": ("money", ["yuan", "renminbi", "CNY", "RMB"]),
    "INR": ("money", ["rupees", "rupee", "INR"]),
    "ILS": ("money", ["shekels", "shekel", "ILS", "NIS"]),
    "MYR": ("money", ["ringgit", "MYR"]),
    "DKK": ("money", ["Danish crowns", "Danish kroner", "Danish krone", "DKK"]),
    "SEK": ("money", ["Swedish crowns", "Swedish kronor", "SEK"]),
    "NOK": ("money", ["Norwegian crowns", "Norwegian kroner", "NOK"]),
    "CHF": ("money", ["Swiss francs", "CHF"]),
    "KRW": ("money", ["won", "KRW"]),
    "RUB": ("money", ["roubles", "rubles", "RUB"]),
    "ZAR": ("money", ["rand", "ZAR"]),
    "HRK": ("money", ["kuna", "HRK", "kn"]),
    "BTC": ("money", ["bitcoins", "bitcoin", "Bitcoins", "Bitcoin", "BTC"]),
    "cent": ("money", ["cents", "cent"]),
    "penny": ("money", ["pence", "p"]),
    "sen": ("money", ["sen"]),
    "kilometre": ("quantity", ["kilometres", "kilometre", "kilometers", "kilometer", "km", "kms"]),
    "metre": ("quantity", ["metres", "metre", "meters", "meter", "m"]),
    "centimetre": ("quantity", ["centimetres", "centimetre", "centimeters", "centimeter", "cm"]),
    "millimetre": ("quantity", ["millimetres", "millimetre", "millimeters", "millimeter", "mm"]),
    "micrometre": ("quantity", ["micrometres", "micrometers", "microns", "micron", "μm", "µm"]),
    "nanometre": ("quantity", ["nanometres", "nanometre", "nanometers", "nanometer", "nm"]),
    "mile": ("quantity", ["miles", "mile", "mi"]),
    "nautical mile": ("quantity", ["nautical miles", "nautical mile"]),
    "foot": ("quantity", ["feet", "foot", "ft"]),
    "inch": ("quantity", ["inches", "inch", "″", "in."]),
    "yard": ("quantity", ["yards", "yard", "yds", "yd"]),
    "light-year": ("quantity", ["light-years", "light years", "light-year"]),
    "square metre": ("quantity", ["square metres", "square meters", "sq m", "sqm", "m2", "m²"]),
    "square kilometre": (
        "quantity",
        ["square kilometres", "square kilometers", "square km", "sq km", "km2", "km²"],
    ),
    "square foot": ("quantity", ["square feet", "square foot", "sq ft", "sq. ft."]),
    "square mile": ("quantity", ["square miles", "square mile", "sq mi"]),
    "acre": ("quantity", ["acres", "acre"]),
    "hectare": ("quantity", ["hectares", "hectare", "ha"]),
    "cubic foot": ("quantity", ["cubic feet", "cubic foot"]),
    "cubic metre": ("quantity", ["cubic metres", "cubic meters", "m3", "m³"]),
    "litre": ("quantity", ["litres", "litre", "liters", "liter", "l", "L"]),
    "millilitre": ("quantity", ["millilitres", "milliliters", "ml", "mL"]),
    "gallon": ("quantity", ["gallons", "gallon", "gal"]),
    "pint": ("quantity", ["pints", "pint"]),
    "quart": ("quantity", ["quarts", "quart"]),
    "barrel per day": (
        "quantity",
        ["barrels per day", "barrels a day", "barrel-a-day", "barrel a day", "bpd", "b/d"],
    ),
    "barrel": ("quantity", ["barrels", "barrel", "bbl"]),
    "kilogram": ("quantity", ["kilograms", "kilogram", "kilogrammes", "kilos", "kg", "kgs"]),
    "gram": ("quantity", ["grams", "gram", "grammes", "g"]),
    "milligram": ("quantity", ["milligrams", "milligram", "mg"]),
    "microgram": ("quantity", ["micrograms", "microgram", "μg", "mcg"]),
    "tonne": ("quantity", ["tonnes", "tonne", "tons", "ton", "metric tons"]),
    "pound-mass": ("quantity", ["lbs", "lb"]),
    "ounce": ("quantity", ["ounces", "ounce", "oz"]),
    "carat": ("quantity", ["carats", "carat"]),
    "second": ("duration", ["seconds", "second", "secs", "sec"]),
    "minute": ("duration", ["minutes", "minute", "mins", "min"]),
    "hour": ("duration", ["hours", "hour", "hrs", "hr"]),
    "day": ("duration", ["days", "day"]),
    "week": ("duration", ["weeks", "week"]),
    "month": ("duration", ["months", "month"]),
    "year": ("duration", ["years", "year", "yrs", "yr"]),
    "year of age": ("quantity", ["years old", "year old", "year-olds", "year-old"]),
    "month of age": ("quantity", ["months old", "month old", "month-olds", "month-old"]),
    "mile per hour": ("quantity", ["miles per hour", "miles an hour", "mph"]),
    "kilometre per hour": (
        "quantity",
        ["kilometres per hour", "kilometers per hour", "km/h", "km/hr", "kph", "kmh", "kmph"],
    ),
    "metre per second": ("quantity", ["metres per second", "meters per second", "m/s"]),
    "knot": ("quantity", ["knots"]),
    "mile per gallon": ("quantity", ["miles per gallon", "mpg"]),
    "watt": ("quantity", ["watts", "watt", "W"]),
    "kilowatt": ("quantity", ["kilowatts", "kilowatt", "kW"]),
    "megawatt": ("quantity", ["megawatts", "megawatt", "MW"]),
    "gigawatt": ("quantity", ["gigawatts", "gigawatt", "GW"]),
    "kilowatt hour": ("quantity", ["kilowatt-hours", "kilowatt hours", "kilowatt-hour", "kWh"]),
    "megawatt hour": ("quantity", ["megawatt-hours", "megawatt hours", "MWh"]),
    "gigawatt hour": ("quantity", ["gigawatt-hours", "gigawatt hours", "GWh"]),
    "terawatt hour": ("quantity", ["terawatt-hours", "terawatt hours", "TWh"]),
    "horsepower": ("quantity", ["horsepower", "hp", "PS"]),
    "brake horsepower": ("quantity", ["bhp"]),
    "newton metre": ("quantity", ["newton metres", "newton-metres", "Nm"]),
    "pound-foot": ("quantity", ["pound-feet", "pound-foot", "lb-ft", "lb ft"]),
    "revolutions per minute": ("quantity", ["rpm"]),
    "milliampere-hour": ("quantity", ["mAh"]),
    "volt": ("quantity", ["volts", "volt", "V"]),
    "ampere": ("quantity", ["amperes", "amps", "A"]),
    "hertz": ("quantity", ["hertz", "Hz", "HZ"]),
    "kilohertz": ("quantity", ["kHz"]),
    "megahertz": ("quantity", ["MHz"]),
    "gigahertz": ("quantity", ["GHz"]),
    "kilobyte": ("quantity", ["kilobytes", "KB"]),
    "megabyte": ("quantity", ["megabytes", "MB"]),
    "gigabyte": ("quantity", ["gigabytes", "gigabyte", "GB"]),
    "terabyte": ("quantity", ["terabytes", "terabyte", "TB"]),
    "megabit per second": ("quantity", ["Mbps", "Mb/s"]),
    "gigabit per second": ("quantity", ["Gbps", "Gb/s"]),
    "celsius": ("quantity", ["degrees Celsius", "degrees celsius", "degrees C", "°C", "ºC", "C"]),
    "fahrenheit": ("quantity", ["degrees Fahrenheit", "degrees fahrenheit", "°F", "ºF", "F"]),
    "degree": ("quantity", ["degrees", "degree", "°"]),
    "gigapascal": ("quantity", ["gigapascals", "GPa"]),
    "ampere per square centimetre": ("quantity", ["A/cm2", "A/cm²"]),
    "parts-per-million": ("quantity", ["parts per million", "ppm"]),
    "parts-per-billion": ("quantity", ["parts per billion", "ppb"]),
    "decibel": ("quantity", ["decibels", "decibel", "dB"]),
    "calorie": ("quantity", ["calories", "kcal"]),
    "point": ("quantity", ["points", "pts"]),
    "times": ("quantity", ["times"]),
    "TIV": ("quantity", ["TIV"]),
    "win above replacement": ("quantity", ["WAR"]),
    "mega british thermal unit": ("quantity", ["mmBTU", "MMBtu", "MMBTU", "mmbtu", "mmBtu"]),
    "british thermal unit": ("quantity", ["British thermal units", "BTU", "Btu"]),
}
_CELSIUS_WORDS = ["Celsius", "celsius", "centigrade"]
_UNITS["celsius"][1].extend(_CELSIUS_WORDS)
_UNITS["fahrenheit"][1].extend(["Fahrenheit", "fahrenheit"])

ATTACHED_ONLY = frozenset({"m", "g", "l", "L", "W", "V", "A", "C", "F", "p", "mi", "ha"})
SPACED_LETTERS = frozenset({"p", "W", "C", "F", "V"})
RATE_KINDS = frozenset({"money", "quantity"})

TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year"}
MULTI_YEAR = {"decade": 10.0, "decades": 10.0, "century": 100.0, "centuries": 100.0}


@dataclass
class UnitMatch:
    unit: str
    kind: str
    end: int


def _build() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    lookup: dict[str, tuple[str, str]] = {}
    parts: list[tuple[str, str]] = []
    for name, (kind, surfaces) in _UNITS.items():
        for surface in surfaces:
            key = surface if surface != surface.lower() or len(surface) <= 3 else surface.lower()
            lookup.setdefault(key, (name, kind))
            parts.append((surface, key))
    parts.sort(key=lambda p: len(p[0]), reverse=True)
    alternatives = []
    for surface, _ in parts:
        escaped = re.escape(surface).replace(r"\ ", r"[\s-]+")
        if surface == surface.lower() and len(surface) > 3:
            escaped = f"(?i:{escaped})"
        alternatives.append(escaped)
    pattern = re.compile(r"(?P<unit>" + "|".join(alternatives) + r")(?![A-Za-z0-9])")
    return pattern, lookup


UNIT_RE, _LOOKUP = _build()
_GAP_RE = re.compile(r"[ \t]?-?")
_RATE_RE = re.compile(
    r"[\s-]*(?:(?P<per>per\b|/)|(?P<a>(?:an?|each)\b))[\s-]*"
    r"(?![\s-]*\w+\s+(?:earlier|ago|later|before|after|from|since)\b)",
    re.I,
)
_PER_NOUN_RE = re.compile(r"(?P<noun>[A-Za-z]+)(?![A-Za-z0-9])")
_US_RE = re.compile(r"\s+(?:US\b|U\.S\.)(?!\s*\$)")


def _lookup(surface: str) -> tuple[str, str] | None:
    key = re.sub(r"[\s-]+", " ", surface)
    found = _LOOKUP.get(key) or _LOOKUP.get(key.lower())
    if found is None and "-" in surface:
        found = _LOOKUP.get(surface) or _LOOKUP.get(surface.lower())
    return found


def singular(word: str) -> str:
    """Crude English singular of a lower-cased plural noun (``companies`` -> ``company``)."""
    low = word.lower()
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes")):
        return low[:-2]
    if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        return low[:-1]
    return low


def match_unit(text: str, pos: int, allow_rate: bool = True) -> UnitMatch | None:
    """The unit written right after a number ending at ``pos``, if any."""
    gap = _GAP_RE.match(text, pos)
    start = gap.end() if gap else pos
    match = UNIT_RE.match(text, start)
    if match is None:
        return None
    surface = match.group("unit")
    if surface in ATTACHED_ONLY and start != pos and surface not in SPACED_LETTERS:
        return None
    found = _lookup(surface)
    if found is None:
        return None
    unit, kind = found
    if unit == "USD" and surface == "US":
        return None
    end = match.end()
    if allow_rate and kind in RATE_KINDS:
        rate = match_rate(text, end)
        if rate is not None:
            return UnitMatch(f"{unit} per {rate.unit}", kind, rate.end)
    return UnitMatch(unit, kind, end)


def match_rate(text: str, pos: int) -> UnitMatch | None:
    """``per barrel``, ``a month``, ``/kg`` after a unit ending at ``pos``."""
    rate = _RATE_RE.match(text, pos)
    if rate is None:
        return None
    after = rate.end()
    inner = match_unit(text, after, allow_rate=False)
    if inner is not None and inner.kind in ("quantity", "duration"):
        return UnitMatch(inner.unit, inner.kind, inner.end)
    if rate.group("per"):
        noun = _PER_NOUN_RE.match(text, after)
        if noun and noun.group("noun").lower() not in ("cent", "the", "a", "an"):
            word = noun.group("noun")
            return UnitMatch(singular(word) if word.islower() else word, "quantity", noun.end())
    return None


def currency_before(text: str, pos: int) -> tuple[str, int] | None:
    """ISO code and start offset of a currency sign or code written just before ``pos``."""
    window_start = max(0, pos - 8)
    match = CURRENCY_PREFIX_RE.search(text[window_start:pos])
    if match is None:
        return None
    for i, code in enumerate(_PREFIX_CODES):
        if match.group(f"c{i}") is not None:
            return code, window_start + match.start()
    return None


def us_suffix(text: str, pos: int) -> int:
    """End of a trailing ``US`` after a dollar amount (``$76 US``), else ``pos``."""
    match = _US_RE.match(text, pos)
    return match.end() if match else pos


def lookup_unit_word(word: str) -> tuple[str, str] | None:
    """Normalized unit and kind for a standalone unit word (``"TIV"``, ``"miles"``)."""
    return _lookup(word)
