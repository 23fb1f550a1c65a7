"""Who else paid for an order: the one question checkout asks about family payment.

Family payment sits above checkout, so checkout never imports it nor looks for its attributes on an order:
family registers its answer at start-up (`FamilyConfig.ready`). Without one, the shopper paid for every order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Order


@dataclass(frozen=True)
class OtherPayer:
    user: Any  # the account whose card paid (and gets refunds and receipts)
    name: str  # how the shopper knows them, for messages


_answers: list[
    Callable[[Order], OtherPayer | None]
] = []  # set once per process by the app that asks others to pay


def register(answer: Callable[[Order], OtherPayer | None]) -> None:
    """Called by family's AppConfig.ready."""
    _answers[:] = [answer]


def other_payer(order: Order) -> OtherPayer | None:
    """Someone other than the shopper who paid (or was asked to pay) for the order, or None."""
    payer = _answers[0](order) if _answers else None
    return payer if payer is not None and getattr(payer.user, "pk", None) != order.user_id else None
