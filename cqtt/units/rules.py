"""Pure rules for the unit tree (no database)."""

from cqtt.core.text import fold

# AdministrativeUnitId in the national dataset → (level, kind)
NATIONAL_KINDS = {
    1: ("province", "city"),
    2: ("province", "province"),
    3: ("commune", "ward"),
    4: ("commune", "commune"),
    5: ("commune", "special_zone"),
}


def unit_path(code: str, parent_path: str | None) -> str:
    return f"{parent_path or ''}{code}/"


def unit_province_code(code: str, level: str, parent_province_code: str | None) -> str:
    if level == "province" or not parent_province_code:
        return code if level == "province" else (parent_province_code or "")
    return parent_province_code


def unit_search_text(*parts: str) -> str:
    return " ".join(fold(p) for p in parts if p)
