"""How many examples each fuzz test tries: a fast default, more behind a flag or a variable."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

ENV = "SCRBOT_FUZZ_EXAMPLES"
DEFAULT_EXAMPLES = 60
LONG_EXAMPLES = 2000

_examples: int | None = None


def from_env(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"{ENV} must be a whole number of examples, e.g. 2000 (got {value!r})")
    return int(value)


def configure(examples: int) -> None:
    global _examples
    _examples = examples


def examples() -> int:
    if _examples is not None:
        return _examples
    value = os.environ.get(ENV)
    return from_env(value) if value else DEFAULT_EXAMPLES


def fuzz_settings(share: float = 1.0) -> settings:
    """Settings for one fuzz test; `share` scales the budget for the slower targets.

    No deadline (a slow example on a busy CI machine is not a bug) and the function-scoped
    fixtures (the running app, the store) are shared by every example on purpose."""
    return settings(
        max_examples=max(5, int(examples() * share)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=False,
    )
