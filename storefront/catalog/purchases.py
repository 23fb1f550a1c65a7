"""Who bought what, as the catalogue asks it (only a buyer may review a product).

Orders belong to checkout, a layer above the catalogue, so the catalogue does not import them: checkout
registers its answer at start-up (`CheckoutConfig.ready`). Without one registered, nobody has bought anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HasBought = Callable[[Any, Any], bool]

_answer: list[HasBought] = []  # set once per process by the app that owns orders


def register(has_bought: HasBought) -> None:
    """Called by checkout's AppConfig.ready with its `has_bought(user, product)`."""
    _answer[:] = [has_bought]


def has_bought(user: Any, product: Any) -> bool:
    """Whether the user has a paid (or shipped, or delivered) order with this product."""
    return bool(_answer) and _answer[0](user, product)
