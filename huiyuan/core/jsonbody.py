"""JSON request bodies, for the API and the pages' JSON calls alike."""


def storable(value) -> bool:
    """False for text holding NUL or a lone surrogate: valid JSON, but no database column can
    store it, and no person or till means it."""
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(storable(key) and storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(storable(item) for item in value)
    return True
