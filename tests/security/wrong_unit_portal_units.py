"""The unit public page (portal), directory and cameras's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there)."""


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add these's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
