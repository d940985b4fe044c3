"""Secrets from the environment, or generated once into a git-ignored local file.

The file is written atomically (write a temporary file, then hard-link it into place) so that
several processes starting together (gunicorn workers, pytest-xdist) agree on one set of keys.
"""

import base64
import json
import os
import secrets
import tempfile
from pathlib import Path

NAMES = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    # Fernet key for personal data at rest (ID numbers).
    "FIELD_ENCRYPTION_KEY": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
    # HMAC key for exact lookup and uniqueness of encrypted personal data.
    "LOOKUP_HMAC_KEY": lambda: secrets.token_urlsafe(32),
}


def load(path: Path) -> dict[str, str]:
    """Every secret: the environment wins, then the local file (created on first use)."""
    stored = _read_or_create(path)
    return {name: os.environ.get(f"HUIYUAN_{name}") or stored[name] for name in NAMES}


def _read_or_create(path: Path) -> dict[str, str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = {name: make() for name, make in NAMES.items()}
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as tmp:
            json.dump(fresh, tmp, indent=2)
        os.chmod(tmp.name, 0o600)
        try:
            os.link(tmp.name, path)
        except FileExistsError:
            pass  # another process won the race; use its file
        finally:
            os.unlink(tmp.name)
    stored = json.loads(path.read_text())
    missing = [name for name in NAMES if name not in stored]
    if missing:
        raise RuntimeError(f"{path} lacks {', '.join(missing)}: delete it or add them")
    return stored
