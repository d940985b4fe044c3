"""The catalog fixtures (`tree`, `fresh`, `make_product`) are in tests/conftest.py."""

from huiyuan.core.actors import Actor

SYSTEM = Actor.system()
